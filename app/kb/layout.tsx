import Link from 'next/link';
import type { ReactNode } from 'react';
import { loadWidgetProps } from '@/app/(widget)/widget-props';
import { ChatLauncher } from '@/components/widget/chat-launcher';
import { getApp } from '@/lib/server/app';
import { getAssistantIdentity } from '@/lib/settings/settings';

/** Every help-center page: the business's name, the way back to the index, and the chat. */
export default async function HelpCenterLayout({ children }: { children: ReactNode }) {
  const { externalId: _signedIn, ...widget } = await loadWidgetProps();
  const { businessName } = await getAssistantIdentity((await getApp()).database.db);
  return (
    <div className="flex min-h-dvh flex-col bg-gray-50">
      <header className="border-b border-gray-200 bg-white">
        <nav
          aria-label="Help center"
          className="mx-auto flex max-w-3xl items-center justify-between gap-4 px-4 py-4 sm:px-6"
        >
          <Link href="/kb" className="text-lg font-semibold text-ink-900 hover:underline">
            {businessName ? `${businessName} help center` : 'Help center'}
          </Link>
          <Link href="/" className="text-sm text-brand-600 hover:underline">
            Home
          </Link>
        </nav>
      </header>
      <div className="mx-auto w-full max-w-3xl flex-1 px-4 py-10 sm:px-6">{children}</div>
      <footer className="border-t border-gray-200 py-6 text-center text-xs text-ink-500">
        Can’t find an answer? Use the chat button to ask us.
      </footer>
      <ChatLauncher {...widget} />
    </div>
  );
}
