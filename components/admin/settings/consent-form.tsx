'use client';

import { type FormEvent, useState } from 'react';
import type { ConsentNotice } from '@/lib/settings/schema';
import { adminRequest } from '../api';
import { buttonClass, inputClass, sectionClass, useAction } from '../use-action';

interface ConsentSettings {
  required: boolean;
  notice: ConsentNotice;
  version: string;
}

/** Whether the widget asks for consent first, and the notice's wording in each language. */
export function ConsentForm({ initial }: { initial: ConsentSettings }) {
  const [required, setRequired] = useState(initial.required);
  const [notice, setNotice] = useState(initial.notice);
  const [version, setVersion] = useState(initial.version);
  const { run, busy, outcome } = useAction();

  async function save(event: FormEvent) {
    event.preventDefault();
    const result = await run(
      () =>
        adminRequest<{ consent: ConsentSettings }>('/api/admin/settings/consent', 'PUT', {
          required,
          notice,
        }),
      ({ consent }) =>
        consent.version === version
          ? 'Saved. The wording is unchanged, so no one is asked again.'
          : `Saved as version ${consent.version}. Customers are asked again before their next message.`,
    );
    if (result) {
      setRequired(result.consent.required);
      setNotice(result.consent.notice);
      setVersion(result.consent.version);
    }
  }

  return (
    <section aria-labelledby="consent-heading" className={sectionClass}>
      <h2 id="consent-heading" className="font-medium">
        Consent
      </h2>
      <p className="text-sm text-ink-500">
        Before the first message the widget asks customers to accept AI processing and storage of
        their messages. A customer who declines is answered by people only: their messages go to the
        team as a ticket and nothing of theirs is sent to an AI model. Write{' '}
        <code>[label](/kb/slug)</code> for a link. Changing the wording gives the notice a new
        version, and customers are asked again.
      </p>
      {outcome}
      <form onSubmit={save} aria-label="Consent" className="space-y-3">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={required}
            onChange={(e) => setRequired(e.target.checked)}
          />
          Ask for consent before the first message
        </label>
        <label className="block text-sm">
          Notice in English
          <textarea
            value={notice.en}
            onChange={(e) => setNotice({ ...notice, en: e.target.value })}
            rows={4}
            className={`${inputClass} mt-1 block w-full`}
          />
        </label>
        <label className="block text-sm">
          Notice in Chinese
          <textarea
            value={notice.zh}
            onChange={(e) => setNotice({ ...notice, zh: e.target.value })}
            rows={4}
            lang="zh"
            className={`${inputClass} mt-1 block w-full`}
          />
        </label>
        <p className="text-xs text-ink-500">
          Current version: <code data-testid="consent-version">{version}</code>
        </p>
        <button type="submit" disabled={busy} className={buttonClass}>
          Save consent
        </button>
      </form>
    </section>
  );
}
