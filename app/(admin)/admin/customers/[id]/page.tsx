import { ArrowLeft } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { adminForPage } from '@/app/page-guard';
import { EraseCustomerButton } from '@/components/admin/erase-customer';
import { customerInsights } from '@/lib/analytics/customer-insights';
import { escalationReasonLabel } from '@/lib/conversations/escalation-reasons';
import { TandemError } from '@/lib/errors';
import { audit } from '@/lib/privacy/audit';
import { getApp } from '@/lib/server/app';
import { categoryLabel, humanizeKey } from '@/lib/text/labels';
import { truncateText } from '@/lib/text/truncate';

export const metadata: Metadata = { title: 'Customer' };

const show = (v: unknown) =>
  Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v ? JSON.stringify(v) : String(v);

/** One customer: conversations, topics, how it went, tickets, and what Tandem remembers. */
export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const admin = await adminForPage(`/admin/customers/${id}`);
  if (!admin) return null;
  if (!/^[0-9a-f-]{36}$/.test(id)) notFound();
  let insights: Awaited<ReturnType<typeof customerInsights>>;
  try {
    insights = await customerInsights((await getApp()).database.db, id);
  } catch (error) {
    if (error instanceof TandemError && error.status === 404) notFound();
    throw error;
  }
  const { customer } = insights;
  await audit(
    (await getApp()).database.db,
    { type: 'staff', id: admin.id, name: admin.name },
    'customer.viewed',
    {
      type: 'customer',
      id,
    },
  );
  const facts: [string, unknown][] = [
    ['Email', customer.email],
    ['Site id', customer.externalId],
    ['Language', customer.language],
    ['Plan', customer.account?.plan],
    ['Account', customer.account?.status],
    ...Object.entries(customer.profile).map(([k, v]): [string, unknown] => [`Remembered: ${k}`, v]),
    ...Object.entries(customer.context).map(([k, v]): [string, unknown] => [
      `From the site: ${k}`,
      v,
    ]),
  ];
  return (
    <div className="space-y-5">
      <div>
        <Link
          href="/admin/customers"
          className="inline-flex items-center gap-1 text-sm text-brand-600 underline"
        >
          <ArrowLeft aria-hidden="true" className="size-4" />
          Customers
        </Link>
        <h1 className="mt-1 text-xl font-semibold">{customer.name ?? 'Visitor'}</h1>
        <div className="mt-2 flex gap-3 text-sm">
          <a href={`/api/admin/customers/${id}/export`} className="text-brand-600 underline">
            Export all data (JSON)
          </a>
          <EraseCustomerButton customerId={id} />
        </div>
      </div>
      <section aria-label="Summary" className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {[
          ['Conversations', String(insights.conversations)],
          [
            'Escalation rate',
            insights.escalationRate === null
              ? '—'
              : `${Math.round(insights.escalationRate * 100)}%`,
          ],
          [
            'CSAT',
            insights.csat === null
              ? '—'
              : `${insights.csat.toFixed(2)} (${insights.csatResponses})`,
          ],
          ['Tickets', String(insights.tickets.length)],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border border-gray-200 bg-white p-3">
            <p className="text-xs text-ink-500">{label}</p>
            <p className="text-xl font-semibold">{value}</p>
          </div>
        ))}
      </section>
      <section
        aria-label="Profile and memory"
        className="rounded-lg border border-gray-200 bg-white p-4"
      >
        <h2 className="mb-2 font-medium">Profile and memory</h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {facts
            .filter(([, v]) => v !== null && v !== undefined && v !== '')
            .map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-ink-500">{k}</dt>
                <dd>{show(v)}</dd>
              </div>
            ))}
        </dl>
      </section>
      <section aria-label="Categories" className="rounded-lg border border-gray-200 bg-white p-4">
        <h2 className="mb-2 font-medium">What they ask about</h2>
        <p className="text-sm">
          {insights.categories
            .map((c) => `${categoryLabel(c.category)} (${c.count})`)
            .join(' · ') || '—'}
        </p>
      </section>
      <section
        aria-label="Conversations"
        className="rounded-lg border border-gray-200 bg-white p-4"
      >
        <h2 className="mb-2 font-medium">Conversations</h2>
        <ul className="space-y-1 text-sm">
          {insights.history.map((h) => (
            <li key={h.id}>
              <Link href={`/console/conversations/${h.id}`} className="text-brand-600 underline">
                {new Date(h.createdAt).toLocaleString()}
              </Link>{' '}
              · {h.category ? categoryLabel(h.category) : 'Not classified'} · {h.status}
              {h.escalationReason
                ? ` · escalated (${escalationReasonLabel(h.escalationReason).toLowerCase()})`
                : ''}
              {' · '}
              <Link href={`/admin/tests?conversation=${h.id}`} className="text-brand-600 underline">
                Turn into a test
                <span className="sr-only">
                  {' '}
                  (conversation of {new Date(h.createdAt).toLocaleString()})
                </span>
              </Link>
              {h.summary && (
                <span className="block text-ink-500">{truncateText(h.summary, 160, '')}</span>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="Tickets" className="rounded-lg border border-gray-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Tickets</h2>
        {insights.tickets.length === 0 ? (
          <p className="text-sm text-ink-500">No tickets.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {insights.tickets.map((t) => (
              <li key={t.id}>
                <span className="font-mono">{t.number}</span> {t.subject} (
                {humanizeKey(t.status).toLowerCase()}, {t.priority})
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
