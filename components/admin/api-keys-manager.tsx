'use client';

import { type FormEvent, useState } from 'react';
import { adminRequest } from './api';
import { CopyButton } from './settings/copy-button';
import { inputClass, useAdminResource } from './use-action';

type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  rateLimitPerMinute: number;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const SCOPES = ['read', 'write', 'agent', 'admin'] as const;

/** Keys for the public API: created, rotated and revoked here; each secret is shown once. */
export function ApiKeysManager() {
  const { data, change, outcome } = useAdminResource<{ apiKeys: ApiKey[] }>('/api/admin/api-keys');
  const keys = data?.apiKeys ?? [];
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name'));
    void change(async () => {
      const { key } = await adminRequest<{ key: string }>('/api/admin/api-keys', 'POST', {
        name,
        scopes: form.getAll('scopes'),
        rateLimitPerMinute: Number(form.get('rateLimitPerMinute')),
      });
      setShown({ name, key });
    });
  }

  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">API keys</h1>
      <p className="text-sm text-ink-500">
        Callers send a key as <code>Authorization: Bearer …</code> to the{' '}
        <a href="/docs/api" className="text-brand-600 underline">
          public API
        </a>
        ; its scopes say what it may do (read &lt; write &lt; agent &lt; admin).
      </p>
      {outcome}
      {shown && (
        <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium">
            Copy the key for “{shown.name}” now — it will not be shown again.
          </p>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <code
              data-testid="new-api-key"
              className="block min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs"
            >
              {shown.key}
            </code>
            <CopyButton text={shown.key} label={`Copy the key for ${shown.name}`} />
          </div>
        </div>
      )}
      <table className="w-full bg-white text-sm">
        <thead>
          <tr className="text-left text-ink-500">
            <th className="p-2">Name</th>
            <th>Key</th>
            <th>Scopes</th>
            <th>Limit</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data && keys.length === 0 && (
            <tr className="border-t">
              <td colSpan={6} className="p-2 text-ink-500">
                No API keys yet.
              </td>
            </tr>
          )}
          {keys.map((k) => (
            <tr key={k.id} className="border-t">
              <td className="p-2">{k.name}</td>
              <td className="font-mono text-xs">{k.prefix}…</td>
              <td>{k.scopes.join(', ')}</td>
              <td>{k.rateLimitPerMinute}/min</td>
              <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</td>
              <td className="space-x-2">
                {k.revokedAt ? (
                  <span className="text-ink-500">revoked</span>
                ) : (
                  <>
                    <button
                      type="button"
                      className="text-brand-600 underline"
                      onClick={() =>
                        void change(async () => {
                          const { key } = await adminRequest<{ key: string }>(
                            `/api/admin/api-keys/${k.id}/rotate`,
                            'POST',
                          );
                          setShown({ name: k.name, key });
                        })
                      }
                    >
                      Rotate<span className="sr-only"> {k.name}</span>
                    </button>
                    <button
                      type="button"
                      className="text-red-700 underline"
                      onClick={() =>
                        void change(() => adminRequest(`/api/admin/api-keys/${k.id}`, 'DELETE'))
                      }
                    >
                      Revoke<span className="sr-only"> {k.name}</span>
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        onSubmit={create}
        aria-label="New API key"
        className="space-y-2 rounded-md border border-gray-200 bg-white p-4"
      >
        <h2 className="font-medium">New API key</h2>
        <div className="flex flex-wrap items-center gap-3">
          <input
            name="name"
            aria-label="Name"
            placeholder="e.g. Shop backend"
            required
            className={inputClass}
          />
          <fieldset className="flex gap-2 text-sm">
            <legend className="sr-only">Scopes</legend>
            {SCOPES.map((s) => (
              <label key={s} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  name="scopes"
                  value={s}
                  defaultChecked={s === 'read' || s === 'write'}
                />{' '}
                {s}
              </label>
            ))}
          </fieldset>
          <label className="flex items-center gap-1 text-sm">
            Requests per minute
            <input
              name="rateLimitPerMinute"
              type="number"
              min={1}
              defaultValue={120}
              className={`${inputClass} w-24`}
            />
          </label>
          <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white">
            Create key
          </button>
        </div>
      </form>
    </div>
  );
}
