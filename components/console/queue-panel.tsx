'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueueItem } from '@/app/api/console/_lib/queue';
import { MAX_QUEUE_SEARCH, type QueueFilter } from '@/app/api/console/_lib/queue-options';
import { categoryLabel } from '@/lib/text/labels';
import { Badge, formatWaiting, PriorityBadge, SentimentBadge, TrendBadge } from './badges';
import { useConsoleEvents } from './console-events';
import { useNow } from './use-now';

const FILTERS: { value: QueueFilter; label: string }[] = [
  { value: 'open', label: 'All open' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'mine', label: 'Mine' },
  { value: 'ai', label: 'With AI' },
  { value: 'resolved', label: 'Resolved' },
];

/** The live queue: refreshed whenever any conversation changes, on any instance. */
export function QueuePanel({ me }: { me: { id: string; name: string } }) {
  const [filter, setFilter] = useState<QueueFilter>('open');
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [failed, setFailed] = useState(false);
  const pathname = usePathname();
  const now = useNow();
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(async () => {
    try {
      const params = new URLSearchParams({ filter });
      if (search) params.set('q', search);
      const response = await fetch(`/api/console/queue?${params}`, { cache: 'no-store' });
      if (response.status === 401) {
        window.location.assign(
          `/sign-in?callbackUrl=${encodeURIComponent(window.location.pathname)}`,
        );
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      setItems(((await response.json()) as { items: QueueItem[] }).items);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [filter, search]);

  useEffect(() => {
    void load();
  }, [load]);

  // Searches as the agent types, once they pause.
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);

  // Bursts of events (a streamed answer, two agents acting) become one reload.
  const connected = useConsoleEvents((event) => {
    if (event.type === 'typing') return;
    clearTimeout(pending.current);
    pending.current = setTimeout(() => void load(), 150);
  });

  // Opening a conversation marks it read: reflect that without waiting for an event.
  useEffect(() => {
    const open = pathname.match(/\/console\/conversations\/([^/]+)/)?.[1];
    if (open)
      setItems((current) => current?.map((i) => (i.id === open ? { ...i, unread: 0 } : i)) ?? null);
  }, [pathname]);

  return (
    <aside
      aria-label="Queue"
      className="flex w-80 shrink-0 flex-col border-r border-gray-200 bg-white"
    >
      <div className="flex items-center justify-between px-3 pt-3">
        <h2 className="text-sm font-semibold">Queue</h2>
        <span className={`text-[11px] ${connected ? 'text-green-700' : 'text-ink-500'}`}>
          {connected ? '● live' : 'connecting…'}
        </span>
      </div>
      <div
        role="tablist"
        aria-label="Filter conversations"
        className="flex flex-wrap gap-1 px-3 py-2"
      >
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            role="tab"
            aria-selected={filter === f.value}
            onClick={() => setFilter(f.value)}
            className={`rounded-full px-2.5 py-1 text-xs ${filter === f.value ? 'bg-brand-600 text-white' : 'bg-gray-100 text-ink-700 hover:bg-gray-200'}`}
          >
            {f.label}
          </button>
        ))}
      </div>
      <div className="px-3 pb-2">
        <input
          type="search"
          aria-label="Search conversations"
          placeholder="Search name, email, words or TKT-…"
          value={typed}
          maxLength={MAX_QUEUE_SEARCH}
          onChange={(e) => setTyped(e.target.value)}
          className="w-full rounded-md border border-gray-300 px-2 py-1 text-xs"
        />
      </div>
      {failed && (
        <p role="alert" className="mx-3 rounded bg-red-50 px-2 py-1 text-xs text-red-700">
          Could not load the queue. Retrying on the next change.
        </p>
      )}
      <ul
        aria-label="Conversations"
        className="min-h-0 flex-1 divide-y divide-gray-100 overflow-y-auto"
      >
        {items?.length === 0 && (
          <li className="px-3 py-6 text-center text-sm text-ink-500">
            {search ? `No conversations here match “${search}”.` : 'Nothing here right now.'}
          </li>
        )}
        {items?.map((item) => {
          const active = pathname === `/console/conversations/${item.id}`;
          const waiting = formatWaiting(item.waitingSince, now);
          return (
            <li key={item.id} data-conversation-id={item.id}>
              <Link
                href={`/console/conversations/${item.id}`}
                aria-current={active ? 'page' : undefined}
                className={`block px-3 py-2.5 hover:bg-gray-50 ${active ? 'bg-brand-50' : ''}`}
              >
                <div className="flex items-center gap-2">
                  <span className="truncate text-sm font-medium">{item.customerName}</span>
                  {item.unread > 0 && (
                    <span className="rounded-full bg-brand-600 px-1.5 text-[11px] font-semibold text-white">
                      {item.unread}
                      <span className="sr-only"> unread</span>
                    </span>
                  )}
                  {waiting && (
                    <span
                      className="ml-auto font-mono text-[11px] text-ink-500"
                      title="Waiting for a person"
                    >
                      ⏱ {waiting}
                    </span>
                  )}
                </div>
                {item.topic && (
                  <p className="mt-0.5 truncate text-xs font-medium text-ink-700">{item.topic}</p>
                )}
                <p className="mt-0.5 truncate text-xs text-ink-500">
                  {item.lastCustomerMessage ?? '—'}
                </p>
                <div className="mt-1 flex flex-wrap items-center gap-1">
                  <PriorityBadge priority={item.priority} />
                  {item.category && (
                    <Badge className="bg-blue-50 text-blue-800">
                      {categoryLabel(item.category)}
                    </Badge>
                  )}
                  <SentimentBadge polarity={item.sentiment} />
                  <TrendBadge trend={item.sentimentTrend} />
                  {item.language && (
                    <Badge className="bg-gray-100 text-ink-700">{item.language}</Badge>
                  )}
                  <span className="ml-auto text-[11px] text-ink-500">
                    {item.owner === 'human'
                      ? item.assignedAgent?.id === me.id
                        ? 'You'
                        : item.assignedAgent?.name
                      : item.owner === 'none'
                        ? 'Waiting'
                        : item.status === 'resolved'
                          ? 'Resolved'
                          : 'AI'}
                  </span>
                </div>
              </Link>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
