import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import {
  type DeskContentVersion,
  type DeskTestSummary,
  deskTestResults,
  deskTestRuns,
} from '@/db/schema';
import type { SettledOutcomes } from '@/lib/analytics/outcome-definitions';
import { TandemError } from '@/lib/errors';
import { type DeskTestCase, deskTestCaseSchema } from './case';
import type { CaseResult } from './run-suite';
import { type CaseStatus, caseStatus, summarize } from './score';

export type DeskTestRun = typeof deskTestRuns.$inferSelect;

export interface StartedBy {
  /** The staff member's account, when a person started it. */
  id?: string | null;
  name: string;
}

/** A run about to start: what it runs with, and how many cases. */
export async function createRun(
  db: Database,
  input: { startedBy: StartedBy; model: string; k: number; total: number },
): Promise<DeskTestRun> {
  const [run] = await db
    .insert(deskTestRuns)
    .values({
      startedBy: input.startedBy.name,
      startedById: input.startedBy.id ?? null,
      model: input.model,
      k: input.k,
      total: input.total,
    })
    .returning();
  return run!;
}

/** The desk content the run's sandbox holds, once it is copied. */
export async function recordRunDesk(db: Database, runId: string, desk: DeskContentVersion) {
  await db.update(deskTestRuns).set({ desk }).where(eq(deskTestRuns.id, runId));
}

/** A case's result, and the run's progress with it. */
export async function recordResult(
  db: Database,
  runId: string,
  result: CaseResult,
  position: number,
) {
  await db.transaction(async (tx) => {
    await tx.insert(deskTestResults).values({
      runId,
      caseId: result.case.id,
      position,
      kind: result.case.expect.kind,
      definition: result.case as Record<string, unknown>,
      passes: result.passes,
      attempts: result.attempts,
    });
    await tx
      .update(deskTestRuns)
      .set({ done: sql`${deskTestRuns.done} + 1` })
      .where(eq(deskTestRuns.id, runId));
  });
}

export async function finishRun(
  db: Database,
  runId: string,
  { summary, outcomes }: { summary: DeskTestSummary; outcomes: SettledOutcomes },
) {
  await db
    .update(deskTestRuns)
    .set({ status: 'completed', summary, outcomes, finishedAt: new Date() })
    .where(eq(deskTestRuns.id, runId));
}

/** A run that could not go on (the sandbox did not start, the database went away…). */
export async function failRun(db: Database, runId: string, error: string) {
  await db
    .update(deskTestRuns)
    .set({ status: 'failed', error, finishedAt: new Date() })
    .where(eq(deskTestRuns.id, runId));
}

/** Runs, newest first, without their results. */
export async function listRuns(db: Database, options: { limit?: number } = {}) {
  return db
    .select()
    .from(deskTestRuns)
    .orderBy(desc(deskTestRuns.startedAt), desc(deskTestRuns.id))
    .limit(options.limit ?? 50);
}

export interface RunResult {
  case: DeskTestCase;
  status: CaseStatus;
  passes: number;
  attempts: (typeof deskTestResults.$inferSelect)['attempts'];
}

/**
 * A run with its results so far in suite order, and its score computed from them: complete once the run has
 * finished, the score of the cases done while it runs.
 */
export async function getRun(
  db: Database,
  runId: string,
): Promise<DeskTestRun & { results: RunResult[]; score: DeskTestSummary }> {
  const [run] = await db.select().from(deskTestRuns).where(eq(deskTestRuns.id, runId));
  if (!run) throw new TandemError('not_found:desk_test_run', 'No test run has that id.');
  const rows = await db
    .select()
    .from(deskTestResults)
    .where(eq(deskTestResults.runId, runId))
    .orderBy(asc(deskTestResults.position), asc(deskTestResults.caseId));
  const results = rows.map((row) => ({
    case: deskTestCaseSchema.parse(row.definition),
    status: caseStatus(row.passes, row.attempts.length),
    passes: row.passes,
    attempts: row.attempts,
  }));
  const score = summarize(
    rows.map((row) => ({ kind: row.kind, passes: row.passes, attempts: row.attempts.length })),
  );
  return { ...run, results, score };
}

export type CaseChange =
  | 'newly_failing'
  | 'still_failing'
  | 'newly_passing'
  | 'still_passing'
  | 'added'
  | 'removed';

export interface CaseDiff {
  caseId: string;
  kind: string;
  change: CaseChange;
  before: CaseStatus | null;
  after: CaseStatus | null;
}

/**
 * What changed between a run and an earlier one (by default the last completed run started
 * before it; with none, every case is new): newly failing cases first, then new cases that fail, cases still failing, cases
 * fixed, new passing cases, cases no longer in the suite, and cases still passing. Flaky counts as
 * failing: not every attempt passed.
 */
export async function diffRuns(db: Database, runId: string, previousRunId?: string) {
  const run = await getRunStatuses(db, runId);
  const previousId = previousRunId ?? (await findPreviousRun(db, run.run));
  const previous = previousId ? await getRunStatuses(db, previousId) : null;
  const ids = new Set([...run.statuses.keys(), ...(previous?.statuses.keys() ?? [])]);
  const changes: CaseDiff[] = [...ids].map((caseId) => {
    const after = run.statuses.get(caseId) ?? null;
    const before = previous?.statuses.get(caseId) ?? null;
    return {
      caseId,
      kind: (after ?? before)!.kind,
      change: changeOf(before?.status ?? null, after?.status ?? null),
      before: before?.status ?? null,
      after: after?.status ?? null,
    };
  });
  changes.sort(
    (a, b) =>
      changeRank(a) - changeRank(b) ||
      a.kind.localeCompare(b.kind) ||
      a.caseId.localeCompare(b.caseId),
  );
  return { run: run.run, previous: previous?.run ?? null, changes };
}

function changeOf(before: CaseStatus | null, after: CaseStatus | null): CaseChange {
  if (after === null) return 'removed';
  if (before === null) return 'added';
  if (after === 'pass') return before === 'pass' ? 'still_passing' : 'newly_passing';
  return before === 'pass' ? 'newly_failing' : 'still_failing';
}

function changeRank(diff: CaseDiff): number {
  switch (diff.change) {
    case 'newly_failing':
      return 0;
    case 'added':
      return diff.after === 'pass' ? 4 : 1;
    case 'still_failing':
      return 2;
    case 'newly_passing':
      return 3;
    case 'removed':
      return 5;
    case 'still_passing':
      return 6;
  }
}

async function getRunStatuses(db: Database, runId: string) {
  const [run] = await db
    .select({
      id: deskTestRuns.id,
      status: deskTestRuns.status,
      startedAt: deskTestRuns.startedAt,
      summary: deskTestRuns.summary,
    })
    .from(deskTestRuns)
    .where(eq(deskTestRuns.id, runId));
  if (!run) throw new TandemError('not_found:desk_test_run', 'No test run has that id.');
  const rows = await db
    .select({
      caseId: deskTestResults.caseId,
      kind: deskTestResults.kind,
      passes: deskTestResults.passes,
      attempts: sql<number>`jsonb_array_length(${deskTestResults.attempts})`,
    })
    .from(deskTestResults)
    .where(eq(deskTestResults.runId, runId));
  const statuses = new Map(
    rows.map((r) => [r.caseId, { kind: r.kind, status: caseStatus(r.passes, Number(r.attempts)) }]),
  );
  return { run, statuses };
}

async function findPreviousRun(
  db: Database,
  run: { id: string; startedAt: Date },
): Promise<string | null> {
  const [previous] = await db
    .select({ id: deskTestRuns.id })
    .from(deskTestRuns)
    .where(and(eq(deskTestRuns.status, 'completed'), lt(deskTestRuns.startedAt, run.startedAt)))
    .orderBy(desc(deskTestRuns.startedAt))
    .limit(1);
  return previous?.id ?? null;
}

/** A run as stored, without its results: what a progress bar polls while it runs. */
export async function getRunProgress(db: Database, runId: string): Promise<DeskTestRun> {
  const [run] = await db.select().from(deskTestRuns).where(eq(deskTestRuns.id, runId));
  if (!run) throw new TandemError('not_found:desk_test_run', 'No test run has that id.');
  return run;
}
