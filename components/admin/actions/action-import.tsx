'use client';

import { type FormEvent, useState } from 'react';
import { adminRequest } from '../api';
import { buttonClass, inputClass, secondaryButtonClass, useAction } from '../use-action';
import type { ImportableOperation } from './types';

type Source = { url?: string; document?: unknown; baseUrl?: string };

/** Reads an OpenAPI 3 JSON document (by URL or pasted) and imports the operations picked. */
export function ActionImport({
  onImported,
  onClose,
}: {
  onImported: (names: string[]) => void;
  onClose: () => void;
}) {
  const { run, busy, outcome } = useAction();
  const [source, setSource] = useState<Source | null>(null);
  const [operations, setOperations] = useState<ImportableOperation[]>([]);
  const [picked, setPicked] = useState<Set<string>>(new Set());

  function read(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const url = String(form.get('url') ?? '').trim();
    const pasted = String(form.get('document') ?? '').trim();
    const baseUrl = String(form.get('baseUrl') ?? '').trim() || undefined;
    void run(async () => {
      let document: unknown;
      if (pasted) {
        try {
          document = JSON.parse(pasted);
        } catch {
          throw new Error(
            'The pasted document is not JSON; only JSON OpenAPI documents can be read.',
          );
        }
      }
      const next: Source = {
        ...(document ? { document } : { url }),
        ...(baseUrl ? { baseUrl } : {}),
      };
      const preview = await adminRequest<{ operations: ImportableOperation[] }>(
        '/api/admin/actions/import',
        'POST',
        next,
      );
      setSource(next);
      setOperations(preview.operations);
      setPicked(new Set());
    });
  }

  function importPicked() {
    if (!source) return;
    void run(async () => {
      const result = await adminRequest<{ created: { name: string }[] }>(
        '/api/admin/actions/import',
        'POST',
        { ...source, operations: [...picked] },
      );
      onImported(result.created.map((a) => a.name));
    });
  }

  return (
    <section aria-label="Import from OpenAPI" className="space-y-3 rounded-md border bg-white p-4">
      <h2 className="font-medium">Import from an OpenAPI 3 document</h2>
      <form onSubmit={read} className="space-y-2 text-sm">
        <label className="grid gap-1">
          OpenAPI document URL
          <input
            name="url"
            className={inputClass}
            placeholder="https://shop.example.com/openapi.json"
          />
        </label>
        <label className="grid gap-1">
          …or paste the document (JSON)
          <textarea name="document" rows={4} className={`${inputClass} font-mono`} />
        </label>
        <label className="grid gap-1">
          Base URL to call (only if the document names none)
          <input name="baseUrl" className={inputClass} />
        </label>
        <div className="flex gap-2">
          <button type="submit" className={buttonClass} disabled={busy}>
            Read document
          </button>
          <button type="button" className={secondaryButtonClass} onClick={onClose}>
            Close
          </button>
        </div>
      </form>
      {outcome}
      {operations.length > 0 && (
        <div className="space-y-2">
          <p className="text-sm">
            Pick the operations to import. They start turned off: review each, test it, then enable
            it.
          </p>
          <ul className="space-y-1 text-sm">
            {operations.map((op) => (
              <li key={op.key} className="rounded border p-2">
                <label className="flex items-start gap-2">
                  <input
                    type="checkbox"
                    checked={picked.has(op.key)}
                    onChange={(e) =>
                      setPicked((all) => {
                        const next = new Set(all);
                        if (e.target.checked) next.add(op.key);
                        else next.delete(op.key);
                        return next;
                      })
                    }
                  />
                  <span>
                    <span className="font-mono">{op.key}</span> — {op.summary}{' '}
                    <span className="text-ink-500">
                      ({op.definition.name}, {op.definition.effect})
                    </span>
                  </span>
                </label>
                {op.warnings.map((w) => (
                  <p key={w} className="ml-6 text-xs text-amber-700">
                    {w}
                  </p>
                ))}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className={buttonClass}
            disabled={busy || picked.size === 0}
            onClick={importPicked}
          >
            Import selected
          </button>
        </div>
      )}
    </section>
  );
}
