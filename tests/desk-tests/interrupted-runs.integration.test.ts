import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '@/db/client';
import { deskTestRuns } from '@/db/schema';
import { parseConfig } from '@/lib/config';
import { importCases } from '@/lib/desk-tests/cases';
import {
  beatRun,
  failInterruptedRuns,
  HEARTBEAT_MS,
  INTERRUPTED_ERROR,
  LEASE_MS,
} from '@/lib/desk-tests/run-lease';
import { createRun, getRun } from '@/lib/desk-tests/runs';
import { runMaintenance } from '@/lib/jobs/maintenance';
import { startApp, stopApp } from '@/lib/server/app';
import { startRun } from '@/lib/server/desk-tests';
import { startTestApp } from '../harness/app';
import {
  createMigratedDataDir,
  openTestDatabase,
  type TestDatabaseContext,
} from '../harness/database';
import { createTestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

const newRun = (db: Database) =>
  createRun(db, {
    startedBy: { name: 'Ada Admin' },
    model: 'tandem:offline-extractive',
    k: 1,
    total: 3,
  });

/** Makes a run look as if its process last beat this long ago. */
const lastBeat = (db: Database, runId: string, msAgo: number) =>
  db
    .update(deskTestRuns)
    .set({ heartbeatAt: sql`now() - ${sql.raw(`interval '${msAgo / 1000} seconds'`)}` })
    .where(eq(deskTestRuns.id, runId));

const stateOf = async (db: Database, runId: string) => {
  const [run] = await db.select().from(deskTestRuns).where(eq(deskTestRuns.id, runId));
  return { status: run!.status, error: run!.error, finished: run!.finishedAt !== null };
};

const INTERRUPTED = { status: 'failed', error: INTERRUPTED_ERROR, finished: true };
const RUNNING = { status: 'running', error: null, finished: false };

describe('runs cut off by a stopped server', () => {
  let ctx: TestDatabaseContext;
  beforeAll(async () => {
    ctx = await openTestDatabase();
  }, 120_000);
  afterAll(() => ctx?.close());

  it('fails a run whose heartbeat is older than the lease, and leaves beating ones running', async () => {
    const stale = await newRun(ctx.db);
    const beating = await newRun(ctx.db);
    const renewed = await newRun(ctx.db);
    await lastBeat(ctx.db, stale.id, LEASE_MS + 5_000);
    await lastBeat(ctx.db, beating.id, LEASE_MS - 20_000);
    await lastBeat(ctx.db, renewed.id, LEASE_MS + 5_000);
    await beatRun(ctx.db, renewed.id);

    expect(await failInterruptedRuns(ctx.db)).toEqual([stale.id]);
    expect(await stateOf(ctx.db, stale.id)).toEqual(INTERRUPTED);
    expect(await stateOf(ctx.db, beating.id)).toEqual(RUNNING);
    expect(await stateOf(ctx.db, renewed.id)).toEqual(RUNNING);
    expect(await failInterruptedRuns(ctx.db)).toEqual([]);
  });

  it('on a database only this process opens, fails every running run but those it names alive', async () => {
    const mine = await newRun(ctx.db);
    const orphan = await newRun(ctx.db);
    const failed = await failInterruptedRuns(ctx.db, { exclusive: true, alive: [mine.id] });
    expect(failed).toContain(orphan.id);
    expect(failed).not.toContain(mine.id);
    expect(await stateOf(ctx.db, orphan.id)).toEqual(INTERRUPTED);
    expect(await stateOf(ctx.db, mine.id)).toEqual(RUNNING);
  });

  it('is also checked hourly, for an instance that restarted within the lease', async () => {
    const stale = await newRun(ctx.db);
    await lastBeat(ctx.db, stale.id, LEASE_MS + 5_000);
    expect(await runMaintenance(ctx.db)).toMatchObject({ interruptedTestRuns: 1 });
    expect(await stateOf(ctx.db, stale.id)).toEqual(INTERRUPTED);
  });

  it('never touches a finished run', async () => {
    const [done] = await ctx.db
      .insert(deskTestRuns)
      .values({ startedBy: 'Ada', model: 'm', k: 1, total: 1, status: 'completed' })
      .returning();
    await lastBeat(ctx.db, done!.id, LEASE_MS * 10);
    await failInterruptedRuns(ctx.db, { exclusive: true });
    expect((await stateOf(ctx.db, done!.id)).status).toBe('completed');
  });
});

describe('a restart of the server', () => {
  it('shows the run it cut off as failed, interrupted, as soon as the desk starts again', async () => {
    const dataDir = await createMigratedDataDir();
    const config = parseConfig({
      TANDEM_DATA_DIR: dataDir.dir,
      LOG_LEVEL: 'silent',
      TANDEM_JOBS_WORKER: 'false',
    });
    try {
      const first = await startApp(config);
      const cutOff = await newRun(first.database.db);
      await stopApp(first);

      const second = await startApp(config);
      try {
        expect(await getRun(second.database.db, cutOff.id)).toMatchObject({
          status: 'failed',
          error: 'interrupted: the server stopped during the run',
        });
      } finally {
        await stopApp(second);
      }
    } finally {
      await dataDir.cleanup();
    }
  }, 180_000);
});

describe('a run in progress', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    app = await startTestApp({ TANDEM_JOBS_WORKER: 'false' });
    await importCases(
      app.app.database.db,
      JSON.stringify({ id: 'hello', turns: ['hi there'], expect: { kind: 'smalltalk' } }),
    );
  }, 120_000);
  afterAll(() => app?.stop());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews its heartbeat while it runs, and a new run first clears runs left behind', async () => {
    const { db } = app.app.database;
    const leftBehind = await newRun(db);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });

    const { run, finished } = await startRun(app.app, { startedBy: { name: 'Ada Admin' } });
    expect(await stateOf(db, leftBehind.id)).toEqual(INTERRUPTED);
    await lastBeat(db, run.id, LEASE_MS * 2);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    await vi.waitFor(async () => {
      const [row] = await db
        .select({ age: sql<number>`extract(epoch from now() - ${deskTestRuns.heartbeatAt})` })
        .from(deskTestRuns)
        .where(eq(deskTestRuns.id, run.id));
      expect(Number(row!.age)).toBeLessThan(LEASE_MS / 1000);
    });
    expect((await finished).status).toBe('completed');
  }, 180_000);
});

describe.runIf(testEnv.databaseUrl)('several instances on one PostgreSQL database', () => {
  it('fails only the runs whose heartbeat stopped, not one another instance is carrying out', async () => {
    const database = await createTestDatabase(testEnv.databaseUrl!);
    const config = parseConfig({
      DATABASE_URL: database.url,
      TANDEM_DEMO: 'true',
      LOG_LEVEL: 'silent',
      TANDEM_JOBS_WORKER: 'false',
      TANDEM_CONSENT_REQUIRED: 'false',
    });
    const first = await startApp(config);
    try {
      const { db } = first.database;
      const elsewhere = await newRun(db);
      const cutOff = await newRun(db);
      await lastBeat(db, cutOff.id, LEASE_MS + 5_000);

      const second = await startApp(config);
      await stopApp(second);
      expect(await stateOf(db, cutOff.id)).toEqual(INTERRUPTED);
      expect(await stateOf(db, elsewhere.id)).toEqual(RUNNING);
    } finally {
      await stopApp(first);
      await database.drop();
    }
  }, 180_000);
});
