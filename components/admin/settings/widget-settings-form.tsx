'use client';

import { type FormEvent, useState } from 'react';
import { accentStyle } from '@/components/widget/accent';
import { embedSnippets } from '@/lib/settings/embed';
import type { WidgetSettings } from '@/lib/settings/schema';
import { adminRequest } from '../api';
import {
  buttonClass,
  inputClass,
  secondaryButtonClass,
  sectionClass,
  useAction,
} from '../use-action';
import { EmbedSnippets } from './embed-snippets';

const HEX = /^#[0-9a-fA-F]{6}$/;

/** WCAG contrast of white text on `hex`. */
function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

export function WidgetSettingsForm({
  initial,
  origin,
}: {
  initial: WidgetSettings;
  origin: string;
}) {
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState(initial);
  const { run, busy, outcome } = useAction();
  const validColour = HEX.test(draft.colour);
  const contrast = validColour ? contrastWithWhite(draft.colour) : null;
  const snippets = embedSnippets(origin, saved);

  async function save(event: FormEvent) {
    event.preventDefault();
    const result = await run(
      () => adminRequest<{ widget: WidgetSettings }>('/api/admin/settings/widget', 'PUT', draft),
      'Saved. The widget shows the new appearance from the next page load.',
    );
    if (result) {
      setSaved(result.widget);
      setDraft(result.widget);
    }
  }

  async function restoreDefaults() {
    const result = await run(
      () => adminRequest<{ widget: WidgetSettings }>('/api/admin/settings/widget', 'DELETE'),
      'Restored the default appearance.',
    );
    if (result) {
      setSaved(result.widget);
      setDraft(result.widget);
    }
  }

  return (
    <section aria-labelledby="widget-heading" className={sectionClass}>
      <h2 id="widget-heading" className="font-medium">
        Widget appearance
      </h2>
      {outcome}
      <form onSubmit={save} aria-label="Widget appearance" className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-3">
          <label className="block text-sm">
            Name
            <input
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              required
              maxLength={60}
              className={`${inputClass} mt-1 block w-full`}
            />
          </label>
          <label className="block text-sm">
            Business name
            <input
              value={draft.businessName ?? ''}
              onChange={(e) => setDraft({ ...draft, businessName: e.target.value })}
              maxLength={80}
              aria-describedby="widget-business-hint"
              className={`${inputClass} mt-1 block w-full`}
            />
          </label>
          <p id="widget-business-hint" className="-mt-2 text-xs text-ink-500">
            Who the assistant speaks for, as it introduces itself and in page titles. Leave it empty
            to name no business.
          </p>
          <div className="text-sm">
            <label htmlFor="widget-colour">Colour</label>
            <div className="mt-1 flex items-center gap-2">
              <input
                type="color"
                aria-label="Colour picker"
                value={validColour ? draft.colour.toLowerCase() : '#000000'}
                onChange={(e) => setDraft({ ...draft, colour: e.target.value })}
                className="h-9 w-12 rounded border border-gray-300"
              />
              <input
                id="widget-colour"
                value={draft.colour}
                onChange={(e) => setDraft({ ...draft, colour: e.target.value.trim() })}
                required
                pattern="#[0-9a-fA-F]{6}"
                title="A hex colour such as #2057d1"
                className={`${inputClass} w-28 font-mono`}
              />
            </div>
            {contrast !== null && contrast < 4.5 && (
              <p className="mt-1 text-xs text-amber-700">
                White text on this colour has a contrast of {contrast.toFixed(1)}:1; 4.5:1 or more
                keeps it readable for everyone.
              </p>
            )}
          </div>
          <label className="block text-sm">
            Greeting
            <textarea
              value={draft.greeting}
              onChange={(e) => setDraft({ ...draft, greeting: e.target.value })}
              required
              maxLength={500}
              rows={3}
              className={`${inputClass} mt-1 block w-full`}
            />
          </label>
          <div className="flex gap-2">
            <button type="submit" disabled={busy} className={buttonClass}>
              Save appearance
            </button>
            <button
              type="button"
              onClick={restoreDefaults}
              disabled={busy}
              className={secondaryButtonClass}
            >
              Restore defaults
            </button>
          </div>
        </div>
        <figure
          aria-label="Preview"
          style={accentStyle(validColour ? draft.colour : saved.colour)}
          className="overflow-hidden rounded-xl border border-gray-200 text-sm"
        >
          <div className="bg-(--tandem-accent) px-3 py-2 font-semibold text-white">
            {draft.name || saved.name}
          </div>
          <div className="space-y-2 p-3">
            <p className="rounded-2xl rounded-bl-sm bg-gray-100 px-3 py-2">{draft.greeting}</p>
            <p className="ml-auto w-fit rounded-2xl rounded-br-sm bg-(--tandem-accent) px-3 py-2 text-white">
              Where is my order?
            </p>
          </div>
        </figure>
      </form>
      <h3 className="pt-2 font-medium">Put the chat on your site</h3>
      <EmbedSnippets script={snippets.script} iframe={snippets.iframe} />
    </section>
  );
}
