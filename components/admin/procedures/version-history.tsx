'use client';

import { secondaryButtonClass } from '../use-action';
import type { ProcedureStepInput, ProcedureVersion } from './types';

/**
 * Every published version (its description and example phrasings as well as its steps), newest
 * first; any can be loaded into the draft to restore it.
 */
export function VersionHistory({
  versions,
  onRestore,
}: {
  versions: ProcedureVersion[];
  onRestore: (version: ProcedureVersion) => void;
}) {
  return (
    <section aria-label="Version history" className="space-y-2">
      <h3 className="font-medium">Version history</h3>
      {versions.length === 0 ? (
        <p className="text-sm text-ink-500">Not published yet.</p>
      ) : (
        <ol className="space-y-2 text-sm">
          {versions.map((v) => (
            <li key={v.version} className="rounded border p-2">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium">Version {v.version}</span>
                {v.current && (
                  <span className="rounded bg-green-50 px-1.5 text-xs text-green-800">live</span>
                )}
                <span className="text-ink-500">
                  {v.steps.length} {v.steps.length === 1 ? 'step' : 'steps'}
                  {v.publishedAt && ` · published ${new Date(v.publishedAt).toLocaleString()}`}
                  {v.publishedBy && ` by ${v.publishedBy}`}
                </span>
                <button
                  type="button"
                  className={`${secondaryButtonClass} ml-auto`}
                  onClick={() => onRestore(v)}
                >
                  Load into draft
                </button>
              </div>
              <details className="mt-1">
                <summary className="cursor-pointer text-ink-500">What it says and does</summary>
                <p className="mt-1">{v.description}</p>
                {v.examples.length > 0 && (
                  <p className="mt-1 text-ink-500">
                    Examples: {v.examples.map((e) => `“${e}”`).join(', ')}
                  </p>
                )}
                <ol className="mt-1 list-decimal pl-6">
                  {v.steps.map((s) => (
                    <li key={s.id}>
                      <span className="font-mono text-xs">{s.id}</span> · {stepSummary(s)}
                    </li>
                  ))}
                </ol>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** A step in a few words. */
export function stepSummary(step: ProcedureStepInput): string {
  switch (step.type) {
    case 'say':
      return `say “${step.text}”`;
    case 'ask':
      return `ask for ${step.value} (${step.valueType ?? 'string'}): “${step.prompt}”`;
    case 'call':
      return `call ${step.action}, keep the result as ${step.result}`;
    case 'branch':
      return `branch: ${step.cases.map((c) => `→ ${c.goto}`).join(', ')}${step.otherwise ? `, otherwise → ${step.otherwise}` : ''}`;
    case 'hand_off':
      return `hand off (${step.reason})`;
    case 'end':
      return step.text ? `end: “${step.text}”` : 'end';
  }
}
