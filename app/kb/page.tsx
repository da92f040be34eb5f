import type { Metadata } from 'next';
import Link from 'next/link';
import { listDocuments } from '@/lib/kb/queries';
import { getApp } from '@/lib/server/app';

export const metadata: Metadata = { title: 'Help center' };
export const dynamic = 'force-dynamic';

export default async function HelpCenterPage() {
  const app = await getApp();
  const documents = await listDocuments(app.database.db);
  return (
    <main className="mx-auto max-w-3xl px-6 py-12">
      <h1 className="text-3xl font-semibold text-ink-900">Help center</h1>
      <ul className="mt-8 divide-y divide-gray-200">
        {documents.map((doc) => (
          <li key={doc.slug} className="py-4">
            <Link href={`/kb/${doc.slug}`} className="font-medium text-brand-600 hover:underline">
              {doc.title}
            </Link>
            {doc.summary && <p className="mt-1 text-sm text-ink-500">{doc.summary}</p>}
          </li>
        ))}
      </ul>
    </main>
  );
}
