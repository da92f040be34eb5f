'use client';

import { useState } from 'react';
import type { ConsoleActionCall } from '@/app/api/console/_lib/action-calls';

const STATUS_LABELS: Record<string, string> = {
  awaiting_confirmation: 'Waiting for the customer',
  awaiting_approval: 'Needs approval',
  ready: 'Ready',
  running: 'Running',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled by the customer',
  rejected: 'Rejected',
  expired: 'Expired before anyone answered',
};

/**
 * What the bot did, or wants to do, in the business's systems for this conversation: each call
 * with where it stands, and Approve or Reject on those waiting for the team.
 */
export function ActionCalls({
  calls,
  onDecided,
}: {
  calls: ConsoleActionCall[];
  onDecided: () => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function decide(id: string, decision: 'approve' | 'reject') {
    setBusy(id);
    setError(null);
    try {
      const response = await fetch(`/api/console/action-calls/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ decision }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as {
          error?: { message?: string };
        } | null;
        setError(body?.error?.message ?? `The decision failed (${response.status}).`);
      }
      onDecided();
    } finally {
      setBusy(null);
    }
  }

  if (calls.length === 0) return <p className="text-xs text-ink-500">No actions yet.</p>;
  return (
    <ul className="space-y-2">
      {calls.map((call) => (
        <li
          key={call.id}
          aria-label={call.summary}
          data-status={call.status}
          className={`rounded border px-2 py-1.5 text-xs ${
            call.status === 'awaiting_approval' ? 'border-amber-300 bg-amber-50' : 'border-gray-200'
          }`}
        >
          <p className="font-medium text-ink-900" title={call.description ?? undefined}>
            {call.summary}
          </p>
          {call.description && <p className="text-ink-500">{call.description}</p>}
          <p className="text-ink-500">
            {STATUS_LABELS[call.status] ?? call.status}
            {call.error ? ` — ${call.error}` : ''}
          </p>
          {call.status === 'awaiting_approval' && (
            <div className="mt-1.5 flex gap-2">
              <button
                type="button"
                disabled={busy !== null}
                onClick={() => void decide(call.id, 'approve')}
                className="rounded bg-brand-600 px-2 py-1 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
              >
                Approve
              </button>
              <button
                type="button"
                disabled={busy !== null}
                onClick={() => void decide(call.id, 'reject')}
                className="rounded border border-gray-300 px-2 py-1 hover:bg-gray-50 disabled:opacity-50"
              >
                Reject
              </button>
            </div>
          )}
        </li>
      ))}
      {error && (
        <li role="alert" className="text-xs text-red-700">
          {error}
        </li>
      )}
    </ul>
  );
}
