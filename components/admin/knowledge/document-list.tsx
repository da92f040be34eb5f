'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { categoryLabel } from '@/lib/text/labels';
import { adminRequest } from '../api';
import { type DocumentListing, SOURCE_LABELS } from './types';

/** Every document, filtered as the admin types; `version` changes when documents were added. */
export function DocumentList({ version }: { version: number }) {
  const [query, setQuery] = useState('');
  const [documents, setDocuments] = useState<DocumentListing[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version changes when uploads finish, so they are listed.
  useEffect(() => {
    let current = true;
    // Waits for a pause in typing so each keystroke does not search the whole knowledge base.
    const timer = setTimeout(
      async () => {
        try {
          const found = await adminRequest<{ documents: DocumentListing[]; total: number }>(
            `/api/admin/kb/documents?q=${encodeURIComponent(query)}`,
          );
          if (current) {
            setDocuments(found.documents);
            setTotal(found.total);
            setError(null);
          }
        } catch (e) {
          if (current) setError((e as Error).message);
        }
      },
      query ? 250 : 0,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, version]);

  return (
    <section aria-labelledby="documents-heading" className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="documents-heading" className="font-medium">
          Documents{documents ? ` (${total})` : ''}
        </h2>
        <input
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          aria-label="Search documents"
          placeholder="Search titles and text"
          className="ml-auto rounded-md border border-gray-300 px-2 py-1.5 text-sm"
        />
      </div>
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {documents && documents.length === 0 && (
        <p className="text-sm text-ink-500">
          {query
            ? `No document mentions “${query}”.`
            : 'The knowledge base is empty: add a document above.'}
        </p>
      )}
      {documents && documents.length < total && (
        <p className="text-sm text-ink-500">
          Showing the {documents.length} most recently updated; search to find the others.
        </p>
      )}
      {documents && documents.length > 0 && (
        <ul
          aria-label="Documents"
          className="divide-y divide-gray-200 rounded-md border border-gray-200 bg-white"
        >
          {documents.map((d) => (
            <li key={d.id} className="flex items-start gap-3 p-3 text-sm">
              <div className="min-w-0 flex-1">
                <Link
                  href={`/admin/knowledge/${d.id}`}
                  className="font-medium text-brand-600 underline"
                >
                  {d.title}
                </Link>
                {d.summary && <p className="truncate text-ink-500">{d.summary}</p>}
                <p className="text-xs text-ink-500">
                  {[
                    SOURCE_LABELS[d.sourceType] ?? d.sourceType,
                    d.category && categoryLabel(d.category),
                    `${d.chunks} passage${d.chunks === 1 ? '' : 's'}`,
                    `updated ${new Date(d.updatedAt).toLocaleDateString()}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
