import { and, count, desc, eq, gt, sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';
import { jobs } from '@/db/schema';
import { truncateText } from '@/lib/text/truncate';

export type Job = typeof jobs.$inferSelect;
export type JobStatus = Job['status'];

/** Wakes idle workers (on any instance) when a job is queued; delivered when the transaction commits. */
export const JOBS_CHANNEL = 'tandem_jobs';

export interface NewJob {
  type: string;
  payload?: unknown;
  /** Not before this time (default: now). */
  runAt?: Date;
  maxAttempts?: number;
  /** A second job with the same key is not queued; the first one's id is returned. */
  dedupeKey?: string;
}

/** Queues a job — inside the caller's transaction when `db` is one — and returns its id. */
export async function enqueueJob(db: Database, job: NewJob): Promise<string> {
  const [inserted] = await db
    .insert(jobs)
    .values({
      type: job.type,
      payload: job.payload ?? {},
      runAt: job.runAt ?? new Date(),
      maxAttempts: job.maxAttempts ?? 5,
      dedupeKey: job.dedupeKey,
    })
    .onConflictDoNothing()
    .returning({ id: jobs.id });
  await db.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${job.type})`);
  if (inserted) return inserted.id;
  const [existing] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(eq(jobs.dedupeKey, job.dedupeKey!));
  return existing!.id;
}

export async function getJob(db: Database, id: string): Promise<Job | undefined> {
  const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
  return job;
}

/**
 * Takes up to `limit` due jobs for this worker: queued ones whose time has come, and running ones
 * whose lease ran out because their worker died. SKIP LOCKED lets many workers claim at once
 * without waiting on, or taking, each other's rows.
 */
export async function claimJobs(
  db: Database,
  input: { workerId: string; limit: number; leaseMs: number; types: string[] },
): Promise<Job[]> {
  if (input.limit <= 0 || input.types.length === 0) return [];
  const result = await db.execute(sql`
    update ${jobs} set
      status = 'running',
      attempts = ${jobs.attempts} + 1,
      locked_by = ${input.workerId},
      locked_until = now() + make_interval(secs => ${input.leaseMs / 1000}),
      updated_at = now()
    where ${jobs.id} in (
      select id from ${jobs}
      where type in (${sql.join(
        input.types.map((t) => sql`${t}`),
        sql`, `,
      )})
        and ((status = 'queued' and run_at <= now())
          or (status = 'running' and locked_until < now()))
      order by run_at
      limit ${input.limit}
      for update skip locked
    )
    returning id`);
  const ids = rowsOf<{ id: string }>(result).map((r) => r.id);
  if (ids.length === 0) return [];
  return db
    .select()
    .from(jobs)
    .where(
      sql`${jobs.id} in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
}

/** Keeps a running job's lease while its worker is alive. False when the job is no longer ours. */
export async function extendLease(
  db: Database,
  input: { id: string; workerId: string; leaseMs: number },
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ lockedUntil: sql`now() + make_interval(secs => ${input.leaseMs / 1000})` })
    .where(
      and(eq(jobs.id, input.id), eq(jobs.lockedBy, input.workerId), eq(jobs.status, 'running')),
    )
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function completeJob(
  db: Database,
  input: { id: string; workerId: string; result: unknown },
): Promise<void> {
  await db
    .update(jobs)
    .set({
      status: 'completed',
      result: input.result ?? null,
      lockedBy: null,
      lockedUntil: null,
      finishedAt: new Date(),
    })
    .where(and(eq(jobs.id, input.id), eq(jobs.lockedBy, input.workerId)));
}

/** A failed attempt: queued again after `retryInMs`, or failed for good when none is given. */
export async function failJob(
  db: Database,
  input: { id: string; workerId: string; error: string; retryInMs?: number; result?: unknown },
): Promise<void> {
  const retry = input.retryInMs !== undefined;
  await db
    .update(jobs)
    .set({
      status: retry ? 'queued' : 'failed',
      result: input.result,
      lastError: truncateText(input.error, 2000, ''),
      runAt: retry ? new Date(Date.now() + input.retryInMs!) : undefined,
      lockedBy: null,
      lockedUntil: null,
      finishedAt: retry ? null : new Date(),
    })
    .where(and(eq(jobs.id, input.id), eq(jobs.lockedBy, input.workerId)));
}

/** Exponential backoff with jitter: base·2^(attempt−1), capped, then a random 50–100 % of it. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs = 6 * 60 * 60 * 1000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export type JobCounts = Record<JobStatus, number> & { retried: number };

/** Counts by status, and how many jobs needed more than one attempt. */
export async function countJobs(db: Database): Promise<JobCounts> {
  const rows = await db.select({ status: jobs.status, n: count() }).from(jobs).groupBy(jobs.status);
  const [retried] = await db.select({ n: count() }).from(jobs).where(gt(jobs.attempts, 1));
  const counts: JobCounts = { queued: 0, running: 0, completed: 0, failed: 0, retried: 0 };
  for (const row of rows) counts[row.status] = row.n;
  counts.retried = retried?.n ?? 0;
  return counts;
}

/**
 * The newest jobs, optionally of one status, or only those that needed a retry. Payloads are
 * left out: they can hold customers' messages.
 */
export async function listJobs(
  db: Database,
  input: { status?: JobStatus | 'retried'; limit?: number },
) {
  const where =
    input.status === 'retried'
      ? gt(jobs.attempts, 1)
      : input.status
        ? eq(jobs.status, input.status)
        : undefined;
  return db
    .select({
      id: jobs.id,
      type: jobs.type,
      status: jobs.status,
      attempts: jobs.attempts,
      maxAttempts: jobs.maxAttempts,
      runAt: jobs.runAt,
      lastError: jobs.lastError,
      createdAt: jobs.createdAt,
      updatedAt: jobs.updatedAt,
      finishedAt: jobs.finishedAt,
    })
    .from(jobs)
    .where(where)
    .orderBy(desc(jobs.updatedAt))
    .limit(input.limit ?? 50);
}
