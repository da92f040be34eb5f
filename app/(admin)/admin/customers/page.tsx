import type { Metadata } from 'next';
import Link from 'next/link';
import { adminForPage } from '@/app/page-guard';
import { searchCustomers } from '@/lib/analytics/customer-insights';
import { getApp } from '@/lib/server/app';
import { truncateText } from '@/lib/text/truncate';

export const metadata: Metadata = { title: 'Customers' };

export default async function CustomersPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string }>;
}) {
  if (!(await adminForPage('/admin/customers'))) return null;
  const { q = '' } = await searchParams;
  const matches = await searchCustomers((await getApp()).database.db, truncateText(q, 200, ''));
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Customers</h1>
      <form aria-label="Find a customer" className="flex gap-2">
        <input
          name="q"
          defaultValue={q}
          aria-label="Search customers"
          placeholder="Name, email or site id"
          className="w-72 rounded-md border border-gray-300 px-2 py-1.5 text-sm"
        />
        <button
          type="submit"
          className="rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm"
        >
          Search
        </button>
      </form>
      {matches.length === 0 ? (
        <p className="text-sm text-ink-500">No customer matches “{q}”.</p>
      ) : (
        <table className="w-full bg-white text-sm">
          <thead>
            <tr className="text-left text-ink-500">
              <th className="p-2">Customer</th>
              <th>Email</th>
              <th>Site id</th>
              <th>Conversations</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {matches.map((c) => (
              <tr key={c.id} className="border-t">
                <td className="p-2">
                  <Link href={`/admin/customers/${c.id}`} className="text-brand-600 underline">
                    {c.name ?? 'Visitor'}
                  </Link>
                </td>
                <td>{c.email ?? '—'}</td>
                <td>{c.externalId ?? '—'}</td>
                <td>{c.conversations}</td>
                <td>{c.lastSeen ? new Date(c.lastSeen).toLocaleString() : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
