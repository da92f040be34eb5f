import type { Metadata } from 'next';
import Link from 'next/link';
import { listDocuments } from '@/lib/kb/queries';
import { getApp } from '@/lib/server/app';
import { categoryLabel } from '@/lib/text/labels';
import { searchArticles } from './search';
import { SearchForm } from './search-form';

export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<{ q?: string | string[] }> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const query = queryOf((await searchParams).q);
  return { title: query ? `Search: ${query}` : 'Help center' };
}

const queryOf = (q: string | string[] | undefined) => (Array.isArray(q) ? q[0] : q)?.trim() ?? '';

/** The help center: every published article by category, or the articles a search finds. */
export default async function HelpCenterPage({ searchParams }: Props) {
  const query = queryOf((await searchParams).q).slice(0, 200);
  const app = await getApp();
  return (
    <main>
      <h1 className="text-3xl font-semibold text-ink-900">
        {query ? 'Search results' : 'How can we help?'}
      </h1>
      <div className="mt-4">
        <SearchForm query={query} />
      </div>
      {query ? (
        <Results query={query} />
      ) : (
        <Index documents={await listDocuments(app.database.db)} />
      )}
    </main>
  );
}

async function Results({ query }: { query: string }) {
  const hits = await searchArticles(await getApp(), query);
  return (
    <section aria-label="Search results" className="mt-8">
      <p className="text-sm text-ink-500" role="status">
        {hits.length === 0
          ? `No articles match “${query}”. Try other words, or ask us in the chat.`
          : `${hits.length} article${hits.length === 1 ? '' : 's'} for “${query}”`}
      </p>
      <ul className="mt-4 divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white">
        {hits.map((hit) => (
          <li key={hit.slug} className="p-4">
            <Link href={`/kb/${hit.slug}`} className="font-medium text-brand-600 hover:underline">
              {hit.title}
            </Link>
            {hit.section && <p className="mt-0.5 text-xs text-ink-500">{hit.section}</p>}
            {hit.snippet && <p className="mt-1 text-sm text-ink-700">{hit.snippet}</p>}
          </li>
        ))}
      </ul>
      <p className="mt-6 text-sm">
        <Link href="/kb" className="text-brand-600 hover:underline">
          All articles
        </Link>
      </p>
    </section>
  );
}

function Index({ documents }: { documents: Awaited<ReturnType<typeof listDocuments>> }) {
  if (documents.length === 0) {
    return <p className="mt-8 text-ink-500">No articles have been published yet.</p>;
  }
  const byCategory = new Map<string, typeof documents>();
  for (const doc of documents) {
    const label = doc.category ? categoryLabel(doc.category) : 'General';
    byCategory.set(label, [...(byCategory.get(label) ?? []), doc]);
  }
  return (
    <div className="mt-8 space-y-8">
      {[...byCategory].map(([label, docs]) => (
        <section key={label} aria-label={label}>
          <h2 className="text-lg font-semibold text-ink-900">{label}</h2>
          <ul className="mt-2 divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white">
            {docs.map((doc) => (
              <li key={doc.slug} className="p-4">
                <Link
                  href={`/kb/${doc.slug}`}
                  className="font-medium text-brand-600 hover:underline"
                >
                  {doc.title}
                </Link>
                {doc.summary && <p className="mt-1 text-sm text-ink-500">{doc.summary}</p>}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
