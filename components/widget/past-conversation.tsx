'use client';

import { useEffect, useState } from 'react';
import type { CustomerConversation } from '@/lib/conversations/customer-conversations';
import { formatWhen } from './conversation-list';
import { CsatPrompt } from './csat-prompt';
import { useWidgetStrings } from './strings';
import { ThreadMessage } from './thread-message';
import { widgetFetch } from './widget-session';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed' }
  | { state: 'loaded'; conversation: CustomerConversation };

/**
 * One of the customer's conversations, read-only: its transcript, its rating (asked here if a
 * resolved one was never rated), and — for one still going that is not the one on screen — a
 * way to continue it.
 */
export function PastConversation({
  id,
  currentId,
  botName,
  onBackToChat,
  onContinue,
}: {
  id: string;
  currentId: string | null;
  botName: string;
  onBackToChat: () => void;
  onContinue: (conversation: CustomerConversation) => void;
}) {
  const { t, language } = useWidgetStrings();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    widgetFetch(`/api/chat/conversations/${id}`)
      .then(async (response) => {
        if (!response.ok) throw new Error(`conversation: ${response.status}`);
        const conversation = (await response.json()) as CustomerConversation;
        if (live) setLoaded({ state: 'loaded', conversation });
      })
      .catch(() => live && setLoaded({ state: 'failed' }));
    return () => {
      live = false;
    };
  }, [id]);

  if (loaded.state !== 'loaded') {
    return (
      <section className="flex-1 px-4 py-3">
        {loaded.state === 'loading' ? (
          <p aria-busy="true" className="text-sm text-ink-500">
            {t.loading}
          </p>
        ) : (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {t.conversationsFailed}
          </p>
        )}
      </section>
    );
  }

  const { conversation } = loaded;
  const resolved = conversation.status === 'resolved' || conversation.status === 'closed';
  return (
    <section
      aria-label={t.conversation}
      data-conversation-id={conversation.id}
      className="flex min-h-0 flex-1 flex-col"
    >
      <p className="border-b border-gray-100 px-4 py-2 text-xs text-ink-500">
        {t.startedOn(formatWhen(conversation.createdAt, language))} ·{' '}
        {t.conversationStatus[conversation.status] ?? conversation.status}
      </p>
      <div
        role="log"
        aria-label={t.conversation}
        className="flex-1 space-y-3 overflow-y-auto px-4 py-4"
      >
        {conversation.messages.map((message) => (
          <ThreadMessage key={message.id} message={message} botName={botName} />
        ))}
        {resolved &&
          (conversation.rating === null ? (
            <CsatPrompt key={conversation.id} conversationId={conversation.id} />
          ) : (
            <p className="text-center text-xs text-ink-500">{t.youRated(conversation.rating)}</p>
          ))}
      </div>
      <div className="border-t border-gray-200 p-3 text-sm">
        {conversation.id === currentId ? (
          <button
            type="button"
            onClick={onBackToChat}
            className="w-full rounded-lg bg-(--tandem-accent) px-3 py-2 text-white hover:bg-(--tandem-accent-strong)"
          >
            {t.backToChat}
          </button>
        ) : resolved ? (
          <p className="text-xs text-ink-500">{t.resolvedReadOnly}</p>
        ) : (
          <button
            type="button"
            onClick={() => onContinue(conversation)}
            className="w-full rounded-lg bg-(--tandem-accent) px-3 py-2 text-white hover:bg-(--tandem-accent-strong)"
          >
            {t.continueConversation}
          </button>
        )}
      </div>
    </section>
  );
}
