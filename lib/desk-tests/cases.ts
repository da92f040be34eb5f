import { asc, desc, eq, inArray, max, notInArray, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { type DeskTestFailure, deskTestCases, deskTestResults, deskTestRuns } from '@/db/schema';
import { invalidInput, TandemError } from '@/lib/errors';
import { type DeskTestCase, deskTestCaseSchema } from './case';
import { formatCasesJsonl, parseCasesJsonl } from './jsonl';
import { type CaseStatus, caseStatus } from './score';

type CaseRow = typeof deskTestCases.$inferSelect;

const toCase = (row: Pick<CaseRow, 'definition'>): DeskTestCase =>
  deskTestCaseSchema.parse(row.definition);

/** The desk's cases in suite order; only those with the given ids when `ids` is given. */
export async function getCases(db: Database, ids?: readonly string[]): Promise<DeskTestCase[]> {
  const rows = await db
    .select({ id: deskTestCases.id, definition: deskTestCases.definition })
    .from(deskTestCases)
    .where(ids ? inArray(deskTestCases.id, [...ids]) : undefined)
    .orderBy(asc(deskTestCases.position), asc(deskTestCases.id));
  if (ids) {
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new TandemError(
        'not_found:desk_test',
        `No test case has the id ${missing.join(', ')}.`,
      );
    }
  }
  return rows.map(toCase);
}

export interface LastResult {
  runId: string;
  at: Date;
  status: CaseStatus;
  passes: number;
  attempts: number;
  /** The first failure of the first failing attempt, when one failed. */
  failure: DeskTestFailure | null;
}

/** The cases, each with its latest result in any run (none before its first run). */
export async function listCases(
  db: Database,
): Promise<{ case: DeskTestCase; lastResult: LastResult | null }[]> {
  const [cases, results] = await Promise.all([
    getCases(db),
    db
      .selectDistinctOn([deskTestResults.caseId], {
        caseId: deskTestResults.caseId,
        runId: deskTestResults.runId,
        at: deskTestResults.createdAt,
        passes: deskTestResults.passes,
        attempts: deskTestResults.attempts,
      })
      .from(deskTestResults)
      .innerJoin(deskTestRuns, eq(deskTestRuns.id, deskTestResults.runId))
      .orderBy(deskTestResults.caseId, desc(deskTestResults.createdAt)),
  ]);
  const byCase = new Map(results.map((r) => [r.caseId, r]));
  return cases.map((c) => {
    const result = byCase.get(c.id);
    if (!result) return { case: c, lastResult: null };
    const failing = result.attempts.find((a) => !a.passed);
    return {
      case: c,
      lastResult: {
        runId: result.runId,
        at: result.at,
        status: caseStatus(result.passes, result.attempts.length),
        passes: result.passes,
        attempts: result.attempts.length,
        failure: failing?.failures[0] ?? null,
      },
    };
  });
}

/** Adds a case, or replaces the one with its id (keeping its place in the suite). */
export async function upsertCase(
  db: Database,
  input: unknown,
): Promise<{ case: DeskTestCase; created: boolean }> {
  const parsed = deskTestCaseSchema.safeParse(input);
  if (!parsed.success) throw invalidInput('desk_test', parsed.error);
  const testCase = parsed.data;
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: deskTestCases.id })
      .from(deskTestCases)
      .where(eq(deskTestCases.id, testCase.id))
      .for('update');
    if (existing) {
      await tx
        .update(deskTestCases)
        .set({ kind: testCase.expect.kind, definition: testCase })
        .where(eq(deskTestCases.id, testCase.id));
      return { case: testCase, created: false };
    }
    await tx
      .insert(deskTestCases)
      .values({ ...rowOf(testCase), position: (await lastPosition(tx)) + 1 });
    return { case: testCase, created: true };
  });
}

export async function deleteCase(db: Database, id: string): Promise<void> {
  const deleted = await db
    .delete(deskTestCases)
    .where(eq(deskTestCases.id, id))
    .returning({ id: deskTestCases.id });
  if (deleted.length === 0) {
    throw new TandemError('not_found:desk_test', 'No test case has that id.');
  }
}

/**
 * Imports a JSON Lines suite, all or nothing: every line is validated first (the error lists
 * each bad line). Cases with a known id are replaced where they stand, new ones follow in the
 * file's order; with `replace`, cases the file does not have are deleted and the suite takes the
 * file's order.
 */
export async function importCases(
  db: Database,
  jsonl: string,
  options: { replace?: boolean } = {},
): Promise<{ created: number; updated: number; deleted: number }> {
  const cases = parseCasesJsonl(jsonl);
  if (cases.length === 0) {
    throw new TandemError('bad_request:desk_tests', 'The file has no test cases.');
  }
  return db.transaction(async (tx) => {
    const ids = cases.map((c) => c.id);
    const deleted = options.replace
      ? await tx
          .delete(deskTestCases)
          .where(notInArray(deskTestCases.id, ids))
          .returning({ id: deskTestCases.id })
      : [];
    const existing = await tx
      .select({ id: deskTestCases.id, position: deskTestCases.position })
      .from(deskTestCases)
      .where(inArray(deskTestCases.id, ids));
    const positionOf = new Map(existing.map((r) => [r.id, r.position]));
    let next = (await lastPosition(tx)) + 1;
    const rows = cases.map((c, i) => ({
      ...rowOf(c),
      position: options.replace ? i : (positionOf.get(c.id) ?? next++),
    }));
    for (let start = 0; start < rows.length; start += INSERT_BATCH) {
      await tx
        .insert(deskTestCases)
        .values(rows.slice(start, start + INSERT_BATCH))
        .onConflictDoUpdate({
          target: deskTestCases.id,
          set: {
            kind: sqlExcluded('kind'),
            position: sqlExcluded('position'),
            definition: sqlExcluded('definition'),
            updatedAt: new Date(),
          },
        });
    }
    return {
      created: cases.length - existing.length,
      updated: existing.length,
      deleted: deleted.length,
    };
  });
}

/**
 * Adds the cases whose ids the suite does not have yet, at its end; a case already there stays as
 * it is (an admin may have edited it). Returns how many were added.
 */
export async function addMissingCases(db: Database, cases: DeskTestCase[]): Promise<number> {
  if (cases.length === 0) return 0;
  return db.transaction(async (tx) => {
    // One writer at a time, so two calls cannot give new cases the same positions.
    await tx.execute(sql`lock table ${deskTestCases} in share row exclusive mode`);
    let next = (await lastPosition(tx)) + 1;
    let added = 0;
    for (let start = 0; start < cases.length; start += INSERT_BATCH) {
      const inserted = await tx
        .insert(deskTestCases)
        .values(
          cases.slice(start, start + INSERT_BATCH).map((c) => ({ ...rowOf(c), position: next++ })),
        )
        .onConflictDoNothing({ target: deskTestCases.id })
        .returning({ id: deskTestCases.id });
      added += inserted.length;
    }
    return added;
  });
}

/** The suite as JSON Lines, in suite order: what importCases reads back unchanged. */
export async function exportCases(db: Database): Promise<string> {
  return formatCasesJsonl(await getCases(db));
}

const INSERT_BATCH = 200;

/** The value an upsert's insert proposed for a column. */
const sqlExcluded = (column: string) => sql.raw(`excluded.${column}`);

const rowOf = (testCase: DeskTestCase) => ({
  id: testCase.id,
  kind: testCase.expect.kind,
  definition: testCase as Record<string, unknown>,
});

async function lastPosition(db: Database): Promise<number> {
  const [row] = await db.select({ position: max(deskTestCases.position) }).from(deskTestCases);
  return row?.position ?? -1;
}
