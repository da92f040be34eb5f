'use client';

import Link from 'next/link';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import {
  buttonClass,
  inputClass,
  secondaryButtonClass,
  sectionClass,
  useAction,
} from '../use-action';
import { CaseFormDialog, EMPTY_CASE } from './case-form';
import { deskTestsRequest, RequestError } from './request';
import { RunProgress, StatusBadge } from './status';
import { API, type CaseListing, type DeskTestCase, type RunRow, runUrl } from './types';
import { type RunTracker, useRunTracker } from './use-run-tracker';

type Editing = { testCase: DeskTestCase; existing: boolean; note?: string };

const caseUrl = (id: string) => `${API}/cases/${encodeURIComponent(id)}`;

/**
 * The desk's tests: the cases with their last result, a form to add or edit one (opened with a
 * draft when the page is reached from a conversation), import and export, running them with
 * progress, and the runs so far.
 */
export function DeskTestsManager({ fromConversation }: { fromConversation?: string }) {
  const [cases, setCases] = useState<CaseListing[] | null>(null);
  const [runs, setRuns] = useState<RunRow[]>([]);
  const [editing, setEditing] = useState<Editing | null>(null);
  const { run, outcome } = useAction();

  const load = useCallback(async () => {
    const [listed, history] = await Promise.all([
      deskTestsRequest<{ cases: CaseListing[] }>(`${API}/cases`),
      deskTestsRequest<{ runs: RunRow[] }>(`${API}/runs?limit=10`),
    ]);
    setCases(listed.cases);
    setRuns(history.runs);
  }, []);
  const reload = useCallback(async () => {
    await run(load);
  }, [run, load]);
  const tracker = useRunTracker(reload);
  const { follow } = tracker;

  useEffect(() => {
    void reload();
  }, [reload]);

  // A run already going (started elsewhere, or before a reload) is followed here too.
  const latest = runs[0];
  useEffect(() => {
    if (latest?.status === 'running') follow(latest);
  }, [latest, follow]);

  useEffect(() => {
    if (!fromConversation) return;
    void run(() =>
      deskTestsRequest<{ case: DeskTestCase }>(
        `${API}/draft?conversationId=${encodeURIComponent(fromConversation)}`,
      ),
    ).then(
      (draft) =>
        draft &&
        setEditing({
          testCase: draft.case,
          existing: false,
          note: 'Drafted from the conversation: its customer messages, and what the desk did at the end as the expectation. Check the expectation before saving.',
        }),
    );
  }, [fromConversation, run]);

  /** Saves from the form, which shows the server's refusal itself. */
  async function save(testCase: Record<string, unknown>) {
    const id = String(testCase.id);
    const saved = await deskTestsRequest<{ created: boolean }>(caseUrl(id), 'PUT', testCase);
    setEditing(null);
    await run(load, saved.created ? `Added the case “${id}”.` : `Saved the case “${id}”.`);
  }

  const remove = (id: string) =>
    run(async () => {
      await deskTestsRequest(caseUrl(id), 'DELETE');
      await load();
    }, `Deleted the case “${id}”.`);

  const takenIds = new Set((cases ?? []).map((c) => c.case.id));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Tests</h1>
        <p className="text-sm text-ink-500">
          Scripted customer conversations and what the desk should do with them, run on a copy of
          the desk that customers never see.
        </p>
      </div>
      {outcome}
      <RunPanel tracker={tracker} caseCount={cases?.length ?? 0} />
      <section aria-labelledby="cases-heading" className="space-y-3">
        <div className="flex items-center gap-3">
          <h2 id="cases-heading" className="font-medium">
            Cases{cases ? ` (${cases.length})` : ''}
          </h2>
          <button
            type="button"
            onClick={() => setEditing({ testCase: EMPTY_CASE, existing: false })}
            className={`${secondaryButtonClass} ml-auto`}
          >
            Add a case
          </button>
        </div>
        {cases && cases.length === 0 && (
          <p className="text-sm text-ink-500">
            No cases yet: add one, import a JSON Lines file, or turn a conversation into a test from
            the console.
          </p>
        )}
        {cases && cases.length > 0 && (
          <CaseTable
            cases={cases}
            onEdit={(testCase) => setEditing({ testCase, existing: true })}
            onRun={(id) => void tracker.start([id])}
            running={tracker.running}
            onDelete={(id) => void remove(id)}
          />
        )}
      </section>
      <ImportExport onImported={reload} />
      <RunHistory runs={runs} />
      {editing && (
        <CaseFormDialog
          initial={editing.testCase}
          existing={editing.existing}
          takenIds={takenIds}
          note={editing.note}
          onSave={save}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}

function RunPanel({ tracker, caseCount }: { tracker: RunTracker; caseCount: number }) {
  const { run, running, error } = tracker;
  const [drafts, setDrafts] = useState(false);
  return (
    <section aria-label="Run the tests" className={sectionClass}>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() => void tracker.start(undefined, drafts ? 'drafts' : 'published')}
          disabled={running || caseCount === 0}
          className={buttonClass}
        >
          Run all
        </button>
        <label className="flex items-center gap-1.5 text-sm">
          <input
            type="checkbox"
            checked={drafts}
            onChange={(e) => setDrafts(e.target.checked)}
            disabled={running}
          />
          With procedure drafts
        </label>
        <p className="text-sm text-ink-500">
          {running
            ? 'Running on a copy of the desk…'
            : 'Each case runs on a copy of the desk: no real conversation, ticket or email.'}
        </p>
      </div>
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {run && (
        <div className="space-y-2">
          <RunProgress done={run.done} total={run.total} />
          <p role="status" className="text-sm">
            {run.status === 'running' && 'The run is going.'}
            {run.status === 'completed' &&
              run.summary &&
              `The run finished: ${run.summary.passed} of ${run.summary.n} cases passed.`}
            {run.status === 'failed' && `The run stopped: ${run.error ?? 'unknown error'}.`}{' '}
            <Link href={runUrl(run.id)} className="text-brand-600 underline">
              See the run
            </Link>
          </p>
        </div>
      )}
    </section>
  );
}

function CaseTable({
  cases,
  running,
  onEdit,
  onRun,
  onDelete,
}: {
  cases: CaseListing[];
  running: boolean;
  onEdit: (testCase: DeskTestCase) => void;
  onRun: (id: string) => void;
  onDelete: (id: string) => void;
}) {
  return (
    <div className="overflow-x-auto rounded-md border border-gray-200 bg-white">
      <table aria-label="Test cases" className="w-full text-left text-sm">
        <thead className="bg-gray-50 text-xs text-ink-500">
          <tr>
            <th className="px-3 py-2 font-medium">Case</th>
            <th className="px-3 py-2 font-medium">Kind</th>
            <th className="px-3 py-2 font-medium">Last result</th>
            <th className="px-3 py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-200">
          {cases.map(({ case: c, lastResult }) => (
            <tr key={c.id} className="align-top">
              <td className="max-w-xs px-3 py-2">
                <p className="font-mono">{c.id}</p>
                <p className="truncate text-ink-500" title={c.turns.join('\n')}>
                  {c.turns.at(-1)}
                  {c.turns.length > 1 ? ` (${c.turns.length} messages)` : ''}
                </p>
              </td>
              <td className="px-3 py-2">{c.expect.kind}</td>
              <td className="px-3 py-2">
                {lastResult ? (
                  <>
                    <Link href={runUrl(lastResult.runId)} aria-label={`Last run of ${c.id}`}>
                      <StatusBadge
                        status={lastResult.status}
                        passes={lastResult.passes}
                        attempts={lastResult.attempts}
                      />
                    </Link>
                    {lastResult.failure && (
                      <p className="mt-0.5 text-xs text-red-800">{lastResult.failure.message}</p>
                    )}
                  </>
                ) : (
                  <span className="text-ink-500">not run yet</span>
                )}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                <div className="flex gap-3">
                  {(
                    [
                      ['Edit', () => onEdit(c), false, 'text-brand-600'],
                      ['Run', () => onRun(c.id), running, 'text-brand-600'],
                      ['Delete', () => onDelete(c.id), false, 'text-red-700'],
                    ] as const
                  ).map(([label, onClick, disabled, colour]) => (
                    <button
                      key={label}
                      type="button"
                      onClick={onClick}
                      disabled={disabled}
                      className={`${colour} underline disabled:opacity-50`}
                    >
                      {label}
                      <span className="sr-only"> {c.id}</span>
                    </button>
                  ))}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ImportExport({ onImported }: { onImported: () => Promise<void> }) {
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setProblems([]);
    setError(null);
    setNotice(null);
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    if (!file) {
      setError('Choose a .jsonl file to import.');
      return;
    }
    const replace = (form.elements.namedItem('replace') as HTMLInputElement).checked;
    setBusy(true);
    try {
      const counts = await deskTestsRequest<{ created: number; updated: number; deleted: number }>(
        `${API}/import`,
        'POST',
        { jsonl: await file.text(), replace },
      );
      setNotice(
        `Imported: ${counts.created} added, ${counts.updated} updated` +
          (replace ? `, ${counts.deleted} deleted.` : '.'),
      );
      form.reset();
      await onImported();
    } catch (e) {
      setError(
        e instanceof RequestError && e.fields.length
          ? 'Nothing was imported:'
          : (e as Error).message,
      );
      if (e instanceof RequestError) setProblems(e.fields.map((f) => `${f.field}: ${f.message}`));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="import-heading" className={sectionClass}>
      <h2 id="import-heading" className="font-medium">
        Import and export
      </h2>
      <p className="text-sm text-ink-500">
        One case per line of a JSON Lines file. A bad line stops the whole import and is named by
        its number; cases with a known id are replaced where they stand.
      </p>
      <form
        onSubmit={submit}
        aria-label="Import test cases"
        className="flex flex-wrap items-center gap-3"
      >
        <input
          name="file"
          type="file"
          accept=".jsonl,.ndjson,application/jsonl,application/x-ndjson,text/plain"
          aria-label="JSON Lines file"
          className={`${inputClass} text-sm`}
        />
        <label className="flex items-center gap-1.5 text-sm">
          <input name="replace" type="checkbox" />
          Replace the suite (delete cases the file does not have)
        </label>
        <button type="submit" disabled={busy} className={buttonClass}>
          Import
        </button>
        <a href={`${API}/export`} download className="ml-auto text-sm text-brand-600 underline">
          Export as .jsonl
        </a>
      </form>
      {error && (
        <div role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          <p>{error}</p>
          {problems.length > 0 && (
            <ul className="list-disc pl-5">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {notice && (
        <p role="status" className="rounded bg-green-50 px-3 py-2 text-sm text-green-800">
          {notice}
        </p>
      )}
    </section>
  );
}

function RunHistory({ runs }: { runs: RunRow[] }) {
  if (runs.length === 0) return null;
  return (
    <section aria-labelledby="runs-heading" className="space-y-2">
      <h2 id="runs-heading" className="font-medium">
        Recent runs
      </h2>
      <ul
        aria-label="Recent runs"
        className="divide-y divide-gray-200 rounded-md border border-gray-200 bg-white"
      >
        {runs.map((run) => (
          <li key={run.id} className="flex flex-wrap items-baseline gap-x-3 p-3 text-sm">
            <Link href={runUrl(run.id)} className="text-brand-600 underline">
              {new Date(run.startedAt).toLocaleString()}
            </Link>
            <span>
              {run.status === 'completed' && run.summary
                ? `${run.summary.passed}/${run.summary.n} passed`
                : run.status === 'running'
                  ? `running (${run.done}/${run.total})`
                  : 'stopped'}
            </span>
            <span className="text-ink-500">
              {run.startedBy} · {run.model} · k={run.k}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
