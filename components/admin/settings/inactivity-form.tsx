'use client';

import { type FormEvent, useState } from 'react';
import {
  describeQuietTime,
  type InactivitySettings,
  QUIET_MAX_SECONDS,
  QUIET_MIN_SECONDS,
} from '@/lib/settings/schema';
import { adminRequest } from '../api';
import { buttonClass, inputClass, sectionClass, useAction } from '../use-action';

type Step = keyof InactivitySettings;
type Unit = 'minutes' | 'seconds';
type Delay = { amount: string; unit: Unit };

const UNIT_SECONDS: Record<Unit, number> = { minutes: 60, seconds: 1 };

/** Shown in minutes when it is whole minutes, as most desks set it. */
const toDelay = (seconds: number): Delay =>
  seconds % 60 === 0
    ? { amount: String(seconds / 60), unit: 'minutes' }
    : { amount: String(seconds), unit: 'seconds' };

function describePolicy(settings: InactivitySettings): string {
  const { ask, resolve } = settings;
  if (!ask.enabled && !resolve.enabled) return 'Saved. Quiet conversations stay open.';
  const parts = [
    ask.enabled &&
      `asked whether they are still there after ${describeQuietTime(ask.afterSeconds)}`,
    resolve.enabled &&
      `resolved ${describeQuietTime(resolve.afterSeconds)} after ${ask.enabled ? 'that' : 'the answer'}`,
  ].filter(Boolean);
  return `Saved. A customer quiet after the assistant's answer is ${parts.join(', then ')}.`;
}

/** When the assistant asks a quiet customer whether they are still there, and when it resolves. */
export function InactivityForm({ initial }: { initial: InactivitySettings }) {
  const [settings, setSettings] = useState(initial);
  const [delays, setDelays] = useState<Record<Step, Delay>>({
    ask: toDelay(initial.ask.afterSeconds),
    resolve: toDelay(initial.resolve.afterSeconds),
  });
  const { run, busy, outcome } = useAction();

  const setStep = (step: Step, change: Partial<InactivitySettings[Step]>) =>
    setSettings({ ...settings, [step]: { ...settings[step], ...change } });

  const seconds = (step: Step) => Number(delays[step].amount) * UNIT_SECONDS[delays[step].unit];
  const setDelay = (step: Step, change: Partial<Delay>) =>
    setDelays({ ...delays, [step]: { ...delays[step], ...change } });

  async function save(event: FormEvent) {
    event.preventDefault();
    const body: InactivitySettings = {
      ask: { ...settings.ask, afterSeconds: seconds('ask') },
      resolve: { ...settings.resolve, afterSeconds: seconds('resolve') },
    };
    const result = await run(
      () =>
        adminRequest<{ inactivity: InactivitySettings }>(
          '/api/admin/settings/inactivity',
          'PUT',
          body,
        ),
      (r) => describePolicy(r.inactivity),
    );
    if (result) setSettings(result.inactivity);
  }

  const row = (step: Step, label: string, hint: string) => (
    <div className="grid items-center gap-x-3 gap-y-1 sm:grid-cols-[16rem_7rem_7rem_1fr]">
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={settings[step].enabled}
          onChange={(e) => setStep(step, { enabled: e.target.checked })}
        />
        {label}
      </label>
      <input
        id={`inactivity-${step}`}
        type="number"
        min={delays[step].unit === 'seconds' ? QUIET_MIN_SECONDS : 1}
        max={QUIET_MAX_SECONDS / UNIT_SECONDS[delays[step].unit]}
        step={1}
        aria-label={`${label}: after`}
        value={delays[step].amount}
        onChange={(e) => setDelay(step, { amount: e.target.value })}
        disabled={!settings[step].enabled}
        required
        className={inputClass}
      />
      <select
        aria-label={`${label}: unit`}
        value={delays[step].unit}
        onChange={(e) => setDelay(step, { unit: e.target.value as Unit })}
        disabled={!settings[step].enabled}
        className={inputClass}
      >
        <option value="minutes">minutes</option>
        <option value="seconds">seconds</option>
      </select>
      <p className="text-xs text-ink-500">{hint}</p>
    </div>
  );

  return (
    <section aria-labelledby="inactivity-heading" className={sectionClass}>
      <h2 id="inactivity-heading" className="font-medium">
        Inactivity
      </h2>
      <p className="text-sm text-ink-500">
        When a customer goes quiet after the assistant&apos;s answer. Conversations waiting for or
        held by a person are never closed this way. A closed conversation counts as resolved by the
        AI only when the AI had answered and nobody asked for a person; otherwise it counts as
        abandoned or assisted, as a quiet one does.
      </p>
      {outcome}
      <form onSubmit={save} aria-label="Inactivity" className="space-y-3 text-sm">
        {row('ask', 'Ask "Are you still there?"', 'Silence after the answer before the question.')}
        {row(
          'resolve',
          'Resolve the conversation',
          settings.ask.enabled
            ? 'Time after the question without a reply.'
            : 'Silence after the answer.',
        )}
        <button type="submit" disabled={busy} className={buttonClass}>
          Save inactivity policy
        </button>
      </form>
    </section>
  );
}
