'use client';

import { ThumbsDown, ThumbsUp } from 'lucide-react';
import { useState } from 'react';

type State =
  | { kind: 'idle' | 'sending' }
  | { kind: 'sent'; helpful: boolean }
  | { kind: 'error'; message: string };

/** "Was this helpful?" under an article: one vote per reader, which a second click replaces. */
export function ArticleFeedback({ slug }: { slug: string }) {
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function vote(helpful: boolean) {
    setState({ kind: 'sending' });
    try {
      const response = await fetch('/api/widget/article-feedback', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ slug, helpful }),
      });
      if (response.ok) return setState({ kind: 'sent', helpful });
      const body = (await response.json().catch(() => null)) as {
        error?: { message?: string };
      } | null;
      setState({
        kind: 'error',
        message: body?.error?.message ?? 'Your feedback could not be saved. Please try again.',
      });
    } catch {
      setState({ kind: 'error', message: 'Your feedback could not be saved. Please try again.' });
    }
  }

  const button =
    'flex items-center gap-1.5 rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm text-ink-900 hover:bg-gray-50 disabled:opacity-60 aria-pressed:border-brand-600 aria-pressed:bg-brand-50';
  const chosen = state.kind === 'sent' ? state.helpful : null;
  return (
    <section
      aria-label="Article feedback"
      className="mt-6 flex flex-wrap items-center gap-3 rounded-lg border border-gray-200 bg-white p-4"
    >
      <h2 className="text-sm font-medium text-ink-900">Was this helpful?</h2>
      <button
        type="button"
        className={button}
        aria-pressed={chosen === true}
        disabled={state.kind === 'sending'}
        onClick={() => vote(true)}
      >
        <ThumbsUp aria-hidden="true" className="size-4" />
        Yes
      </button>
      <button
        type="button"
        className={button}
        aria-pressed={chosen === false}
        disabled={state.kind === 'sending'}
        onClick={() => vote(false)}
      >
        <ThumbsDown aria-hidden="true" className="size-4" />
        No
      </button>
      <p role="status" className="text-sm text-ink-700">
        {state.kind === 'sent' &&
          (state.helpful
            ? 'Thanks for letting us know.'
            : 'Thanks. Ask us in the chat and we will help you further.')}
      </p>
      {state.kind === 'error' && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      )}
    </section>
  );
}
