'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { Badge } from '@/components/console/badges';
import type { PreviewedCase } from '@/lib/desk-tests/kb-preview';
import { type KbDraft, type KbPreview, type PreviewProgress, previewTests } from './preview-tests';

const STATUS_WORDS: Record<PreviewedCase['before'], string> = {
  pass: 'passes',
  fail: 'fails',
  flaky: 'is flaky',
};

/**
 * "Run the tests" on a change before it is published: the desk's test cases on a sandbox copy
 * with and without the change, and the cases it would break and fix. `draft` reads the change
 * when the button is pressed; `revision` changes whenever the draft does, so a result for an
 * older draft says it is out of date.
 */
export function DraftTests({
  draft,
  revision = 0,
  label = 'Run the tests',
}: {
  draft: () => KbDraft;
  revision?: number;
  label?: string;
}) {
  const [progress, setProgress] = useState<PreviewProgress | null>(null);
  const [result, setResult] = useState<{ preview: KbPreview; revision: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);

  // Leaving the page stops the run on the server as well.
  useEffect(() => () => running.current?.abort(), []);

  async function run() {
    const controller = new AbortController();
    running.current = controller;
    const ranOn = revision;
    setError(null);
    setResult(null);
    setProgress({ percent: 0, label: 'Starting' });
    try {
      const preview = await previewTests(draft(), setProgress, controller.signal);
      setResult({ preview, revision: ranOn });
    } catch (e) {
      if (!controller.signal.aborted) setError((e as Error).message);
    } finally {
      running.current = null;
      setProgress(null);
    }
  }

  return (
    <section aria-label="Tests on this change" className="space-y-2 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          onClick={() => void run()}
          disabled={progress !== null}
          className="rounded-md border border-brand-600 px-3 py-1.5 text-brand-700 disabled:opacity-60"
        >
          {progress ? 'Running the tests…' : label}
        </button>
        {progress && (
          <button
            type="button"
            onClick={() => running.current?.abort()}
            className="rounded-md border px-3 py-1.5"
          >
            Stop
          </button>
        )}
        {!progress && !result && (
          <span className="text-xs text-ink-500">
            Runs the desk’s test cases with and without this change, on a copy. Nothing is
            published.
          </span>
        )}
      </div>
      {progress && (
        <div className="space-y-1" aria-live="polite">
          <progress
            value={progress.percent}
            max={100}
            aria-label="Progress of the tests on this change"
            className="h-2 w-full"
          />
          <p className="text-xs text-ink-500">{progress.label}</p>
        </div>
      )}
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-red-700">
          {error}
        </p>
      )}
      {result && <PreviewResult preview={result.preview} outdated={result.revision !== revision} />}
    </section>
  );
}

/** The cases the change would break, then those it would fix, each with why it fails where it does. */
const LISTS = [
  {
    side: 'breaks',
    title: 'Would break',
    tone: 'text-red-800',
    why: 'What goes wrong with the change',
  },
  { side: 'fixes', title: 'Would be fixed', tone: 'text-green-800', why: 'What goes wrong today' },
] as const;

export function PreviewResult({ preview, outdated }: { preview: KbPreview; outdated: boolean }) {
  const { summary, breaks, fixes } = preview;
  return (
    <div
      data-testid="draft-test-result"
      className="space-y-3 rounded-md border border-gray-200 p-3"
    >
      {outdated && (
        <p className="rounded bg-amber-50 px-3 py-2 text-amber-800">
          You have changed the text since these results: run the tests again to see the effect of
          the change as it is now.
        </p>
      )}
      <p data-testid="draft-test-summary">
        With this change <strong>{summary.draft.passed}</strong> of {summary.n} cases pass (
        {summary.live.passed} today):{' '}
        <strong className={breaks.length ? 'text-red-700' : ''}>
          {breaks.length === 0 ? 'nothing would break' : `${breaks.length} would break`}
        </strong>
        , {fixes.length === 0 ? 'none would be fixed' : `${fixes.length} would be fixed`}
        {summary.stillFailing > 0 && `, ${summary.stillFailing} fail either way`}.
      </p>
      <p className="text-xs text-ink-500">
        {summary.model}, {summary.k} attempt{summary.k === 1 ? '' : 's'} per case,{' '}
        {Math.round(summary.ms / 1000)} s.{' '}
        <Link href="/admin/tests" className="text-brand-600 underline">
          All test cases
        </Link>
      </p>
      {LISTS.map(({ side, title, tone, why }) =>
        preview[side].length > 0 ? (
          <CaseList key={side} title={title} tone={tone} why={why} cases={preview[side]} />
        ) : null,
      )}
    </div>
  );
}

function CaseList({
  title,
  cases,
  tone,
  why,
}: {
  title: string;
  cases: PreviewedCase[];
  tone: string;
  why: string;
}) {
  return (
    <div className="space-y-1">
      <h3 className={`font-medium ${tone}`}>{title}</h3>
      <ul aria-label={title} className="divide-y divide-gray-200">
        {cases.map((c) => (
          <li key={c.caseId} className="space-y-1 py-2">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-mono">{c.caseId}</span>
              <Badge className="bg-gray-100 text-ink-700">{c.kind}</Badge>
              <span className="text-xs text-ink-500">
                {STATUS_WORDS[c.before]} today, {STATUS_WORDS[c.after]} with the change
              </span>
            </div>
            <ul aria-label={why} className="list-disc pl-5 text-ink-700">
              {c.failures.map((f) => (
                <li key={`${f.code}:${f.message}`}>
                  <span className="font-mono text-xs">{f.code}</span> {f.message}
                </li>
              ))}
            </ul>
            {c.reply && (
              <details>
                <summary className="cursor-pointer text-xs text-ink-500">The bot’s reply</summary>
                <p className="mt-1 whitespace-pre-line rounded bg-gray-50 p-2">{c.reply}</p>
              </details>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
