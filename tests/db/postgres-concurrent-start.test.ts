import { readFileSync } from 'node:fs';
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/client';
import { kbDocuments, users } from '@/db/schema';
import { type SeedReport, seedDatabase } from '@/db/seed';
import {
  configureVercelPostgres,
  type NeonWsProxy,
  startNeonWsProxy,
} from '../harness/neon-ws-proxy';
import { createTestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';
import { DEMO_ARTICLES, queryRows } from './data-layer-contract';

const journalEntries = (
  JSON.parse(readFileSync('db/migrations/meta/_journal.json', 'utf8')) as { entries: unknown[] }
).entries.length;

const databaseUrl = testEnv.databaseUrl;
const accounts = { admin: { email: 'admin@tandem.test' }, agent: { email: 'agent@tandem.test' } };

type SeedRun = { report: SeedReport; startedAt: number; finishedAt: number };

/** Starts every instance at once on one fresh database, the way a scaled-out deploy does. */
async function startTogether(drivers: ('pg' | 'vercel-postgres')[]) {
  const database = await createTestDatabase(databaseUrl ?? '');
  const handles: DatabaseHandle[] = [];
  try {
    for (const driver of drivers) {
      handles.push(await openDatabase({ driver, url: database.url }));
    }
    const runs: SeedRun[] = [];
    await Promise.all(
      handles.map((handle) =>
        handle.migrate(async (db) => {
          const startedAt = performance.now();
          const report = await seedDatabase(db, accounts);
          runs.push({ report, startedAt, finishedAt: performance.now() });
        }),
      ),
    );
    const db = handles[0]!.db;
    const counts = {
      users: (await db.select({ n: count() }).from(users))[0]?.n,
      documents: (await db.select({ n: count() }).from(kbDocuments))[0]?.n,
      migrations: (
        await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        )
      )[0]?.n,
    };
    return { runs, counts };
  } finally {
    await Promise.all(handles.map((handle) => handle.close()));
    await database.drop();
  }
}

function expectSeededOnceInTurn(runs: SeedRun[]) {
  expect(runs.map((run) => run.report.articles).sort((a, b) => a - b)).toEqual([
    ...runs.slice(1).map(() => 0),
    DEMO_ARTICLES,
  ]);
  expect(runs.flatMap((run) => run.report.createdAccounts.map((a) => a.role)).sort()).toEqual([
    'admin',
    'agent',
  ]);
  const ordered = [...runs].sort((a, b) => a.startedAt - b.startedAt);
  for (let i = 1; i < ordered.length; i++) {
    expect(ordered[i]!.startedAt).toBeGreaterThanOrEqual(ordered[i - 1]!.finishedAt);
  }
}

describe.skipIf(!databaseUrl)('data layer: PostgreSQL instances starting together', () => {
  let proxy: NeonWsProxy;

  beforeAll(async () => {
    proxy = await startNeonWsProxy();
    await configureVercelPostgres(proxy.port);
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it('two node-postgres instances both migrate, one after the other, and seed only once', async () => {
    const { runs, counts } = await startTogether(['pg', 'pg']);
    expect(runs).toHaveLength(2);
    expectSeededOnceInTurn(runs);
    expect(counts).toEqual({ users: 2, documents: DEMO_ARTICLES, migrations: journalEntries });
  });

  it('node-postgres and @vercel/postgres instances share the same migration lock', async () => {
    const { runs, counts } = await startTogether(['pg', 'vercel-postgres', 'pg']);
    expect(runs).toHaveLength(3);
    expectSeededOnceInTurn(runs);
    expect(counts).toEqual({ users: 2, documents: DEMO_ARTICLES, migrations: journalEntries });
  });
});
