'use client';

import { useState } from 'react';
import { adminRequest } from '../api';
import { buttonClass, secondaryButtonClass, useAdminResource } from '../use-action';
import { ActionForm } from './action-form';
import { ActionImport } from './action-import';
import { ActionTest } from './action-test';
import { ConnectorsManager } from './connectors-manager';
import type { Action, ActionList } from './types';

type Panel =
  | { kind: 'none' }
  | { kind: 'new' }
  | { kind: 'edit'; id: string }
  | { kind: 'test'; id: string }
  | { kind: 'import' };

/** Actions the bot may take in the business's systems: list, define, import, test, enable. */
export function ActionsManager({ demoShopToken }: { demoShopToken: string | null }) {
  const { data, change, outcome } = useAdminResource<ActionList>('/api/admin/actions');
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [saving, setSaving] = useState(false);
  const actions = data?.actions ?? [];
  const find = (id: string) => actions.find((a) => a.id === id) ?? null;

  function save(definition: Record<string, unknown>, existing: Action | null) {
    setSaving(true);
    void change(
      async () => {
        const saved = await adminRequest<Action>(
          existing ? `/api/admin/actions/${existing.id}` : '/api/admin/actions',
          existing ? 'PUT' : 'POST',
          definition,
        );
        setPanel({ kind: 'none' });
        return saved;
      },
      (saved) => `Saved ${saved.name}.`,
    ).finally(() => setSaving(false));
  }

  const edited = panel.kind === 'edit' ? find(panel.id) : null;
  const tested = panel.kind === 'test' ? find(panel.id) : null;

  return (
    <div className="space-y-6">
      <div className="flex items-center gap-2">
        <h1 className="text-xl font-semibold">Actions</h1>
        <div className="ml-auto flex gap-2">
          <button
            type="button"
            className={secondaryButtonClass}
            onClick={() => setPanel({ kind: 'import' })}
          >
            Import from OpenAPI
          </button>
          <button type="button" className={buttonClass} onClick={() => setPanel({ kind: 'new' })}>
            New action
          </button>
        </div>
      </div>
      <p className="text-sm text-ink-500">
        What the bot may do in your own systems. Writes always ask the customer to confirm first;
        secret header values are stored encrypted and never shown again.
        {data && data.allowedHosts.length > 0 && (
          <> Private hosts actions may call: {data.allowedHosts.join(', ')}.</>
        )}
      </p>
      {demoShopToken && (
        <p
          role="note"
          aria-label="Demo shop token"
          className="rounded bg-blue-50 px-3 py-2 text-sm"
        >
          The demo shop’s API takes the header{' '}
          <code className="break-all">Bearer {demoShopToken}</code> as <code>Authorization</code>:
          give it to actions you import from its OpenAPI document.
        </p>
      )}
      {outcome}
      <table className="w-full bg-white text-sm">
        <thead>
          <tr className="text-left text-ink-500">
            <th className="p-2">Action</th>
            <th>Effect</th>
            <th>Policies</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data && actions.length === 0 && (
            <tr className="border-t">
              <td colSpan={5} className="p-2 text-ink-500">
                No actions yet.
              </td>
            </tr>
          )}
          {actions.map((a) => (
            <tr key={a.id} className="border-t align-top">
              <td className="p-2">
                <div className="font-medium">{a.label}</div>
                <div className="font-mono text-xs text-ink-500">
                  {a.name}
                  {a.http ? ` · ${a.http.method} ${a.http.url}` : ''}
                  {a.mcp ? ` · MCP tool ${a.mcp.tool}` : ''}
                </div>
              </td>
              <td>{a.effect}</td>
              <td className="text-xs">
                {[
                  a.verifiedOnly && 'verified only',
                  a.effect === 'write' && 'confirmation',
                  a.needsApproval && 'approval',
                  a.rateLimitPerHour > 0 && `${a.rateLimitPerHour}/h`,
                ]
                  .filter(Boolean)
                  .join(', ')}
              </td>
              <td>{a.enabled ? 'enabled' : 'disabled'}</td>
              <td className="space-x-2 whitespace-nowrap">
                <button
                  type="button"
                  className="text-brand-600 underline"
                  aria-label={`Edit ${a.name}`}
                  onClick={() => setPanel({ kind: 'edit', id: a.id })}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="text-brand-600 underline"
                  aria-label={`Test ${a.name}`}
                  onClick={() => setPanel({ kind: 'test', id: a.id })}
                >
                  Test
                </button>
                <button
                  type="button"
                  className="text-brand-600 underline"
                  aria-label={`${a.enabled ? 'Disable' : 'Enable'} ${a.name}`}
                  onClick={() =>
                    void change(() =>
                      adminRequest(`/api/admin/actions/${a.id}`, 'PATCH', { enabled: !a.enabled }),
                    )
                  }
                >
                  {a.enabled ? 'Disable' : 'Enable'}
                </button>
                <button
                  type="button"
                  className="text-red-700 underline"
                  aria-label={`Delete ${a.name}`}
                  onClick={() =>
                    void change(async () => {
                      await adminRequest(`/api/admin/actions/${a.id}`, 'DELETE');
                      setPanel({ kind: 'none' });
                    })
                  }
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {panel.kind === 'new' && (
        <ActionForm
          action={null}
          busy={saving}
          onSave={(d) => save(d, null)}
          onCancel={() => setPanel({ kind: 'none' })}
        />
      )}
      {edited && (
        <ActionForm
          key={edited.id}
          action={edited}
          busy={saving}
          onSave={(d) => save(d, edited)}
          onCancel={() => setPanel({ kind: 'none' })}
        />
      )}
      {tested && (
        <ActionTest
          key={tested.id}
          action={tested}
          onSecretsSaved={(names) =>
            change(
              async () => names,
              (saved) => `Saved the secret value of ${saved.join(', ')}.`,
            )
          }
        />
      )}
      {panel.kind === 'import' && (
        <ActionImport
          onClose={() => setPanel({ kind: 'none' })}
          onImported={(names) =>
            void change(
              async () => {
                setPanel({ kind: 'none' });
                return names;
              },
              (imported) => `Imported ${imported.join(', ')}: test each, then enable it.`,
            )
          }
        />
      )}
      <ConnectorsManager onActionsChanged={() => void change(async () => undefined)} />
    </div>
  );
}
