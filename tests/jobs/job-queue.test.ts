import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as jobsRoute } from '@/app/api/admin/jobs/route';
import { jobs } from '@/db/schema';
import { encodeStaffSession } from '@/lib/auth/staff-session';
import type { AppContext } from '@/lib/context';
import { claimJobs, enqueueJob, getJob, retryDelayMs } from '@/lib/jobs/queries';
import { PermanentJobError, startJobWorker } from '@/lib/jobs/worker';
import { createStaff } from '@/lib/staff/queries';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp({ TANDEM_JOBS_WORKER: 'false' }));
});
afterAll(() => stop());

const waitFor = async (check: () => Promise<boolean>) => {
  const deadline = Date.now() + 10_000;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
};

describe('the job queue', () => {
  it('retries a failing job with backoff, fails a permanent error at once, and runs each job once', async () => {
    const { db } = app.database;
    const runs: Record<string, number> = {};
    const worker = await startJobWorker({
      db,
      pollMs: 20,
      concurrency: 3,
      leaseMs: 5000,
      retryBaseMs: 50,
      listen: app.database.listen?.bind(app.database),
      handlers: {
        'test.flaky': {
          run: async (job) => {
            runs[job.id] = (runs[job.id] ?? 0) + 1;
            if (job.attempts < 3) throw new Error(`flaked on attempt ${job.attempts}`);
            return { ok: true };
          },
        },
        'test.broken': {
          run: async () => {
            throw new PermanentJobError('bad payload', { error: 'bad payload' });
          },
        },
        'test.once': {
          run: async (job) => {
            runs[job.id] = (runs[job.id] ?? 0) + 1;
            return null;
          },
        },
      },
    });
    try {
      const flaky = await enqueueJob(db, { type: 'test.flaky' });
      const broken = await enqueueJob(db, { type: 'test.broken' });
      const once = await Promise.all(
        Array.from({ length: 10 }, () => enqueueJob(db, { type: 'test.once' })),
      );
      const deduped = await enqueueJob(db, { type: 'test.once', dedupeKey: 'only-one' });
      expect(await enqueueJob(db, { type: 'test.once', dedupeKey: 'only-one' })).toBe(deduped);
      await waitFor(async () => (await getJob(db, flaky))?.status === 'completed');

      expect(await getJob(db, flaky)).toMatchObject({
        status: 'completed',
        attempts: 3,
        result: { ok: true },
        lastError: 'flaked on attempt 2',
      });
      expect(await getJob(db, broken)).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastError: 'bad payload',
      });
      await waitFor(async () => [...once, deduped].every((id) => runs[id] === 1));
      for (const id of [...once, deduped]) expect(runs[id]).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it('takes back a running job once its worker’s lease has run out', async () => {
    const { db } = app.database;
    const id = await enqueueJob(db, { type: 'test.lease' });
    const [first] = await claimJobs(db, {
      workerId: 'dead',
      limit: 1,
      leaseMs: 60_000,
      types: ['test.lease'],
    });
    expect(first?.id).toBe(id);
    expect(
      await claimJobs(db, { workerId: 'other', limit: 1, leaseMs: 1000, types: ['test.lease'] }),
    ).toEqual([]);
    await db
      .update(jobs)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(jobs.id, id));
    const [again] = await claimJobs(db, {
      workerId: 'other',
      limit: 1,
      leaseMs: 1000,
      types: ['test.lease'],
    });
    expect(again).toMatchObject({ id, attempts: 2, lockedBy: 'other', status: 'running' });
  });

  it('backs off exponentially with jitter', () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const ceiling = 1000 * 2 ** (attempt - 1);
      const delay = retryDelayMs(attempt, 1000);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
    expect(retryDelayMs(30, 1000, 60_000)).toBeLessThanOrEqual(60_000);
  });

  it('shows admins the counts and failed jobs with their error; others are refused', async () => {
    const { db } = app.database;
    const who = (role: 'agent' | 'admin') =>
      createStaff(db, {
        email: `${role}-jobs@example.com`,
        name: role,
        role,
        password: 'a good password',
      });
    const [admin, agent] = [await who('admin'), await who('agent')];
    const get = async (query: string, staff?: typeof admin) =>
      jobsRoute(
        new Request(`http://localhost/api/admin/jobs${query}`, {
          headers: staff
            ? { cookie: `next-auth.session-token=${await encodeStaffSession(app, staff)}` }
            : {},
        }),
        { params: Promise.resolve({}) },
      );
    const response = await get('?status=failed', admin);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.counts).toMatchObject({
      failed: 1,
      completed: expect.any(Number),
      retried: expect.any(Number),
    });
    expect(body.counts.retried).toBeGreaterThanOrEqual(1);
    expect(body.jobs).toEqual([
      expect.objectContaining({ type: 'test.broken', status: 'failed', lastError: 'bad payload' }),
    ]);
    expect(body.jobs[0]).not.toHaveProperty('payload');
    expect((await get('?status=nonsense', admin)).status).toBe(400);
    expect((await get('', agent)).status).toBe(403);
    expect((await get('')).status).toBe(401);
  });
});
