'use client';

import { type FormEvent, useState } from 'react';
import { adminRequest } from '../api';
import { buttonClass, inputClass, sectionClass, useAction } from '../use-action';

/** The sites allowed to embed the chat: one origin per line. */
export function WidgetOriginsForm({ initial }: { initial: string[] }) {
  const [text, setText] = useState(initial.join('\n'));
  const { run, busy, outcome } = useAction();

  async function save(event: FormEvent) {
    event.preventDefault();
    const origins = text
      .split(/[\s,]+/)
      .map((line) => line.trim())
      .filter(Boolean);
    const result = await run(
      () =>
        adminRequest<{ origins: string[] }>('/api/admin/settings/widget-origins', 'PUT', {
          origins,
        }),
      (saved) =>
        saved.origins.length === 0
          ? 'Saved. Only this site can embed the widget now.'
          : `Saved. ${saved.origins.length} site${saved.origins.length === 1 ? '' : 's'} can embed the widget.`,
    );
    if (result) setText(result.origins.join('\n'));
  }

  return (
    <section aria-labelledby="origins-heading" className={sectionClass}>
      <h2 id="origins-heading" className="font-medium">
        Allowed widget origins
      </h2>
      <p className="text-sm text-ink-500">
        Sites that may show the widget in an iframe and call the chat API from the browser, one per
        line, e.g. <code>https://shop.example.com</code>. Any other site is refused; with none
        listed, only this Tandem site can show it.
      </p>
      {outcome}
      <form onSubmit={save} aria-label="Allowed widget origins" className="space-y-3">
        <label className="block text-sm">
          Origins
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={4}
            spellCheck={false}
            placeholder="https://shop.example.com"
            className={`${inputClass} mt-1 block w-full font-mono`}
          />
        </label>
        <button type="submit" disabled={busy} className={buttonClass}>
          Save origins
        </button>
      </form>
    </section>
  );
}
