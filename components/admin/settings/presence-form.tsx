'use client';

import { type FormEvent, useState } from 'react';
import type { PresenceSettings } from '@/lib/settings/schema';
import { adminRequest } from '../api';
import { buttonClass, inputClass, sectionClass, useAction } from '../use-action';

/** When an agent with the console open but untouched stops counting as online. */
export function PresenceForm({ initial }: { initial: PresenceSettings }) {
  const [minutes, setMinutes] = useState(String(initial.idleMinutes));
  const { run, busy, outcome } = useAction();

  async function save(event: FormEvent) {
    event.preventDefault();
    const result = await run(
      () =>
        adminRequest<{ presence: PresenceSettings }>('/api/admin/settings/presence', 'PUT', {
          idleMinutes: Number(minutes),
        }),
      ({ presence }) =>
        presence.idleMinutes === 0
          ? 'Saved. Agents stay online while their console is open, however long it is untouched.'
          : `Saved. Agents count as away after ${presence.idleMinutes} min without using the console.`,
    );
    if (result) setMinutes(String(result.presence.idleMinutes));
  }

  return (
    <section aria-labelledby="presence-heading" className={sectionClass}>
      <h2 id="presence-heading" className="font-medium">
        Agent presence
      </h2>
      <p className="text-sm text-ink-500">
        An agent is online while their console is open, unless they set themselves away. Customers
        asking for a person are told one will join only when someone is online; otherwise that the
        team will reply by email.
      </p>
      {outcome}
      <form onSubmit={save} aria-label="Agent presence" className="space-y-2 text-sm">
        <label htmlFor="presence-idle" className="block font-medium">
          Away after idle (minutes)
        </label>
        <div className="flex flex-wrap items-center gap-3">
          <input
            id="presence-idle"
            type="number"
            min={0}
            max={240}
            step={1}
            required
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            aria-describedby="presence-idle-hint"
            className={`${inputClass} w-24`}
          />
          <button type="submit" disabled={busy} className={buttonClass}>
            Save
          </button>
        </div>
        <p id="presence-idle-hint" className="text-xs text-ink-500">
          Minutes without a key press, click or touch in the console before an agent counts as away;
          0 never. Closing the console makes them away within about a minute.
        </p>
      </form>
    </section>
  );
}
