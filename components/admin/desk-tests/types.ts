import type { DeskContentVersion, DeskTestAttempt, DeskTestSummary } from '@/db/schema';
import type { DeskTestCase } from '@/lib/desk-tests/case';
import type { LastResult } from '@/lib/desk-tests/cases';
import type { CaseDiff, DeskTestRun, RunResult } from '@/lib/desk-tests/runs';

/** A server type as its JSON arrives: dates are ISO strings. */
type Json<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

export type { DeskContentVersion, DeskTestAttempt, DeskTestCase, DeskTestSummary };

export type CaseListing = { case: DeskTestCase; lastResult: Json<LastResult> | null };

export type RunRow = Json<DeskTestRun>;

export type RunDetail = RunRow & { results: RunResult[]; score: DeskTestSummary };

export type RunDiff = {
  run: Pick<RunRow, 'id' | 'status' | 'startedAt' | 'summary'>;
  previous: Pick<RunRow, 'id' | 'status' | 'startedAt' | 'summary'> | null;
  changes: CaseDiff[];
};

export const API = '/api/admin/desk-tests';

export const runUrl = (id: string) => `/admin/tests/runs/${id}`;
