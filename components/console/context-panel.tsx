'use client';

import Link from 'next/link';
import { type ReactNode, useState } from 'react';
import type { ConsoleConversation } from '@/app/api/console/_lib/conversation-detail';
import { categoryLabel, humanizeKey, languageLabel } from '@/lib/text/labels';
import { truncateText } from '@/lib/text/truncate';
import { escalationReasonLabel } from '@/lib/turn/escalation-policy';
import { ActionCalls } from './action-calls';
import { sentimentLabel } from './badges';
import { SentimentChart } from './sentiment-chart';
import { TicketReply } from './ticket-reply';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="border-b border-gray-100 px-4 py-3">
      <h2 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-ink-500">{title}</h2>
      {children}
    </section>
  );
}

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (shown.length === 0) return <p className="text-xs text-ink-500">Nothing known yet.</p>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
      {shown.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-ink-500">{k}</dt>
          <dd className="break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const show = (value: unknown) =>
  Array.isArray(value)
    ? value.join(', ')
    : typeof value === 'object' && value
      ? JSON.stringify(value)
      : String(value);

/**
 * Facts from the profile and the site's context after the named ones: each key in words, and a
 * fact already shown under that name (the site's `plan` beside the account's Plan) only once.
 */
function withExtraFacts(
  named: [string, ReactNode][],
  ...sources: Record<string, unknown>[]
): [string, ReactNode][] {
  const rows = new Map<string, ReactNode>();
  for (const [label, value] of named) {
    if (value !== null && value !== undefined && value !== '') rows.set(label, value);
  }
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      const label = humanizeKey(key);
      if (!rows.has(label)) rows.set(label, show(value));
    }
  }
  return [...rows];
}

/**
 * What the AI knows beside the transcript: summary, the conversation's labels and the latest
 * message's reading, trend, the actions it called (approved here when they need it), sources,
 * customer, history. Notes are not here: they sit in the thread, where they were written.
 */
export function ContextPanel({
  detail,
  onActionDecided,
}: {
  detail: ConsoleConversation;
  /** An agent approved or rejected one of the conversation's action calls. */
  onActionDecided: () => void;
}) {
  const { conversation, classification, customer } = detail;
  const { sentiment } = conversation;
  const { preferences, topics, ...otherFacts } = customer.profile;
  // A reply changes a ticket's status before the next reload of the detail brings it.
  const [ticketStatus, setTicketStatus] = useState<Record<string, string>>({});
  return (
    <aside
      aria-label="AI context"
      className="w-80 shrink-0 overflow-y-auto border-l border-gray-200 bg-white"
    >
      <Section title="Summary">
        <p className="text-sm">{conversation.summary ?? 'No summary yet.'}</p>
      </Section>
      {conversation.escalation && (
        <Section title="Escalation">
          <p className="text-sm font-medium">
            {escalationReasonLabel(conversation.escalation.reason)}
          </p>
          {conversation.escalation.explanation && (
            <p className="text-xs text-ink-500">{conversation.escalation.explanation}</p>
          )}
        </Section>
      )}
      {detail.actionCalls.length > 0 && (
        <Section title="Actions">
          <ActionCalls calls={detail.actionCalls} onDecided={onActionDecided} />
        </Section>
      )}
      {(detail.linked.previous || detail.linked.next.length > 0) && (
        <LinkedSection linked={detail.linked} />
      )}
      <Section title="Conversation">
        <Facts
          rows={[
            ['Problem', conversation.topic],
            ['Category', conversation.category && categoryLabel(conversation.category)],
            ['Priority', conversation.priority && `${conversation.priority} (worst unresolved)`],
            [
              'Sentiment',
              sentiment &&
                `${sentimentLabel(sentiment.polarity)} (worst ${sentiment.polarity.toFixed(2)})`,
            ],
            ['Trend', sentiment?.trend],
            ['Frustration', sentiment?.frustration?.toFixed(2)],
            ['Language', conversation.language && languageLabel(conversation.language)],
          ]}
        />
      </Section>
      <Section title="Latest message">
        <Facts
          rows={[
            ['Category', classification?.category && categoryLabel(classification.category)],
            ['Intent', classification?.intent && humanizeKey(classification.intent)],
            ['Priority', classification?.priority],
            [
              'Sentiment',
              classification &&
                `${classification.sentiment.label} (${classification.sentiment.polarity.toFixed(2)})`,
            ],
            ['Frustration', classification?.sentiment.frustration.toFixed(2)],
            ['Confidence', classification?.confidence.toFixed(2)],
          ]}
        />
      </Section>
      <Section title="Sentiment trend">
        <SentimentChart points={detail.sentimentTrend} />
      </Section>
      <Section title="Sources the AI used">
        {detail.sources.length === 0 ? (
          <p className="text-xs text-ink-500">None cited.</p>
        ) : (
          <ul className="space-y-0.5 text-xs">
            {detail.sources.map((s) => (
              <li key={s.slug}>
                <a
                  href={`/kb/${s.slug}`}
                  target="_blank"
                  rel="noreferrer"
                  className="text-brand-600 underline"
                >
                  {s.title}
                </a>{' '}
                <span className="text-ink-500">×{s.uses}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Customer">
        <Facts
          rows={withExtraFacts(
            [
              ['Name', customer.name],
              ['Email', customer.email],
              ['Site id', customer.externalId],
              ['Plan', customer.account?.plan],
              ['Account', customer.account?.status],
              ['Renews', customer.account?.renewalDate],
              ['Preferences', preferences?.length ? preferences.join('; ') : null],
              ['Past topics', topics?.length ? topics.join(', ') : null],
            ],
            otherFacts,
            customer.context,
          )}
        />
      </Section>
      <Section title="Tickets">
        {detail.tickets.length === 0 ? (
          <p className="text-xs text-ink-500">No tickets.</p>
        ) : (
          <ul className="space-y-1 text-xs">
            {detail.tickets.map((t) => (
              <li key={t.id}>
                <span className="font-mono">{t.number}</span> {t.subject}{' '}
                <span className="text-ink-500">
                  ({humanizeKey(ticketStatus[t.id] ?? t.status).toLowerCase()})
                </span>
                <TicketReply
                  ticketId={t.id}
                  ticketNumber={t.number}
                  onReplied={(status) => setTicketStatus((s) => ({ ...s, [t.id]: status }))}
                />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Past conversations">
        {detail.pastConversations.length === 0 ? (
          <p className="text-xs text-ink-500">This is their first.</p>
        ) : (
          <ul className="space-y-1 text-xs">
            {detail.pastConversations.map((p) => (
              <li key={p.id}>
                <Link href={`/console/conversations/${p.id}`} className="text-brand-600 underline">
                  {new Date(p.lastMessageAt).toLocaleDateString()}
                </Link>{' '}
                {p.category ? `${categoryLabel(p.category)} · ` : ''}
                {p.status}
                {p.summary && (
                  <span className="block text-ink-500">{truncateText(p.summary, 140, '')}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </aside>
  );
}

type Linked = ConsoleConversation['linked'];

function LinkedItem({
  label,
  conversation,
}: {
  label: string;
  conversation: NonNullable<Linked['previous']>;
}) {
  return (
    <li>
      <span className="text-ink-500">{label}: </span>
      <Link href={`/console/conversations/${conversation.id}`} className="text-brand-600 underline">
        {conversation.topic ? truncateText(conversation.topic, 60) : 'Conversation'}
      </Link>{' '}
      <span className="text-ink-500">
        ({new Date(conversation.createdAt).toLocaleDateString()}, {conversation.status})
      </span>
    </li>
  );
}

/**
 * The customer wrote again after a conversation was resolved: that started a new one, linked
 * to it. Agents follow the link both ways.
 */
function LinkedSection({ linked }: { linked: Linked }) {
  return (
    <Section title="Linked conversations">
      <ul className="space-y-1 text-xs">
        {linked.previous && <LinkedItem label="Follows up on" conversation={linked.previous} />}
        {linked.next.map((next) => (
          <LinkedItem key={next.id} label="Followed up in" conversation={next} />
        ))}
      </ul>
    </Section>
  );
}
