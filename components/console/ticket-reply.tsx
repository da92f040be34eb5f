'use client';

import { type FormEvent, useState } from 'react';

/** An agent's reply to one ticket: saved on the ticket and emailed to the customer when possible. */
export function TicketReply({
  ticketId,
  ticketNumber,
  onReplied,
}: {
  ticketId: string;
  ticketNumber: string;
  onReplied: (status: string) => void;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    try {
      const response = await fetch(`/api/console/tickets/${ticketId}/reply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: text }),
      });
      const body = (await response.json().catch(() => null)) as {
        emailed?: boolean;
        ticket?: { status: string };
        error?: { message: string };
      } | null;
      if (!response.ok || !body?.ticket) {
        setOutcome({ ok: false, text: body?.error?.message ?? 'The reply could not be saved.' });
        return;
      }
      setText('');
      onReplied(body.ticket.status);
      setOutcome({
        ok: true,
        text: body.emailed
          ? 'Sent to the customer by email and saved on the ticket.'
          : 'Saved on the ticket. Not emailed: no customer address, or mail is not set up.',
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-brand-600">Reply</summary>
      <form onSubmit={send} aria-label={`Reply to ${ticketNumber}`} className="mt-1 space-y-1">
        <label className="sr-only" htmlFor={`ticket-reply-${ticketId}`}>
          Reply to {ticketNumber}
        </label>
        <textarea
          id={`ticket-reply-${ticketId}`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={3}
          placeholder="Emailed to the customer"
          className="w-full rounded border border-gray-300 px-2 py-1 text-xs"
        />
        <button
          type="submit"
          disabled={busy || !text.trim()}
          className="rounded bg-brand-600 px-2 py-1 text-xs text-white disabled:opacity-50"
        >
          Send reply
        </button>
        {outcome && (
          <p
            role={outcome.ok ? 'status' : 'alert'}
            className={outcome.ok ? 'text-green-800' : 'text-red-700'}
          >
            {outcome.text}
          </p>
        )}
      </form>
    </details>
  );
}
