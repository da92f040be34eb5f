'use client';

import { ChevronRight } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { CustomerConversationSummary } from '@/lib/conversations/customer-conversations';
import { useWidgetStrings } from './strings';
import { widgetFetch } from './widget-session';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed' }
  | { state: 'loaded'; conversations: CustomerConversationSummary[] };

/** The customer's conversations as the server knows them; none before they first wrote. */
async function loadConversations(): Promise<CustomerConversationSummary[]> {
  const response = await widgetFetch('/api/chat/conversations');
  // No session yet: this visitor has never written, so has no conversations.
  if (response.status === 401) return [];
  if (!response.ok) throw new Error(`conversations: ${response.status}`);
  return ((await response.json()) as { conversations: CustomerConversationSummary[] })
    .conversations;
}

export function formatWhen(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** The customer's past conversations, newest first: when, what they asked, where it stands. */
export function ConversationList({
  currentId,
  onOpen,
}: {
  currentId: string | null;
  onOpen: (id: string) => void;
}) {
  const { t, language } = useWidgetStrings();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    loadConversations().then(
      (conversations) => live && setLoaded({ state: 'loaded', conversations }),
      () => live && setLoaded({ state: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <section aria-label={t.yourConversations} className="flex-1 overflow-y-auto px-3 py-3">
      <h2 className="mb-2 px-1 text-sm font-semibold text-ink-900">{t.yourConversations}</h2>
      {loaded.state === 'loading' && (
        <p aria-busy="true" className="px-1 text-sm text-ink-500">
          {t.loading}
        </p>
      )}
      {loaded.state === 'failed' && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {t.conversationsFailed}
        </p>
      )}
      {loaded.state === 'loaded' && loaded.conversations.length === 0 && (
        <p className="px-1 text-sm text-ink-500">{t.noConversations}</p>
      )}
      {loaded.state === 'loaded' && loaded.conversations.length > 0 && (
        <ul className="space-y-1">
          {loaded.conversations.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                onClick={() => onOpen(c.id)}
                data-conversation-id={c.id}
                className="flex w-full items-center gap-2 rounded-lg border border-gray-200 px-3 py-2 text-left hover:bg-gray-50"
              >
                <span className="min-w-0 flex-1">
                  <span className="block truncate text-sm text-ink-900">
                    {c.firstQuestion ?? t.noQuestion}
                  </span>
                  <span className="block text-xs text-ink-500">
                    {formatWhen(c.createdAt, language)} ·{' '}
                    {t.conversationStatus[c.status] ?? c.status}
                    {c.id === currentId ? ` · ${t.current}` : ''}
                  </span>
                </span>
                <ChevronRight aria-hidden="true" className="size-4 shrink-0 text-ink-500" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
