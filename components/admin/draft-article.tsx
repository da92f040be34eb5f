'use client';

import { useState } from 'react';
import { adminRequest } from './api';

/** "Draft an article" for one content gap: edit the draft here, then publish it to the help center. */
export function DraftArticle({
  topic,
}: {
  topic: { label: string; examples: string[]; categories: string[] };
}) {
  const [markdown, setMarkdown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [published, setPublished] = useState<{ slug: string; title: string } | null>(null);

  async function draft() {
    setError(null);
    try {
      setMarkdown(
        (await adminRequest<{ markdown: string }>('/api/admin/knowledge-gaps/draft', 'POST', topic))
          .markdown,
      );
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function publish() {
    setError(null);
    try {
      setPublished(await adminRequest('/api/admin/knowledge-gaps/publish', 'POST', { markdown }));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (published) {
    return (
      <p role="status" className="text-sm text-green-800">
        Published{' '}
        <a href={`/kb/${published.slug}`} className="underline">
          {published.title}
        </a>
        .
      </p>
    );
  }
  return (
    <div className="space-y-2">
      {markdown === null ? (
        <button
          type="button"
          onClick={() => void draft()}
          className="rounded-md border border-gray-300 px-2.5 py-1 text-sm hover:bg-gray-100"
        >
          Draft an article
        </button>
      ) : (
        <>
          <label className="block text-sm">
            <span className="sr-only">Draft article ({topic.label})</span>
            <textarea
              aria-label={`Draft article (${topic.label})`}
              value={markdown}
              onChange={(e) => setMarkdown(e.target.value)}
              rows={12}
              className="w-full rounded border border-gray-300 p-2 font-mono text-xs"
            />
          </label>
          <button
            type="button"
            onClick={() => void publish()}
            className="rounded-md bg-brand-600 px-3 py-1 text-sm text-white"
          >
            Publish article
          </button>
        </>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
