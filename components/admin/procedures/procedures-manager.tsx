'use client';

import { useEffect, useState } from 'react';
import { adminRequest } from '../api';
import { buttonClass, useAdminResource } from '../use-action';
import { ProcedureEditor } from './procedure-editor';
import type { ActionChoice, ProcedureSummary } from './types';

/** The editor open, on a procedure (null until a new one is first saved); `session` keys it. */
type Panel = { kind: 'none' } | { kind: 'editor'; id: string | null; session: number };

const DRAFT_STATE: Record<ProcedureSummary['draft'], string> = {
  new: 'draft, never published',
  changed: 'unpublished changes',
  published: 'same as published',
};

/** Procedures the bot follows step by step: list, write, publish, delete. */
export function ProceduresManager() {
  const { data, change, run, outcome } = useAdminResource<{ procedures: ProcedureSummary[] }>(
    '/api/admin/procedures',
  );
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [sessions, setSessions] = useState(0);
  const open = (id: string | null) => {
    setSessions((n) => n + 1);
    setPanel({ kind: 'editor', id, session: sessions + 1 });
  };
  const [actions, setActions] = useState<ActionChoice[]>([]);
  const procedures = data?.procedures ?? [];

  useEffect(() => {
    void run(async () => {
      const list = await adminRequest<{ actions: ActionChoice[] }>('/api/admin/actions');
      setActions(list.actions);
    });
  }, [run]);

  return (
    <div className="space-y-6">
      <div className="flex items-center gap-2">
        <h1 className="text-xl font-semibold">Procedures</h1>
        <button type="button" className={`${buttonClass} ml-auto`} onClick={() => open(null)}>
          New procedure
        </button>
      </div>
      <p className="text-sm text-ink-500">
        How the bot handles a kind of request, step by step: what it asks, which actions it calls,
        when it hands off. Edit a draft, try it in the desk's tests, then publish it; conversations
        already in a procedure finish on the version they started.
      </p>
      {outcome}
      <table className="w-full bg-white text-sm">
        <thead>
          <tr className="text-left text-ink-500">
            <th className="p-2">Procedure</th>
            <th>Live version</th>
            <th>Draft</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data && procedures.length === 0 && (
            <tr className="border-t">
              <td colSpan={4} className="p-2 text-ink-500">
                No procedures yet.
              </td>
            </tr>
          )}
          {procedures.map((p) => (
            <tr key={p.id} className="border-t align-top">
              <td className="p-2">
                <div className="font-mono font-medium">{p.name}</div>
                <div className="text-xs text-ink-500">{p.description}</div>
              </td>
              <td>{p.publishedVersion === null ? 'none' : `version ${p.publishedVersion}`}</td>
              <td>
                {DRAFT_STATE[p.draft]}
                <div className="text-xs text-ink-500">
                  version {p.draftVersion} · {p.stepCount} {p.stepCount === 1 ? 'step' : 'steps'}
                </div>
              </td>
              <td className="space-x-2 whitespace-nowrap p-2">
                <button
                  type="button"
                  className="text-brand-600 underline"
                  aria-label={`Edit ${p.name}`}
                  onClick={() => open(p.id)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="text-red-700 underline"
                  aria-label={`Delete ${p.name}`}
                  onClick={() => {
                    if (!window.confirm(`Delete ${p.name} and all its versions?`)) return;
                    void change(async () => {
                      await adminRequest(`/api/admin/procedures/${p.id}`, 'DELETE');
                      setPanel((current) =>
                        current.kind === 'editor' && current.id === p.id
                          ? { kind: 'none' }
                          : current,
                      );
                    }, `Deleted ${p.name}.`);
                  }}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {panel.kind === 'editor' && (
        <ProcedureEditor
          key={panel.session}
          id={panel.id}
          actions={actions}
          onChanged={(detail) => {
            // A new procedure, once saved, stays open in the same editor as itself.
            setPanel((current) =>
              current.kind === 'editor' ? { ...current, id: detail.id } : current,
            );
            void change(async () => undefined);
          }}
          onClose={() => setPanel({ kind: 'none' })}
        />
      )}
    </div>
  );
}
