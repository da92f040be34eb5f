'use client';

import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { adminRequest } from './api';
import { CopyButton } from './settings/copy-button';
import { inputClass, useAdminResource } from './use-action';

type Endpoint = {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  createdAt: string;
};
type Attempt = {
  id: string;
  attempt: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  nextRetryAt: string | null;
  createdAt: string;
};
type Delivery = {
  id: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextRetryAt: string | null;
  createdAt: string;
  attemptLog: Attempt[];
};

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** Webhook endpoints: register (secret shown once), enable/disable, delete, and each one's delivery log. */
export function WebhooksManager() {
  const { data, change, run, outcome } = useAdminResource<{
    endpoints: Endpoint[];
    events: string[];
  }>('/api/admin/webhooks');
  const endpoints = data?.endpoints ?? [];
  const events = data?.events ?? [];
  const [shown, setShown] = useState<{ url: string; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const loadLog = useCallback(async (id: string) => {
    const data = await adminRequest<{ deliveries: Delivery[] }>(
      `/api/admin/webhooks/${id}/deliveries`,
    );
    setDeliveries(data.deliveries);
  }, []);
  useEffect(() => {
    if (!open) return;
    void run(() => loadLog(open));
    const timer = setInterval(() => void loadLog(open).catch(() => {}), 3000);
    return () => clearInterval(timer);
  }, [open, loadLog, run]);

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const url = String(form.get('url'));
    void change(async () => {
      const created = await adminRequest<{ secret: string }>('/api/admin/webhooks', 'POST', {
        url,
        events: form.getAll('events'),
        description: String(form.get('description') ?? '') || undefined,
      });
      setShown({ url, secret: created.secret });
    });
  }

  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Webhooks</h1>
      {outcome}
      {shown && (
        <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium">
            Copy the signing secret for {shown.url} now — it will not be shown again.
          </p>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <code className="block min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs">
              {shown.secret}
            </code>
            <CopyButton text={shown.secret} label="Copy the signing secret" />
          </div>
        </div>
      )}
      <table className="w-full bg-white text-sm">
        <thead>
          <tr className="text-left text-ink-500">
            <th className="p-2">URL</th>
            <th>Events</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data && endpoints.length === 0 && (
            <tr className="border-t">
              <td colSpan={4} className="p-2 text-ink-500">
                No endpoints yet.
              </td>
            </tr>
          )}
          {endpoints.map((e) => (
            <tr key={e.id} className="border-t align-top">
              <td className="p-2 break-all">
                {e.url}
                {e.description && <div className="text-ink-500">{e.description}</div>}
              </td>
              <td className="text-xs">{e.events.join(', ')}</td>
              <td>{e.enabled ? 'enabled' : 'disabled'}</td>
              <td className="space-x-2 whitespace-nowrap">
                <button
                  type="button"
                  className="text-brand-600 underline"
                  onClick={() => setOpen(open === e.id ? null : e.id)}
                >
                  {open === e.id ? 'Hide log' : 'Delivery log'}
                </button>
                <button
                  type="button"
                  className="text-brand-600 underline"
                  onClick={() =>
                    void change(() =>
                      adminRequest(`/api/admin/webhooks/${e.id}`, 'PATCH', { enabled: !e.enabled }),
                    )
                  }
                >
                  {e.enabled ? 'Disable' : 'Enable'}
                </button>
                <button
                  type="button"
                  className="text-red-700 underline"
                  onClick={() =>
                    void change(async () => {
                      await adminRequest(`/api/admin/webhooks/${e.id}`, 'DELETE');
                      if (open === e.id) setOpen(null);
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

      {open && (
        <section aria-label="Delivery log" className="space-y-2">
          <h2 className="font-medium">Delivery log</h2>
          {deliveries.length === 0 && <p className="text-sm text-ink-500">No deliveries yet.</p>}
          {deliveries.map((d) => (
            <div key={d.id} className="rounded-md border border-gray-200 bg-white p-3 text-sm">
              <div className="flex flex-wrap items-center gap-3">
                <span className="font-mono text-xs">{d.eventType}</span>
                <span>{d.status}</span>
                <span className="text-ink-500">{when(d.createdAt)}</span>
                {d.status === 'pending' && d.nextRetryAt && (
                  <span className="text-ink-500">next retry {when(d.nextRetryAt)}</span>
                )}
                <button
                  type="button"
                  className="ml-auto text-brand-600 underline"
                  onClick={() =>
                    void run(async () => {
                      await adminRequest(
                        `/api/admin/webhooks/${open}/deliveries/${d.id}/replay`,
                        'POST',
                      );
                      await loadLog(open);
                    })
                  }
                >
                  Replay
                </button>
              </div>
              <table className="mt-2 w-full text-xs">
                <thead>
                  <tr className="text-left text-ink-500">
                    <th>Attempt</th>
                    <th>Status</th>
                    <th>Duration</th>
                    <th>Error</th>
                    <th>Next retry</th>
                  </tr>
                </thead>
                <tbody>
                  {d.attemptLog.map((a) => (
                    <tr key={a.id}>
                      <td>
                        {a.attempt} · {when(a.createdAt)}
                      </td>
                      <td>{a.statusCode ?? '—'}</td>
                      <td>{a.durationMs} ms</td>
                      <td className="max-w-xs break-words text-red-700">{a.error ?? ''}</td>
                      <td>{when(a.nextRetryAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </section>
      )}

      <form
        onSubmit={create}
        aria-label="New webhook endpoint"
        className="space-y-2 rounded-md border border-gray-200 bg-white p-4"
      >
        <h2 className="font-medium">New endpoint</h2>
        <div className="flex flex-wrap items-center gap-3">
          <input
            name="url"
            type="url"
            aria-label="URL"
            placeholder="https://example.com/tandem-hooks"
            required
            className={`${inputClass} w-96`}
          />
          <input
            name="description"
            aria-label="Description"
            placeholder="e.g. CRM sync"
            className={inputClass}
          />
        </div>
        <fieldset className="flex flex-wrap gap-3 text-sm">
          <legend className="sr-only">Events</legend>
          {events.map((name) => (
            <label key={name} className="flex items-center gap-1">
              <input type="checkbox" name="events" value={name} /> {name}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white">
          Add endpoint
        </button>
      </form>
    </div>
  );
}
