'use client';

import { type FormEvent, useState } from 'react';
import type { EscalationOverride } from '@/lib/settings/schema';
import type { EscalationThresholds } from '@/lib/turn/escalation-policy';
import { adminRequest } from '../api';
import {
  buttonClass,
  inputClass,
  secondaryButtonClass,
  sectionClass,
  useAction,
} from '../use-action';

export interface EscalationSettings {
  defaults: EscalationThresholds;
  override: EscalationOverride;
  effective: EscalationThresholds;
}

const FIELDS: {
  key: keyof EscalationThresholds;
  label: string;
  hint: string;
  step: string;
  max: number;
}[] = [
  {
    key: 'frustration',
    label: 'Frustration on one message',
    hint: '0–1: one message this frustrated brings in a person at once.',
    step: '0.05',
    max: 1,
  },
  {
    key: 'frustratedAt',
    label: 'Counts as frustrated at',
    hint: '0–1: frustration from which a message counts toward the next rule.',
    step: '0.05',
    max: 1,
  },
  {
    key: 'frustratedMessages',
    label: 'Frustrated messages',
    hint: 'This many frustrated messages in a conversation bring in a person; 0 turns it off.',
    step: '1',
    max: 20,
  },
  {
    key: 'lowConfidenceStreak',
    label: 'Unsure answers in a row',
    hint: 'This many answers in a row without a source bring in a person; 0 turns it off.',
    step: '1',
    max: 20,
  },
  {
    key: 'decliningWindow',
    label: 'Declining-sentiment window',
    hint: 'The latest messages checked for falling sentiment; below 2 turns it off.',
    step: '1',
    max: 20,
  },
];

export function EscalationForm({ initial }: { initial: EscalationSettings }) {
  const [settings, setSettings] = useState(initial);
  const [draft, setDraft] = useState<Record<string, string>>(() => toDraft(initial.effective));
  const { run, busy, outcome } = useAction();

  function apply(result: { escalation: EscalationSettings } | undefined) {
    if (!result) return;
    setSettings(result.escalation);
    setDraft(toDraft(result.escalation.effective));
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    // Only values that differ from the environment's are stored, so the env stays the default.
    const override = Object.fromEntries(
      FIELDS.map((f) => [f.key, Number(draft[f.key])]).filter(
        ([key, value]) => value !== settings.defaults[key as keyof EscalationThresholds],
      ),
    );
    apply(
      await run(
        () =>
          adminRequest<{ escalation: EscalationSettings }>(
            '/api/admin/settings/escalation',
            'PUT',
            override,
          ),
        'Saved. New conversations use these thresholds within a few seconds.',
      ),
    );
  }

  async function reset() {
    apply(
      await run(
        () =>
          adminRequest<{ escalation: EscalationSettings }>(
            '/api/admin/settings/escalation',
            'DELETE',
          ),
        'Back to the defaults from the environment.',
      ),
    );
  }

  return (
    <section aria-labelledby="escalation-heading" className={sectionClass}>
      <h2 id="escalation-heading" className="font-medium">
        Escalation thresholds
      </h2>
      <p className="text-sm text-ink-500">
        When the AI brings in a person. A customer asking for one, or an urgent message, always
        does.
      </p>
      {outcome}
      <form onSubmit={save} aria-label="Escalation thresholds" className="space-y-3 text-sm">
        {FIELDS.map((f) => (
          <div key={f.key} className="grid items-center gap-x-3 sm:grid-cols-[14rem_7rem_1fr]">
            <label htmlFor={`threshold-${f.key}`}>{f.label}</label>
            <input
              id={`threshold-${f.key}`}
              type="number"
              min={0}
              max={f.max}
              step={f.step}
              value={draft[f.key]}
              onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
              required
              className={inputClass}
            />
            <p className="text-xs text-ink-500">
              {f.hint}{' '}
              {settings.override[f.key] !== undefined
                ? `Default ${settings.defaults[f.key]}.`
                : '(default)'}
            </p>
          </div>
        ))}
        <div className="flex gap-2">
          <button type="submit" disabled={busy} className={buttonClass}>
            Save thresholds
          </button>
          <button type="button" onClick={reset} disabled={busy} className={secondaryButtonClass}>
            Use defaults
          </button>
        </div>
      </form>
    </section>
  );
}

function toDraft(values: EscalationThresholds): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}
