'use client';

import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import {
  OUTCOME_DEFINITIONS,
  OUTCOMES,
  type SettledOutcomes,
} from '@/lib/analytics/outcome-definitions';
import type { CaseDiff } from '@/lib/desk-tests/runs';
import { sectionClass, useAction } from '../use-action';
import { deskTestsRequest } from './request';
import { percent, RunProgress, StatusBadge } from './status';
import {
  API,
  type DeskTestAttempt,
  type DeskTestSummary,
  type RunDetail,
  type RunDiff,
  runUrl,
} from './types';
import { POLL_MS } from './use-run-tracker';

const CHANGE_LABELS: Record<CaseDiff['change'], string> = {
  newly_failing: 'Newly failing',
  added: 'New',
  still_failing: 'Still failing',
  newly_passing: 'Fixed',
  removed: 'No longer in the suite',
  still_passing: 'Still passing',
};

const CHANGE_STYLE: Partial<Record<CaseDiff['change'], string>> = {
  newly_failing: 'bg-red-50 text-red-800',
  still_failing: 'bg-amber-50 text-amber-800',
  newly_passing: 'bg-green-50 text-green-800',
};

/**
 * One run: what it ran on, its score (pass rate by kind, pass^k, pass@1, flaky), what changed
 * since the run before (newly failing first), and each case's reply, citations, tool calls and
 * why it failed. Followed live while it runs.
 */
export function RunView({ runId }: { runId: string }) {
  const [run, setRun] = useState<RunDetail | null>(null);
  const [diff, setDiff] = useState<RunDiff | null>(null);
  const { run: request, error, outcome } = useAction();

  const load = useCallback(
    () => request(async () => setRun(await deskTestsRequest<RunDetail>(`${API}/runs/${runId}`))),
    [request, runId],
  );

  useEffect(() => {
    void load();
  }, [load]);

  // Read again a second after each reading while it runs.
  useEffect(() => {
    if (run?.status !== 'running') return;
    const timer = setTimeout(() => void load(), POLL_MS);
    return () => clearTimeout(timer);
  }, [run, load]);

  const status = run?.status;
  useEffect(() => {
    if (status !== 'completed') return;
    void request(() => deskTestsRequest<RunDiff>(`${API}/runs/${runId}/diff`)).then(
      (changes) => changes && setDiff(changes),
    );
  }, [request, runId, status]);

  if (!run) return error ? outcome : <p className="text-sm text-ink-500">Loading…</p>;
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/tests" className="text-sm text-brand-600 underline">
          ← Tests
        </Link>
        <h1 className="mt-1 text-xl font-semibold">
          Test run of {new Date(run.startedAt).toLocaleString()}
        </h1>
        <p className="text-sm text-ink-500">
          {[
            `started by ${run.startedBy}`,
            run.model,
            `${run.k} attempt${run.k === 1 ? '' : 's'} per case`,
            run.desk &&
              `${run.desk.documents} articles (knowledge base ${run.desk.kb}, settings ${run.desk.settings})`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      </div>
      {outcome}
      {run.status === 'running' && <RunProgress done={run.done} total={run.total} />}
      {run.status === 'failed' && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          The run stopped after {run.done} of {run.total} cases: {run.error}
        </p>
      )}
      <Score score={run.score} k={run.k} />
      {run.outcomes && <RunOutcomes outcomes={run.outcomes} />}
      {run.status === 'completed' && diff && <Changes diff={diff} />}
      <Results run={run} />
    </div>
  );
}

export function Score({ score, k }: { score: DeskTestSummary; k: number }) {
  const figures: [string, string][] = [
    ['Passed', `${score.passed}/${score.n}`],
    [k > 1 ? `pass^${k}` : 'Pass rate', score.n ? percent(score.passK) : '—'],
    ['pass@1', score.n ? percent(score.pass1) : '—'],
    ['Flaky', String(score.flaky)],
  ];
  return (
    <section aria-label="Score" className="space-y-3">
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {figures.map(([label, value]) => (
          <div key={label} className="rounded-lg border border-gray-200 bg-white p-3">
            <dt className="text-xs text-ink-500">{label}</dt>
            <dd className="text-xl font-semibold">{value}</dd>
          </div>
        ))}
      </dl>
      <table
        aria-label="Pass rate by kind"
        className="w-full rounded-md border border-gray-200 bg-white text-left text-sm"
      >
        <thead className="bg-gray-50 text-xs text-ink-500">
          <tr>
            <th className="px-3 py-2 font-medium">Kind</th>
            <th className="px-3 py-2 font-medium">Passed</th>
            <th className="px-3 py-2 font-medium">Cases</th>
            <th className="px-3 py-2 font-medium">Pass rate</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-200">
          {Object.entries(score.byKind).map(([kind, { passed, n }]) => (
            <tr key={kind}>
              <th scope="row" className="px-3 py-1.5 font-normal">
                {kind}
              </th>
              <td className="px-3 py-1.5">{passed}</td>
              <td className="px-3 py-1.5">{n}</td>
              <td className="px-3 py-1.5">{percent(passed / n)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** How the run's conversations ended, counted as the dashboard counts a real desk's. */
function RunOutcomes({ outcomes }: { outcomes: SettledOutcomes }) {
  return (
    <section aria-labelledby="outcomes-heading" className={sectionClass}>
      <h2 id="outcomes-heading" className="font-medium">
        Outcomes
      </h2>
      <p className="text-sm text-ink-500">
        The {outcomes.conversations} conversations of this run (one per case and attempt), judged as
        if each customer left after the last scripted message.
      </p>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-5">
        {OUTCOMES.map((outcome) => (
          <div
            key={outcome}
            data-outcome={outcome}
            title={OUTCOME_DEFINITIONS[outcome].definition}
            className="rounded-lg border border-gray-200 bg-white p-3"
          >
            <dt className="text-xs text-ink-500">{OUTCOME_DEFINITIONS[outcome].label}</dt>
            <dd className="text-xl font-semibold tabular-nums">
              <span data-count>{outcomes.outcomes[outcome]}</span>
              <span className="ml-1 text-sm font-normal text-ink-500">
                {outcomes.conversations
                  ? percent(outcomes.outcomes[outcome] / outcomes.conversations)
                  : '—'}
              </span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Changes({ diff }: { diff: RunDiff }) {
  const shown = diff.changes.filter((c) => c.change !== 'still_passing');
  const unchanged = diff.changes.length - shown.length;
  return (
    <section aria-labelledby="changes-heading" className={sectionClass}>
      <h2 id="changes-heading" className="font-medium">
        Changes since the previous run
      </h2>
      {diff.previous ? (
        <p className="text-sm text-ink-500">
          Compared with the{' '}
          <Link href={runUrl(diff.previous.id)} className="text-brand-600 underline">
            run of {new Date(diff.previous.startedAt).toLocaleString()}
          </Link>
          {unchanged > 0 && `; ${unchanged} case${unchanged === 1 ? '' : 's'} still pass`}.
        </p>
      ) : (
        <p className="text-sm text-ink-500">
          This is the first completed run: there is nothing to compare it with.
        </p>
      )}
      {diff.previous && shown.length === 0 && (
        <p className="text-sm">Nothing changed: every case passes as before.</p>
      )}
      {diff.previous && shown.length > 0 && (
        <ol aria-label="Changed cases" className="space-y-1 text-sm">
          {shown.map((c) => (
            <li key={c.caseId} className="flex flex-wrap items-baseline gap-2">
              <span
                className={`rounded px-1.5 py-0.5 text-[11px] font-medium ${CHANGE_STYLE[c.change] ?? 'bg-gray-100 text-ink-700'}`}
              >
                {c.change === 'added'
                  ? `New, ${c.after === 'pass' ? 'passing' : 'failing'}`
                  : CHANGE_LABELS[c.change]}
              </span>
              <span className="font-mono">{c.caseId}</span>
              <span className="text-ink-500">
                {c.kind} · {c.before ?? 'not run'} → {c.after ?? 'not run'}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Results({ run }: { run: RunDetail }) {
  return (
    <section aria-labelledby="results-heading" className="space-y-2">
      <h2 id="results-heading" className="font-medium">
        Cases ({run.results.length}
        {run.status === 'running' ? ` of ${run.total}` : ''})
      </h2>
      <ul
        aria-label="Case results"
        className="divide-y divide-gray-200 rounded-md border border-gray-200 bg-white"
      >
        {run.results.map((result) => {
          const failing = result.attempts.find((a) => !a.passed);
          return (
            <li key={result.case.id} className="p-3 text-sm">
              <details>
                <summary className="flex cursor-pointer flex-wrap items-baseline gap-2">
                  <StatusBadge
                    status={result.status}
                    passes={result.passes}
                    attempts={result.attempts.length}
                  />
                  <span className="font-mono">{result.case.id}</span>
                  <span className="text-ink-500">{result.case.expect.kind}</span>
                  {failing?.failures[0] && (
                    <span className="text-red-800">{failing.failures[0].message}</span>
                  )}
                </summary>
                <div className="mt-2 space-y-3">
                  {result.attempts.map((attempt, i) => (
                    <Attempt
                      // biome-ignore lint/suspicious/noArrayIndexKey: attempts are numbered, never reordered.
                      key={i}
                      attempt={attempt}
                      label={result.attempts.length > 1 ? `Attempt ${i + 1}` : null}
                    />
                  ))}
                </div>
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Attempt({ attempt, label }: { attempt: DeskTestAttempt; label: string | null }) {
  return (
    <div className="space-y-1 rounded-md bg-gray-50 p-2">
      {label && (
        <p className="text-xs font-medium">
          {label}: {attempt.passed ? 'passed' : 'failed'}
        </p>
      )}
      {attempt.failures.length > 0 && (
        <ul className="list-disc pl-5 text-red-800">
          {attempt.failures.map((f) => (
            <li key={`${f.code}:${f.message}`}>
              <span className="font-mono text-xs">{f.code}</span> {f.message}
            </li>
          ))}
        </ul>
      )}
      <ol className="space-y-1">
        {attempt.turns.map((turn, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: turns are in the order they were sent.
          <li key={i}>
            <p>
              <span className="font-medium">Customer:</span> {turn.customer}
            </p>
            <p className="whitespace-pre-wrap">
              <span className="font-medium">Desk:</span>{' '}
              {turn.reply ?? <em className="text-ink-500">(no reply: a person holds the chat)</em>}
              {turn.handOffs.length > 0 && (
                <span className="text-ink-500"> · handed off ({turn.handOffs.join(', ')})</span>
              )}
            </p>
          </li>
        ))}
      </ol>
      <p className="text-xs text-ink-500">
        Cited: {attempt.citations.map((c) => c.slug).join(', ') || 'nothing'} · Tools:{' '}
        {attempt.tools.map((t) => `${t.tool}(${JSON.stringify(t.input)})`).join(', ') || 'none'}
        {attempt.escalation ? ` · Escalated: ${attempt.escalation}` : ''} · {attempt.ms} ms
      </p>
    </div>
  );
}
