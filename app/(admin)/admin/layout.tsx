import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { staffForPage } from '@/app/page-guard';
import { SignOutButton } from '@/components/console/sign-out-button';

export const metadata: Metadata = { title: { default: 'Admin', template: '%s · Admin' } };

const NAV = [
  { href: '/admin', label: 'Insights' },
  { href: '/admin/knowledge', label: 'Knowledge base' },
  { href: '/admin/knowledge-insights', label: 'Knowledge insights' },
  { href: '/admin/glossary', label: 'Glossary' },
  { href: '/admin/tests', label: 'Tests' },
  { href: '/admin/customers', label: 'Customers' },
  { href: '/admin/agents', label: 'Agents' },
  { href: '/admin/actions', label: 'Actions' },
  { href: '/admin/procedures', label: 'Procedures' },
  { href: '/admin/canned-responses', label: 'Canned responses' },
  { href: '/admin/api-keys', label: 'API keys' },
  { href: '/admin/webhooks', label: 'Webhooks' },
  { href: '/admin/jobs', label: 'Jobs' },
  { href: '/admin/settings', label: 'Settings' },
  { href: '/admin/privacy', label: 'Privacy' },
  { href: '/admin/audit', label: 'Audit log' },
];

/** Admin pages: agents see a refusal, visitors are sent to sign in. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const staff = await staffForPage('/admin');
  return (
    <div className="min-h-dvh bg-gray-50">
      <header className="flex items-center gap-4 border-b border-gray-200 bg-white px-4 py-2">
        <Link href="/admin" className="font-semibold">
          Tandem admin
        </Link>
        <nav aria-label="Admin" className="flex gap-3 text-sm">
          {NAV.map((n) => (
            <Link key={n.href} href={n.href} className="text-brand-600 hover:underline">
              {n.label}
            </Link>
          ))}
          <Link href="/console" className="text-brand-600 hover:underline">
            Console
          </Link>
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm">
          <span className="text-ink-500">{staff.name}</span>
          <SignOutButton />
        </div>
      </header>
      <main className="mx-auto max-w-4xl p-6">
        {staff.role === 'admin' ? (
          children
        ) : (
          <div role="alert" className="rounded-md bg-amber-50 p-4 text-sm">
            <h1 className="font-semibold">Admins only</h1>
            <p className="mt-1">
              You are signed in as an agent. Ask an admin if you need access to these settings.
            </p>
          </div>
        )}
      </main>
    </div>
  );
}
