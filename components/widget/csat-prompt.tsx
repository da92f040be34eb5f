'use client';

import { type FormEvent, useState } from 'react';
import { useWidgetStrings } from './strings';
import { widgetFetch } from './widget-session';

/** Asked once a conversation is resolved: a 1–5 rating and an optional comment. */
export function CsatPrompt({ conversationId }: { conversationId: string }) {
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [state, setState] = useState<'asking' | 'sending' | 'done' | 'failed'>('asking');
  const { t } = useWidgetStrings();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!rating) return;
    setState('sending');
    try {
      const response = await widgetFetch('/api/chat/csat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId, rating, comment: comment.trim() || undefined }),
      });
      setState(response.ok ? 'done' : 'failed');
    } catch {
      setState('failed');
    }
  }

  if (state === 'done') {
    return (
      <p
        role="status"
        className="rounded-lg bg-green-50 px-3 py-2 text-center text-sm text-green-800"
      >
        {t.thanksForFeedback}
      </p>
    );
  }
  return (
    <form
      onSubmit={submit}
      aria-label={t.rateConversation}
      className="space-y-2 rounded-lg border border-gray-200 p-3 text-sm"
    >
      <fieldset>
        <legend className="font-medium">{t.howDidWeDo}</legend>
        <div className="mt-1 flex gap-1">
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              key={n}
              type="button"
              aria-label={t.outOfFive(n)}
              aria-pressed={rating === n}
              onClick={() => setRating(n)}
              className={`h-8 w-8 rounded-full border ${rating !== null && n <= rating ? 'border-amber-400 bg-amber-100' : 'border-gray-300'}`}
            >
              {n}
            </button>
          ))}
        </div>
      </fieldset>
      <label className="block">
        <span className="sr-only">{t.commentLabel}</span>
        <textarea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          rows={2}
          placeholder={t.commentPlaceholder}
          className="w-full rounded border border-gray-300 px-2 py-1"
        />
      </label>
      {state === 'failed' && (
        <p role="alert" className="text-xs text-red-700">
          {t.ratingFailed}
        </p>
      )}
      <button
        type="submit"
        disabled={!rating || state === 'sending'}
        className="rounded-md bg-(--tandem-accent) px-3 py-1 text-white disabled:opacity-50"
      >
        {t.sendRating}
      </button>
    </form>
  );
}
