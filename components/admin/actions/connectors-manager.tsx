'use client';

import { type FormEvent, useState } from 'react';
import { adminRequest } from '../api';
import {
  buttonClass,
  inputClass,
  secondaryButtonClass,
  useAction,
  useAdminResource,
} from '../use-action';
import {
  type EditedHeader,
  editedHeaders,
  headersToSave,
  SecretHeadersEditor,
  type ShownHeader,
} from './secret-headers-editor';

type Connector = {
  id: string;
  name: string;
  url: string;
  headers: ShownHeader[];
  timeoutMs: number;
  maxBytes: number;
  actions: { id: string; name: string; tool: string; enabled: boolean }[];
};

type ConnectorTool = {
  name: string;
  title: string;
  description: string;
  readOnly: boolean;
  importable: boolean;
  warnings: string[];
  draft: { name: string; effect: 'read' | 'write' };
  action: { id: string; name: string; enabled: boolean } | null;
};

/**
 * MCP servers whose tools the bot may use: add one (its secret headers write-only), list the
 * tools it offers and make actions of the chosen ones, which then follow every action policy.
 */
export function ConnectorsManager({ onActionsChanged }: { onActionsChanged: () => void }) {
  const { data, change, outcome } = useAdminResource<{ connectors: Connector[] }>(
    '/api/admin/connectors',
  );
  const [editing, setEditing] = useState<Connector | 'new' | null>(null);
  const [browsing, setBrowsing] = useState<string | null>(null);
  const connectors = data?.connectors ?? [];
  const browsed = connectors.find((c) => c.id === browsing) ?? null;

  return (
    <section aria-label="MCP connectors" className="space-y-3">
      <div className="flex items-center gap-2">
        <h2 className="text-lg font-semibold">MCP connectors</h2>
        <button
          type="button"
          className={`${secondaryButtonClass} ml-auto`}
          onClick={() => setEditing('new')}
        >
          Add connector
        </button>
      </div>
      <p className="text-sm text-ink-500">
        MCP servers reached over Streamable HTTP. Their tools become actions with the same policies;
        a tool the server does not mark read-only is a write the customer confirms.
      </p>
      {outcome}
      <table className="w-full bg-white text-sm">
        <thead>
          <tr className="text-left text-ink-500">
            <th className="p-2">Connector</th>
            <th>Actions from it</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data && connectors.length === 0 && (
            <tr className="border-t">
              <td colSpan={3} className="p-2 text-ink-500">
                No connectors yet.
              </td>
            </tr>
          )}
          {connectors.map((c) => (
            <tr key={c.id} className="border-t align-top">
              <td className="p-2">
                <div className="font-medium">{c.name}</div>
                <div className="font-mono text-xs text-ink-500">{c.url}</div>
              </td>
              <td className="text-xs">
                {c.actions.length === 0
                  ? 'none'
                  : c.actions.map((a) => `${a.name}${a.enabled ? '' : ' (off)'}`).join(', ')}
              </td>
              <td className="space-x-2 whitespace-nowrap">
                <button
                  type="button"
                  className="text-brand-600 underline"
                  aria-label={`Tools of ${c.name}`}
                  onClick={() => setBrowsing(c.id)}
                >
                  Tools
                </button>
                <button
                  type="button"
                  className="text-brand-600 underline"
                  aria-label={`Edit connector ${c.name}`}
                  onClick={() => setEditing(c)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="text-red-700 underline"
                  aria-label={`Delete connector ${c.name}`}
                  onClick={() =>
                    void change(async () => {
                      await adminRequest(`/api/admin/connectors/${c.id}`, 'DELETE');
                      setBrowsing(null);
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
      {editing && (
        <ConnectorForm
          key={editing === 'new' ? 'new' : editing.id}
          connector={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSave={(definition) =>
            void change(
              async () => {
                const saved = await adminRequest<Connector>(
                  editing === 'new'
                    ? '/api/admin/connectors'
                    : `/api/admin/connectors/${editing.id}`,
                  editing === 'new' ? 'POST' : 'PUT',
                  definition,
                );
                setEditing(null);
                return saved;
              },
              (saved) => `Saved ${saved.name}.`,
            )
          }
        />
      )}
      {browsed && (
        <ConnectorTools
          key={browsed.id}
          connector={browsed}
          onClose={() => setBrowsing(null)}
          onImported={() =>
            void change(async () => {
              onActionsChanged();
            })
          }
        />
      )}
    </section>
  );
}

function ConnectorForm({
  connector,
  onSave,
  onCancel,
}: {
  connector: Connector | null;
  onSave: (definition: Record<string, unknown>) => void;
  onCancel: () => void;
}) {
  const [headers, setHeaders] = useState<EditedHeader[]>(editedHeaders(connector?.headers ?? []));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    onSave({
      name: text('name'),
      url: text('url'),
      timeoutMs: Number(text('timeoutMs')),
      maxBytes: Number(text('maxBytes')),
      headers: headersToSave(headers),
    });
  }

  return (
    <form
      onSubmit={submit}
      aria-label="Connector"
      className="space-y-3 rounded-md border bg-white p-4"
    >
      <h3 className="font-medium">{connector ? `Edit ${connector.name}` : 'New MCP connector'}</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="grid gap-1 text-sm">
          Connector name
          <input name="name" required defaultValue={connector?.name} className={inputClass} />
        </label>
        <label className="grid gap-1 text-sm">
          Server URL (Streamable HTTP)
          <input
            name="url"
            required
            defaultValue={connector?.url ?? 'https://'}
            className={inputClass}
          />
        </label>
        <label className="grid gap-1 text-sm">
          Timeout (ms)
          <input
            name="timeoutMs"
            type="number"
            min={100}
            max={30000}
            defaultValue={connector?.timeoutMs ?? 10_000}
            className={inputClass}
          />
        </label>
        <label className="grid gap-1 text-sm">
          Largest answer (bytes)
          <input
            name="maxBytes"
            type="number"
            min={1}
            defaultValue={connector?.maxBytes ?? 262_144}
            className={inputClass}
          />
        </label>
      </div>
      <SecretHeadersEditor headers={headers} onChange={setHeaders} newSecret />
      <div className="flex gap-2">
        <button type="submit" className={buttonClass}>
          Save connector
        </button>
        <button type="button" className={secondaryButtonClass} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ConnectorTools({
  connector,
  onClose,
  onImported,
}: {
  connector: Connector;
  onClose: () => void;
  onImported: () => void;
}) {
  const { run, busy, outcome } = useAction();
  const [tools, setTools] = useState<ConnectorTool[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());

  const load = () =>
    run(async () => {
      const result = await adminRequest<{ tools: ConnectorTool[] }>(
        `/api/admin/connectors/${connector.id}/tools`,
      );
      setTools(result.tools);
      setPicked(new Set());
    });

  function importPicked() {
    void run(
      async () => {
        const result = await adminRequest<{ created: { name: string }[] }>(
          `/api/admin/connectors/${connector.id}/tools`,
          'POST',
          { tools: [...picked] },
        );
        onImported();
        const fresh = await adminRequest<{ tools: ConnectorTool[] }>(
          `/api/admin/connectors/${connector.id}/tools`,
        );
        setTools(fresh.tools);
        setPicked(new Set());
        return result.created.map((a) => a.name);
      },
      (names) => `Added ${names.join(', ')}: set its policies, test it, then enable it.`,
    );
  }

  return (
    <section
      aria-label={`Tools of ${connector.name}`}
      className="space-y-3 rounded-md border bg-white p-4"
    >
      <div className="flex items-center gap-2">
        <h3 className="font-medium">Tools of {connector.name}</h3>
        <button type="button" className={`${secondaryButtonClass} ml-auto`} onClick={onClose}>
          Close
        </button>
      </div>
      {!tools && (
        <button type="button" className={buttonClass} disabled={busy} onClick={() => void load()}>
          List tools
        </button>
      )}
      {outcome}
      {tools && tools.length === 0 && <p className="text-sm">The server offers no tools.</p>}
      {tools && tools.length > 0 && (
        <>
          <ul className="space-y-1 text-sm">
            {tools.map((tool) => (
              <li key={tool.name} className="rounded border p-2">
                <label className="flex items-start gap-2">
                  <input
                    type="checkbox"
                    disabled={!tool.importable || tool.action !== null}
                    checked={picked.has(tool.name)}
                    onChange={(e) =>
                      setPicked((all) => {
                        const next = new Set(all);
                        if (e.target.checked) next.add(tool.name);
                        else next.delete(tool.name);
                        return next;
                      })
                    }
                  />
                  <span>
                    <span className="font-medium">{tool.title}</span>{' '}
                    <span className="font-mono text-xs text-ink-500">{tool.name}</span> —{' '}
                    {tool.description || 'no description'}{' '}
                    <span className="text-ink-500">
                      ({tool.readOnly ? 'read' : 'write'}
                      {tool.action ? `, action ${tool.action.name}` : ''})
                    </span>
                  </span>
                </label>
                {tool.warnings.map((w) => (
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
            Add selected as actions
          </button>
        </>
      )}
    </section>
  );
}
