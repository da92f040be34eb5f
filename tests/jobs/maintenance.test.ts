import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiIdempotency, jobs } from '@/db/schema';
import { createApiKey } from '@/lib/api-keys/keys';
import { MAINTENANCE_JOB, runMaintenance, scheduleMaintenance } from '@/lib/jobs/maintenance';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

let app: TestDatabaseContext;
beforeAll(async () => {
  app = await openTestDatabase();
});
afterAll(() => app.close());

describe('hourly maintenance', () => {
  it('schedules one run per hour however often it is asked', async () => {
    const now = Date.parse('2030-01-01T10:20:00Z');
    const a = await scheduleMaintenance(app.database.db, now);
    const b = await scheduleMaintenance(app.database.db, now + 60_000);
    expect(a).toBe(b);
    const [job] = await app.database.db.select().from(jobs).where(eq(jobs.id, a));
    expect(job).toMatchObject({ type: MAINTENANCE_JOB, runAt: new Date('2030-01-01T11:00:00Z') });
  });

  it('drops day-old idempotency records and week-old finished jobs, keeps the rest, queues the next hour', async () => {
    const { db } = app.database;
    const now = Date.parse('2030-02-01T12:00:00Z');
    const { apiKey } = await createApiKey(db, { name: 'm', scopes: ['write'] });
    await db.insert(apiIdempotency).values([
      {
        keyId: apiKey.id,
        idempotencyKey: 'old',
        requestHash: 'h',
        createdAt: new Date(now - 25 * 3_600_000),
      },
      {
        keyId: apiKey.id,
        idempotencyKey: 'fresh',
        requestHash: 'h',
        createdAt: new Date(now - 3_600_000),
      },
    ]);
    await db.insert(jobs).values([
      { type: 'test.old', status: 'completed', finishedAt: new Date(now - 8 * 86_400_000) },
      { type: 'test.recent', status: 'completed', finishedAt: new Date(now - 86_400_000) },
      { type: 'test.queued', status: 'queued', runAt: new Date(now - 30 * 86_400_000) },
    ]);

    const report = await runMaintenance(db, now);
    expect(report).toMatchObject({ idempotencyRecords: 1, finishedJobs: 1 });
    const keys = (await db.select().from(apiIdempotency)).map((r) => r.idempotencyKey);
    expect(keys).toEqual(['fresh']);
    const left = (await db.select().from(jobs).where(like(jobs.type, 'test.%')))
      .map((j) => j.type)
      .sort();
    expect(left).toEqual(['test.queued', 'test.recent']);
    const next = await db
      .select()
      .from(jobs)
      .where(eq(jobs.dedupeKey, `${MAINTENANCE_JOB}:2030-02-01T13:00:00.000Z`));
    expect(next).toHaveLength(1);
  });
});
