'use client';

import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import type { TriedQuestion } from '@/lib/kb/try-question';
import { adminRequest } from '../api';

/** Asks the bot a question as a customer would, without a conversation, and shows its working. */
export function TryQuestion() {
  const [result, setResult] = useState<TriedQuestion | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const question = String(new FormData(event.currentTarget).get('question') ?? '');
    setBusy(true);
    setError(null);
    try {
      setResult(await adminRequest<TriedQuestion>('/api/admin/kb/try', 'POST', { question }));
    } catch (e) {
      setResult(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      aria-labelledby="try-heading"
      className="space-y-3 rounded-md border border-gray-200 bg-white p-4"
    >
      <h2 id="try-heading" className="font-medium">
        Try a question
      </h2>
      <p className="text-sm text-ink-500">
        See what the bot would find and answer before customers ask. Nothing is saved.
      </p>
      <form onSubmit={ask} className="flex gap-2">
        <input
          name="question"
          required
          maxLength={2000}
          aria-label="Question"
          placeholder="How do I reset my password?"
          className="flex-1 rounded-md border border-gray-300 px-2 py-1.5 text-sm"
        />
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white disabled:opacity-60"
        >
          {busy ? 'Asking…' : 'Ask'}
        </button>
      </form>
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {result && (
        <div className="space-y-3 text-sm" data-testid="try-result">
          <p>
            Confidence <strong data-testid="confidence">{result.confidence.toFixed(2)}</strong>{' '}
            <span className="text-ink-500">
              (the bot answers from its sources at {result.threshold.toFixed(2)} or above)
            </span>
          </p>
          <figure
            aria-label="The bot's answer"
            className={`rounded-md p-3 ${result.answer.abstained ? 'bg-amber-50' : 'bg-brand-50'}`}
          >
            <figcaption className="mb-1 font-medium">
              {result.answer.abstained
                ? 'The bot would not answer from the knowledge base (it offers a person)'
                : "The bot's answer"}
            </figcaption>
            <p className="whitespace-pre-line">{result.answer.text}</p>
          </figure>
          <h3 className="font-medium">Passages retrieved</h3>
          {result.passages.length === 0 ? (
            <p className="text-ink-500">No passage matches this question.</p>
          ) : (
            <ol aria-label="Passages retrieved" className="space-y-2">
              {result.passages.map((p, index) => (
                <li key={p.id} className="rounded-md border border-gray-200 p-2">
                  <div className="flex flex-wrap items-baseline gap-2">
                    <span className="font-mono text-ink-500">[{index + 1}]</span>
                    <Link
                      href={`/admin/knowledge/${p.documentId}`}
                      className="font-medium text-brand-600 underline"
                    >
                      {p.title}
                    </Link>
                    {p.sectionPath && <span className="text-ink-500">› {p.sectionPath}</span>}
                    <span
                      className="ml-auto font-mono"
                      title="Reranker score, comparable within this question"
                    >
                      score {p.score.toFixed(3)}
                    </span>
                    {p.usedForAnswer && (
                      <span className="rounded bg-brand-100 px-1.5 text-xs text-brand-700">
                        used for the answer
                      </span>
                    )}
                  </div>
                  <p className="mt-1 line-clamp-4 whitespace-pre-line text-ink-700">{p.content}</p>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
