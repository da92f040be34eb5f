import { GeistMono } from 'geist/font/mono';
import { GeistSans } from 'geist/font/sans';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { getApp } from '@/lib/server/app';
import { getAssistantIdentity } from '@/lib/settings/settings';
import './globals.css';

/** Titled for the business the settings name, per request like the pages below. */
export async function generateMetadata(): Promise<Metadata> {
  await connection();
  const { businessName } = await getAssistantIdentity((await getApp()).database.db);
  const site = businessName ? `${businessName} Help` : 'Help center';
  return {
    title: { default: site, template: `%s · ${site}` },
    description: `${businessName ? `${businessName} help center` : 'Help center'} and support chat, powered by Tandem.`,
    icons: { icon: '/favicon.svg' },
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its scripts need that request's CSP nonce (see proxy.ts).
  await connection();
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="font-sans">{children}</body>
    </html>
  );
}
