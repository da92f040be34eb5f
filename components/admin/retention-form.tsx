'use client';

import { type FormEvent, useEffect, useState } from 'react';
import { adminRequest } from './api';
import { useAction } from './use-action';

type Retention = {
  transcriptsDays: number;
  summariesDays: number;
  memoryDays: number;
  webhookLogDays: number;
  keepAnonymousAnalytics: boolean;
};

const FIELDS: { key: Exclude<keyof Retention, 'keepAnonymousAnalytics'>; label: string }[] = [
  {
    key: 'transcriptsDays',
    label: 'Transcripts, attachments and notes (days after the last message)',
  },
  { key: 'summariesDays', label: 'Conversation summaries (days)' },
  { key: 'memoryDays', label: 'Customer memory and profile (days without contact)' },
  { key: 'webhookLogDays', label: 'Webhook delivery logs (days)' },
];

export function RetentionForm() {
  const [value, setValue] = useState<Retention | null>(null);
  const { run, error, outcome } = useAction();

  useEffect(() => {
    void run(async () => setValue(await adminRequest<Retention>('/api/admin/retention')));
  }, [run]);

  function save(event: FormEvent) {
    event.preventDefault();
    void run(
      async () => setValue(await adminRequest<Retention>('/api/admin/retention', 'PUT', value)),
      'Saved. The next hourly run applies it.',
    );
  }

  if (!value) return error ? outcome : <p className="text-sm text-ink-500">Loading…</p>;
  return (
    <form
      onSubmit={save}
      aria-label="Retention"
      className="space-y-3 rounded-md border border-gray-200 bg-white p-4"
    >
      {FIELDS.map((f) => (
        <label key={f.key} className="flex items-center justify-between gap-4 text-sm">
          {f.label}
          <input
            type="number"
            min={1}
            max={3650}
            value={value[f.key]}
            onChange={(e) => setValue({ ...value, [f.key]: Number(e.target.value) })}
            className="w-24 rounded border border-gray-300 px-2 py-1"
          />
        </label>
      ))}
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={value.keepAnonymousAnalytics}
          onChange={(e) => setValue({ ...value, keepAnonymousAnalytics: e.target.checked })}
        />
        Keep conversations without their text, so the insights dashboard keeps its figures
      </label>
      {outcome}
      <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white">
        Save retention
      </button>
    </form>
  );
}
