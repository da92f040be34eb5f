'use client';

import { useEffect, useState } from 'react';
import type { ChatMessage, ConfirmationRequest } from '@/lib/conversations/chat-message';
import { useWidgetStrings } from './strings';
import { widgetFetch } from './widget-session';

type CallState = { id: string; status: string; summary: string };

/**
 * A request the assistant will carry out only once the customer says so: its summary with
 * Confirm and Cancel while it waits, and where it stands once answered (also after a reload,
 * asked of the server). The answer comes back as the assistant's message about the outcome.
 */
export function ActionConfirmation({
  request,
  onAnswered,
}: {
  request: ConfirmationRequest;
  onAnswered: (message: ChatMessage) => void;
}) {
  const { t } = useWidgetStrings();
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const url = `/api/widget/action-calls/${request.callId}`;

  useEffect(() => {
    let live = true;
    void widgetFetch(url)
      .then(async (response) => {
        if (!response.ok) return;
        const { call } = (await response.json()) as { call: CallState };
        if (live) setStatus(call.status);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [url]);

  async function answer(decision: 'confirm' | 'cancel') {
    setBusy(true);
    setFailed(null);
    try {
      const response = await widgetFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ decision }),
      });
      const body = (await response.json().catch(() => null)) as {
        call?: CallState;
        message?: ChatMessage;
        error?: { message?: string; details?: { status?: string } };
      } | null;
      if (!response.ok) {
        // Answered already (in another tab, or by the team): show where it stands.
        if (body?.error?.details?.status) setStatus(body.error.details.status);
        else setFailed(body?.error?.message ?? t.callFailed);
        return;
      }
      if (body?.call) setStatus(body.call.status);
      if (body?.message) onAnswered(body.message);
    } catch {
      setFailed(t.callFailed);
    } finally {
      setBusy(false);
    }
  }

  const waiting = status === null || status === 'awaiting_confirmation';
  return (
    <section
      aria-label={t.confirmRequest}
      data-call-status={status ?? 'loading'}
      className="ml-1 max-w-[85%] rounded-xl border border-gray-200 bg-white px-3 py-2 text-sm shadow-sm"
    >
      <p className="font-medium text-ink-900">{request.summary}</p>
      {waiting ? (
        <div className="mt-2 flex gap-2">
          <button
            type="button"
            disabled={busy || status === null}
            onClick={() => void answer('confirm')}
            className="rounded-lg bg-(--tandem-accent) px-3 py-1.5 text-xs font-medium text-white hover:bg-(--tandem-accent-strong) disabled:opacity-50"
          >
            {t.confirm}
          </button>
          <button
            type="button"
            disabled={busy || status === null}
            onClick={() => void answer('cancel')}
            className="rounded-lg border border-gray-300 px-3 py-1.5 text-xs text-ink-700 hover:bg-gray-50 disabled:opacity-50"
          >
            {t.cancelRequest}
          </button>
        </div>
      ) : (
        <p className="mt-1 text-xs text-ink-500">{t.callStatus[status] ?? status}</p>
      )}
      {failed && (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {failed}
        </p>
      )}
    </section>
  );
}
