import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { adminForPage } from '@/app/page-guard';
import { SetupWizard } from '@/components/admin/setup/setup-wizard';
import { listDocuments } from '@/lib/kb/queries';
import { getApp } from '@/lib/server/app';
import { getBranding, getSetupState, LANGUAGES, SETUP_STEPS } from '@/lib/settings/desk-setup';
import { embedSnippets } from '@/lib/settings/embed';
import { getBusinessHours, getWidgetSettings } from '@/lib/settings/settings';

export const metadata: Metadata = { title: 'Set up your desk' };

/** The address visitors reach Tandem at, as this request saw it (proxies set x-forwarded-*). */
async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto') ?? (host.startsWith('localhost') ? 'http' : 'https');
  return `${proto.split(',')[0]!.trim()}://${host.split(',')[0]!.trim()}`;
}

/** The setup wizard: where a clean desk's first admin lands, and open to any admin after. */
export default async function SetupPage() {
  const admin = await adminForPage('/admin/setup');
  if (!admin) return null;
  const { db } = (await getApp()).database;
  const [state, widget, branding, businessHours, documents, origin] = await Promise.all([
    getSetupState(db),
    getWidgetSettings(db),
    getBranding(db),
    getBusinessHours(db),
    listDocuments(db),
    requestOrigin(),
  ]);
  return (
    <SetupWizard
      steps={SETUP_STEPS}
      visited={state?.visited ?? []}
      completed={state === null || state.completedAt !== null}
      widget={widget}
      branding={branding}
      languages={LANGUAGES}
      businessHours={businessHours}
      snippets={embedSnippets(origin, widget)}
      articles={documents.length}
    />
  );
}
