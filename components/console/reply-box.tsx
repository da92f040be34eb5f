'use client';

import { type KeyboardEvent, useEffect, useRef, useState } from 'react';

type Canned = { id: string; shortcut: string; title: string; content: string };

const TYPING_SENT_EVERY_MS = 2000;

type Mode = 'reply' | 'note';

/**
 * The agent's reply box. Typing "/shortcut" offers the admins' canned responses (Tab or Enter
 * inserts the first); "Suggest reply" drafts an answer from the knowledge base to edit.
 * "Internal note" writes to the team instead: any agent may add one, whoever holds the
 * conversation, and it goes to the notes route, never to the customer (no typing signal either).
 */
export function ReplyBox({
  conversationId,
  enabled,
  disabledReason,
  onSent,
}: {
  conversationId: string;
  enabled: boolean;
  disabledReason: string;
  onSent: () => void;
}) {
  const [mode, setMode] = useState<Mode>('reply');
  // A draft per mode, so a half-written note can never go out as a reply by switching tabs.
  const [drafts, setDrafts] = useState<Record<Mode, string>>({ reply: '', note: '' });
  const text = drafts[mode];
  const setText = (next: string | ((current: string) => string)) =>
    setDrafts((all) => ({
      ...all,
      [mode]: typeof next === 'function' ? next(all[mode]) : next,
    }));
  const [canned, setCanned] = useState<Canned[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [hint, setHint] = useState<string | null>(null);
  const lastTyping = useRef(0);
  const base = `/api/console/conversations/${conversationId}`;

  useEffect(() => {
    void fetch('/api/console/canned-responses')
      .then((r) => (r.ok ? r.json() : { cannedResponses: [] }))
      .then((body: { cannedResponses: Canned[] }) => setCanned(body.cannedResponses));
  }, []);

  const slash = /(?:^|\s)\/([a-z0-9-]*)$/.exec(text);
  const matches = slash ? canned.filter((c) => c.shortcut.startsWith(slash[1]!)) : [];

  function insert(response: Canned) {
    setText((current) => current.replace(/\/[a-z0-9-]*$/, response.content));
  }

  function typed(value: string) {
    setText(value);
    const now = Date.now();
    if (mode === 'reply' && enabled && now - lastTyping.current > TYPING_SENT_EVERY_MS) {
      lastTyping.current = now;
      void fetch(`${base}/typing`, { method: 'POST' }).catch(() => {});
    }
  }

  async function send() {
    const body = text.trim();
    if (!body || busy) return;
    setBusy(true);
    setError(null);
    const response = await fetch(`${base}/${mode === 'note' ? 'notes' : 'messages'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: body }),
    });
    setBusy(false);
    if (response.ok) {
      setText('');
      onSent();
    } else {
      const failure = (await response.json().catch(() => null)) as {
        error?: { message?: string };
      } | null;
      setError(
        failure?.error?.message ??
          (mode === 'note' ? 'The note could not be saved.' : 'The reply could not be sent.'),
      );
    }
  }

  async function suggest() {
    setHint('Drafting from the knowledge base…');
    const response = await fetch(`${base}/suggested-reply`, { cache: 'no-store' });
    const draft = response.ok
      ? ((await response.json()) as { text: string | null })
      : { text: null };
    if (draft.text) {
      setText(draft.text);
      setHint('Draft inserted — check and edit it before sending.');
    } else {
      setHint('The knowledge base has nothing relevant to suggest for this question.');
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (matches.length > 0 && (event.key === 'Tab' || event.key === 'Enter')) {
      event.preventDefault();
      insert(matches[0]!);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  }

  const note = mode === 'note';
  const writable = note || enabled;
  return (
    <form
      className={`border-t p-3 ${note ? 'border-amber-300 bg-amber-50' : 'border-gray-200 bg-white'}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div role="tablist" aria-label="Write" className="mb-2 flex gap-1">
        {(
          [
            ['reply', 'Reply to customer'],
            ['note', 'Internal note'],
          ] as const
        ).map(([value, label]) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={mode === value}
            onClick={() => {
              setMode(value);
              setError(null);
              setHint(null);
            }}
            className={`rounded-md px-2.5 py-1 text-xs font-medium ${mode === value ? (value === 'note' ? 'bg-amber-200 text-amber-950' : 'bg-brand-600 text-white') : 'text-ink-700 hover:bg-gray-100'}`}
          >
            {label}
          </button>
        ))}
      </div>
      {matches.length > 0 && (
        <ul
          aria-label="Canned responses"
          className="mb-2 max-h-40 overflow-y-auto rounded-md border border-gray-200 text-sm"
        >
          {matches.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                onClick={() => insert(c)}
                className="w-full px-2 py-1 text-left hover:bg-gray-50"
              >
                <span className="font-mono text-xs text-brand-600">/{c.shortcut}</span> {c.title}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor="console-reply" className="sr-only">
        {note ? 'Note for the team' : 'Reply'}
      </label>
      <textarea
        id="console-reply"
        value={text}
        onChange={(e) => typed(e.target.value)}
        onKeyDown={onKeyDown}
        disabled={!writable}
        rows={3}
        placeholder={
          note
            ? 'Write a note for the team — the customer never sees it'
            : enabled
              ? 'Write a reply… (type / for canned responses)'
              : disabledReason
        }
        className={`w-full resize-none rounded-md border px-3 py-2 text-sm focus:outline-none disabled:bg-gray-50 ${note ? 'border-amber-400 bg-white focus:border-amber-600' : 'border-gray-300 focus:border-brand-500'}`}
      />
      {error && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="mt-2 flex items-center gap-2">
        {note ? (
          <span className="text-xs text-amber-900">Only agents see notes.</span>
        ) : (
          <>
            <button
              type="button"
              onClick={() => void suggest()}
              disabled={!enabled}
              className="rounded-md border border-gray-300 px-3 py-1.5 text-sm hover:bg-gray-100 disabled:opacity-50"
            >
              Suggest reply
            </button>
            {hint && <span className="text-xs text-ink-500">{hint}</span>}
          </>
        )}
        <button
          type="submit"
          disabled={!writable || busy || !text.trim()}
          className={`ml-auto rounded-md px-4 py-1.5 text-sm font-medium disabled:opacity-50 ${note ? 'bg-amber-700 text-white hover:bg-amber-800' : 'bg-brand-600 text-white hover:bg-brand-700'}`}
        >
          {note ? 'Add note to thread' : 'Send'}
        </button>
      </div>
    </form>
  );
}
