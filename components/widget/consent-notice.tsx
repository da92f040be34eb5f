'use client';

import { Fragment, useState } from 'react';
import type { ConsentNotice as NoticeText } from '@/lib/settings/schema';
import { useWidgetStrings } from './strings';
import { widgetFetch } from './widget-session';

export type ConsentDecision = 'granted' | 'declined';

// `[label](/path)` or `[label](https://…)` in the admin's wording becomes a link; nothing else is markup.
const LINK = /\[([^\]\n]+)\]\(((?:\/|https:\/\/)[^)\s]*)\)/g;

function NoticeBody({ text }: { text: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    parts.push(text.slice(last, match.index));
    parts.push(
      <a
        key={match.index}
        href={match[2]}
        target="_blank"
        rel="noopener noreferrer"
        className="text-(--tandem-accent) underline"
      >
        {match[1]}
      </a>,
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return (
    <p className="text-sm text-ink-700">
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts never reorder
        <Fragment key={i}>{part}</Fragment>
      ))}
    </p>
  );
}

/** The consent notice in the visitor's language, answered with Accept or Decline. */
export function ConsentNotice({
  notice,
  version,
  onAnswered,
}: {
  notice: NoticeText;
  version: string;
  onAnswered: (decision: ConsentDecision) => void;
}) {
  const { t, language, toggle } = useWidgetStrings();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function answer(decision: ConsentDecision) {
    setBusy(true);
    setError(null);
    try {
      const response = await widgetFetch('/api/chat/consent', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ decision, version }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as {
          error?: { message?: string };
        } | null;
        setError(body?.error?.message ?? t.consentFailed);
        return;
      }
      onAnswered(decision);
    } catch {
      setError(t.consentFailed);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      aria-labelledby="tandem-consent-heading"
      className="space-y-3 border-t border-gray-200 p-4"
    >
      <div className="flex items-center justify-between">
        <h2 id="tandem-consent-heading" className="text-sm font-semibold text-ink-900">
          {t.consentHeading}
        </h2>
        {/* The composer, which holds the language switch, waits for the answer. */}
        <button
          type="button"
          onClick={toggle}
          title={t.language}
          className="rounded-lg px-1.5 py-1 text-xs text-ink-500 hover:bg-gray-100"
        >
          {t.switchTo}
        </button>
      </div>
      <NoticeBody text={notice[language]} />
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <button
          type="button"
          disabled={busy}
          onClick={() => void answer('granted')}
          className="rounded-lg bg-(--tandem-accent) px-4 py-2 text-sm text-white hover:bg-(--tandem-accent-strong) disabled:opacity-50"
        >
          {t.accept}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void answer('declined')}
          className="rounded-lg border border-gray-300 px-4 py-2 text-sm text-ink-700 hover:bg-gray-100 disabled:opacity-50"
        >
          {t.decline}
        </button>
      </div>
    </section>
  );
}

/** For a visitor who declined and has not written yet: a message for the team, and where to reply. */
export function LeaveMessageForm({
  busy,
  onSend,
}: {
  busy: boolean;
  onSend: (input: { email: string; text: string }) => void;
}) {
  const { t } = useWidgetStrings();
  const [email, setEmail] = useState('');
  const [text, setText] = useState('');
  return (
    <form
      aria-labelledby="tandem-leave-message-heading"
      className="space-y-2 border-t border-gray-200 p-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (!email.trim() || !text.trim() || busy) return;
        onSend({ email: email.trim(), text: text.trim() });
      }}
    >
      <h2 id="tandem-leave-message-heading" className="text-sm font-semibold text-ink-900">
        {t.leaveMessageHeading}
      </h2>
      <p className="text-xs text-ink-500">{t.leaveMessageHint}</p>
      <label className="block text-sm text-ink-700">
        {t.yourEmail}
        <input
          type="email"
          required
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          className="mt-1 block w-full rounded-lg border border-gray-300 px-3 py-2 text-sm"
        />
      </label>
      <label className="block text-sm text-ink-700">
        {t.yourMessage}
        <textarea
          required
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="mt-1 block w-full resize-none rounded-lg border border-gray-300 px-3 py-2 text-sm"
        />
      </label>
      <button
        type="submit"
        disabled={busy || !email.trim() || !text.trim()}
        className="rounded-lg bg-(--tandem-accent) px-4 py-2 text-sm text-white hover:bg-(--tandem-accent-strong) disabled:opacity-50"
      >
        {t.sendToTeam}
      </button>
    </form>
  );
}
