import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { staffForPage } from '@/app/page-guard';
import { ConsoleEventsProvider } from '@/components/console/console-events';
import { ConsoleNotifications } from '@/components/console/console-notifications';
import { PresenceToggle } from '@/components/console/presence-toggle';
import { QueuePanel } from '@/components/console/queue-panel';
import { SignOutButton } from '@/components/console/sign-out-button';
import { getApp } from '@/lib/server/app';
import { describeBusinessHours, isWithinBusinessHours } from '@/lib/settings/business-hours';
import { getBusinessHours } from '@/lib/settings/settings';
import { listStaff } from '@/lib/staff/queries';

export const metadata: Metadata = { title: { default: 'Console', template: '%s · Console' } };

/** The agent console: the live queue beside whichever conversation is open. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const staff = await staffForPage('/console');
  const { db } = (await getApp()).database;
  const [team, hours] = await Promise.all([listStaff(db), getBusinessHours(db)]);
  const me = team.find((s) => s.id === staff.id);
  const open = isWithinBusinessHours(hours, new Date());
  return (
    <ConsoleEventsProvider>
      <div className="flex h-dvh flex-col bg-gray-50">
        <header className="flex items-center gap-4 border-b border-gray-200 bg-white px-4 py-2">
          <Link href="/console" className="font-semibold">
            Tandem console
          </Link>
          {staff.role === 'admin' && (
            <Link href="/admin" className="text-sm text-brand-600 hover:underline">
              Admin
            </Link>
          )}
          {hours.enabled && (
            <span className="text-xs text-ink-500" title="Business hours">
              {open ? 'Open' : 'Closed'} · {describeBusinessHours(hours)}
            </span>
          )}
          <div className="ml-auto flex items-center gap-3 text-sm">
            <ConsoleNotifications />
            <PresenceToggle initial={me?.availability ?? 'online'} />
            <span className="text-ink-500">
              {staff.name} · {staff.role}
            </span>
            <SignOutButton />
          </div>
        </header>
        <div className="flex min-h-0 flex-1">
          <QueuePanel me={{ id: staff.id, name: staff.name }} />
          <main className="min-w-0 flex-1">{children}</main>
        </div>
      </div>
    </ConsoleEventsProvider>
  );
}
