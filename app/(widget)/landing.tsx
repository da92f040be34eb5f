import Link from 'next/link';
import { ChatLauncher } from '@/components/widget/chat-launcher';
import { getApp } from '@/lib/server/app';
import { getBranding } from '@/lib/settings/desk-setup';
import { getAssistantIdentity } from '@/lib/settings/settings';
import { loadWidgetProps } from './widget-props';

/** A neutral front page for a desk that is not the demo: everything on it comes from settings. */
export async function Landing() {
  const { externalId: _signedIn, ...widget } = await loadWidgetProps();
  const { database } = await getApp();
  const [{ businessName, assistantName }, branding] = await Promise.all([
    getAssistantIdentity(database.db),
    getBranding(database.db),
  ]);
  const title = businessName ? `${businessName} support` : 'Support';
  return (
    <div className="flex min-h-dvh flex-col bg-gray-50">
      <header className="border-b border-gray-200 bg-white">
        <nav className="mx-auto flex max-w-3xl items-center justify-between gap-4 px-4 py-4 sm:px-6">
          <span className="flex items-center gap-2 text-lg font-semibold text-ink-900">
            {branding.logo && (
              // biome-ignore lint/performance/noImgElement: an admin's logo, of any origin or a data URL
              <img src={branding.logo} alt="" className="h-8 w-auto max-w-32 object-contain" />
            )}
            {businessName ?? 'Help center'}
          </span>
          <Link href="/sign-in" className="text-sm text-brand-600 hover:underline">
            Staff sign in
          </Link>
        </nav>
      </header>
      <main className="mx-auto w-full max-w-3xl flex-1 px-4 py-12 sm:px-6">
        <h1 className="text-3xl font-semibold tracking-tight text-ink-900">{title}</h1>
        <p className="mt-3 max-w-xl text-ink-500">
          Find answers in the help center, or ask {assistantName}: it answers from the help center
          and brings in a person from the team whenever you need one.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link
            href="/kb"
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
          >
            Browse the help center
          </Link>
          <Link
            href="/widget"
            className="rounded-md border border-gray-300 bg-white px-4 py-2 text-sm font-medium text-ink-900 hover:bg-gray-50"
          >
            Open the chat in a full page
          </Link>
        </div>
      </main>
      <footer className="border-t border-gray-200 py-6 text-center text-xs text-ink-500">
        Support by Tandem.
      </footer>
      <ChatLauncher {...widget} />
    </div>
  );
}
