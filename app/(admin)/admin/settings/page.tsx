import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { staffForPage } from '@/app/page-guard';
import { BusinessHoursForm } from '@/components/admin/settings/business-hours-form';
import { ClassifierManager } from '@/components/admin/settings/classifier-manager';
import { ConsentForm } from '@/components/admin/settings/consent-form';
import { EscalationForm } from '@/components/admin/settings/escalation-form';
import { InactivityForm } from '@/components/admin/settings/inactivity-form';
import { PresenceForm } from '@/components/admin/settings/presence-form';
import { WidgetOriginsForm } from '@/components/admin/settings/widget-origins-form';
import { WidgetSettingsForm } from '@/components/admin/settings/widget-settings-form';
import { RemoveDemo } from '@/components/admin/setup/remove-demo';
import { isDemoInstalled } from '@/db/seed/demo-state';
import { getApp } from '@/lib/server/app';
import { getClassifierOverview } from '@/lib/settings/classifier-admin';
import { getInactivitySettings } from '@/lib/settings/inactivity';
import { getPresenceSettings } from '@/lib/settings/presence';
import { getSettingsOverview } from '@/lib/settings/settings';

export const metadata: Metadata = { title: 'Settings' };

/** The address visitors reach Tandem at, as this request saw it (proxies set x-forwarded-*). */
async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto') ?? (host.startsWith('localhost') ? 'http' : 'https');
  return `${proto.split(',')[0]!.trim()}://${host.split(',')[0]!.trim()}`;
}

export default async function SettingsPage() {
  // The layout shows agents a refusal; this keeps their request from loading admin data at all.
  const staff = await staffForPage('/admin/settings');
  if (staff.role !== 'admin') return null;
  const app = await getApp();
  const [settings, classifier, origin, demoInstalled, inactivity, presence] = await Promise.all([
    getSettingsOverview(
      app.database.db,
      app.config.escalation,
      app.config.consent.requiredByDefault,
    ),
    getClassifierOverview(app.database.db),
    requestOrigin(),
    isDemoInstalled(app.database.db),
    getInactivitySettings(app.database.db),
    getPresenceSettings(app.database.db),
  ]);
  return (
    <div className="space-y-6">
      <div className="flex items-baseline justify-between gap-3">
        <h1 className="text-xl font-semibold">Settings</h1>
        <Link href="/admin/setup" className="text-sm text-brand-600 underline">
          Setup wizard
        </Link>
      </div>
      {demoInstalled && <RemoveDemo />}
      <nav aria-label="Settings sections" className="flex flex-wrap gap-3 text-sm">
        <a href="#widget-heading" className="text-brand-600 underline">
          Widget
        </a>
        <a href="#origins-heading" className="text-brand-600 underline">
          Widget origins
        </a>
        <a href="#consent-heading" className="text-brand-600 underline">
          Consent
        </a>
        <a href="#hours-heading" className="text-brand-600 underline">
          Business hours
        </a>
        <a href="#escalation-heading" className="text-brand-600 underline">
          Escalation
        </a>
        <a href="#inactivity-heading" className="text-brand-600 underline">
          Inactivity
        </a>
        <a href="#presence-heading" className="text-brand-600 underline">
          Agent presence
        </a>
        <a href="#classifier-heading" className="text-brand-600 underline">
          Taxonomy and classifier
        </a>
        <Link href="/admin/canned-responses" className="text-brand-600 underline">
          Canned responses
        </Link>
      </nav>
      <WidgetSettingsForm initial={settings.widget} origin={origin} />
      <WidgetOriginsForm initial={settings.widgetOrigins} />
      <ConsentForm initial={settings.consent} />
      <BusinessHoursForm initial={settings.businessHours} />
      <EscalationForm initial={settings.escalation} />
      <InactivityForm initial={inactivity} />
      <PresenceForm initial={presence} />
      <ClassifierManager initial={classifier} />
      <section className="rounded-md border border-gray-200 bg-white p-4 text-sm">
        <h2 className="font-medium">Canned responses</h2>
        <p className="mt-1 text-ink-500">
          Replies agents insert by typing /shortcut are managed on{' '}
          <Link href="/admin/canned-responses" className="text-brand-600 underline">
            the canned responses page
          </Link>
          .
        </p>
      </section>
    </div>
  );
}
