import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettledOutcomes } from '@/lib/analytics/outcomes';
import { deskTestCaseSchema } from '@/lib/desk-tests/case';
import {
  deleteCase,
  exportCases,
  getCases,
  importCases,
  listCases,
  upsertCase,
} from '@/lib/desk-tests/cases';
import { parseCasesJsonl } from '@/lib/desk-tests/jsonl';
import type { CaseResult } from '@/lib/desk-tests/run-suite';
import {
  createRun,
  diffRuns,
  finishRun,
  getRun,
  listRuns,
  recordResult,
  recordRunDesk,
} from '@/lib/desk-tests/runs';
import { summarize } from '@/lib/desk-tests/score';
import { TandemError } from '@/lib/errors';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

const suiteFile = path.join(__dirname, 'fixtures', 'small-suite.jsonl');
const line = (id: string, kind = 'smalltalk') =>
  JSON.stringify({ id, turns: [`message of ${id}`], expect: { kind } });

/** A case's result with the given attempts passing. */
function result(id: string, passed: boolean[], kind = 'answer'): CaseResult {
  return {
    case: deskTestCaseSchema.parse({ id, turns: ['?'], expect: { kind } }),
    passes: passed.filter(Boolean).length,
    attempts: passed.map((ok) => ({
      passed: ok,
      failures: ok ? [] : [{ code: 'abstained', message: 'declined instead of answering' }],
      reply: ok ? 'An answer' : 'I do not know',
      citations: [],
      tools: [],
      plan: 'answer',
      escalation: null,
      turns: [],
      ms: 5,
    })),
  };
}

const RUN_OUTCOMES: SettledOutcomes = {
  conversations: 3,
  outcomes: { ai_resolved: 2, assisted: 0, escalated: 1, abandoned: 0, in_progress: 0 },
};

async function storedRun(ctx: TestDatabaseContext, results: CaseResult[]) {
  const run = await createRun(ctx.db, {
    startedBy: { name: 'Test' },
    model: 'tandem:offline-extractive',
    k: results[0]!.attempts.length,
    total: results.length,
  });
  for (const [i, r] of results.entries()) await recordResult(ctx.db, run.id, r, i);
  await finishRun(ctx.db, run.id, {
    summary: summarize(
      results.map((r) => ({
        kind: r.case.expect.kind,
        passes: r.passes,
        attempts: r.attempts.length,
      })),
    ),
    outcomes: RUN_OUTCOMES,
  });
  return run.id;
}

/** The same behaviour on the embedded database and, where there is one, a PostgreSQL server. */
function storageSuite(open: () => Promise<TestDatabaseContext>) {
  let ctx: TestDatabaseContext;
  beforeAll(async () => {
    ctx = await open();
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
  });

  describe('the desk test cases', () => {
    it('imports a suite in its order, exports it unchanged, and imports it again idempotently', async () => {
      const source = await readFile(suiteFile, 'utf8');
      const cases = parseCasesJsonl(source);
      expect(await importCases(ctx.db, source, { replace: true })).toEqual({
        created: cases.length,
        updated: 0,
        deleted: 0,
      });
      expect((await getCases(ctx.db)).map((c) => c.id)).toEqual(cases.map((c) => c.id));
      const exported = await exportCases(ctx.db);
      expect(parseCasesJsonl(exported)).toEqual(cases);
      expect(await importCases(ctx.db, exported)).toEqual({
        created: 0,
        updated: cases.length,
        deleted: 0,
      });
    });

    it('merges an import into the suite, or replaces the suite with it', async () => {
      await importCases(ctx.db, [line('one'), line('two'), line('three')].join('\n'), {
        replace: true,
      });
      await importCases(ctx.db, [line('four'), line('two', 'answer')].join('\n'));
      const merged = await getCases(ctx.db);
      expect(merged.map((c) => `${c.id}:${c.expect.kind}`)).toEqual([
        'one:smalltalk',
        'two:answer',
        'three:smalltalk',
        'four:smalltalk',
      ]);
      expect(
        await importCases(ctx.db, [line('three'), line('one')].join('\n'), { replace: true }),
      ).toEqual({
        created: 0,
        updated: 2,
        deleted: 2,
      });
      expect((await getCases(ctx.db)).map((c) => c.id)).toEqual(['three', 'one']);
    });

    it('refuses a bad file whole, changing nothing', async () => {
      const before = await exportCases(ctx.db);
      await expect(
        importCases(ctx.db, [line('fine'), '{"id": "bad", "turns": []}'].join('\n'), {
          replace: true,
        }),
      ).rejects.toThrow(/line 2/);
      await expect(importCases(ctx.db, '\n\n')).rejects.toThrow(/no test cases/);
      expect(await exportCases(ctx.db)).toBe(before);
    });

    it('adds, edits in place and deletes one case', async () => {
      await importCases(ctx.db, [line('a'), line('b')].join('\n'), { replace: true });
      const added = await upsertCase(ctx.db, JSON.parse(line('c')));
      expect(added.created).toBe(true);
      const edited = await upsertCase(ctx.db, { ...JSON.parse(line('a')), turns: ['Hello again'] });
      expect(edited).toMatchObject({ created: false, case: { turns: ['Hello again'] } });
      expect((await getCases(ctx.db)).map((c) => c.id)).toEqual(['a', 'b', 'c']);
      await deleteCase(ctx.db, 'b');
      expect((await getCases(ctx.db)).map((c) => c.id)).toEqual(['a', 'c']);
      await expect(deleteCase(ctx.db, 'b')).rejects.toMatchObject({ code: 'not_found:desk_test' });
      const invalid = await upsertCase(ctx.db, {
        id: 'x',
        turns: ['hi'],
        expect: { kind: 'nope' },
      }).catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(TandemError);
      expect((invalid as TandemError).code).toBe('bad_request:desk_test');
      await expect(getCases(ctx.db, ['a', 'zzz'])).rejects.toThrow(/zzz/);
    });
  });

  describe('runs of the desk tests', () => {
    it('keeps each run with its progress, results and score, and the cases their last result', async () => {
      await importCases(
        ctx.db,
        [line('a', 'answer'), line('b', 'answer'), line('c', 'answer')].join('\n'),
        {
          replace: true,
        },
      );
      const run = await createRun(ctx.db, {
        startedBy: { name: 'Ada' },
        model: 'openai.chat:gpt-test',
        k: 3,
        total: 3,
      });
      expect(run).toMatchObject({ status: 'running', done: 0, total: 3, k: 3, startedBy: 'Ada' });
      await recordRunDesk(ctx.db, run.id, {
        source: 'copy',
        documents: 2,
        kb: 'k',
        settings: 's',
        classifier: 'c',
      });
      // Cases may finish out of order; results keep the suite's.
      await recordResult(ctx.db, run.id, result('b', [true, false, true]), 1);
      const halfway = await getRun(ctx.db, run.id);
      expect(halfway).toMatchObject({
        done: 1,
        status: 'running',
        score: { n: 1, passed: 0, flaky: 1 },
      });
      expect(halfway.desk).toMatchObject({ documents: 2 });

      await recordResult(ctx.db, run.id, result('a', [true, true, true]), 0);
      const listed = await listCases(ctx.db);
      expect(listed.map((c) => [c.case.id, c.lastResult?.status ?? null])).toEqual([
        ['a', 'pass'],
        ['b', 'flaky'],
        ['c', null],
      ]);
      expect(listed[1]!.lastResult).toMatchObject({
        runId: run.id,
        passes: 2,
        attempts: 3,
        failure: { code: 'abstained' },
      });
      const done = await getRun(ctx.db, run.id);
      expect(done.results.map((r) => [r.case.id, r.status])).toEqual([
        ['a', 'pass'],
        ['b', 'flaky'],
      ]);
      expect(done.score).toMatchObject({ n: 2, passed: 1, flaky: 1 });
      expect((await listRuns(ctx.db))[0]!.id).toBe(run.id);
      await expect(getRun(ctx.db, crypto.randomUUID())).rejects.toMatchObject({
        code: 'not_found:desk_test_run',
      });
    });

    it('diffs a run against the one before, newly failing cases first', async () => {
      const first = await storedRun(ctx, [
        result('stays-good', [true]),
        result('breaks', [true]),
        result('gets-fixed', [false]),
        result('stays-bad', [false]),
        result('dropped', [true]),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await storedRun(ctx, [
        result('stays-good', [true]),
        result('breaks', [false]),
        result('gets-fixed', [true]),
        result('stays-bad', [false]),
        result('new-bad', [false]),
        result('new-good', [true]),
      ]);
      const diff = await diffRuns(ctx.db, second);
      expect(diff.previous?.id).toBe(first);
      expect((await getRun(ctx.db, second)).outcomes).toEqual(RUN_OUTCOMES);
      expect(diff.changes.map((c) => [c.caseId, c.change, c.before, c.after])).toEqual([
        ['breaks', 'newly_failing', 'pass', 'fail'],
        ['new-bad', 'added', null, 'fail'],
        ['stays-bad', 'still_failing', 'fail', 'fail'],
        ['gets-fixed', 'newly_passing', 'fail', 'pass'],
        ['new-good', 'added', null, 'pass'],
        ['dropped', 'removed', 'pass', null],
        ['stays-good', 'still_passing', 'pass', 'pass'],
      ]);
      expect((await diffRuns(ctx.db, first, second)).changes[0]).toMatchObject({
        caseId: 'gets-fixed',
        change: 'newly_failing',
      });
    });
  });
}

describe('on PGlite', () => {
  storageSuite(() => openTestDatabase());
});

describe.runIf(testEnv.databaseUrl)('on PostgreSQL', () => {
  let database: TestDatabase;
  afterAll(async () => {
    await database?.drop();
  });
  storageSuite(async () => {
    database = await createTestDatabase(testEnv.databaseUrl!);
    return openTestDatabase({ DATABASE_URL: database.url });
  });
});
