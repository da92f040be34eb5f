import { and, inArray, lt } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { apiIdempotency, jobs } from '@/db/schema';
import { failInterruptedRuns } from '@/lib/desk-tests/run-lease';
import { applyRetention, getRetention } from '@/lib/privacy/retention';
import { enqueueJob } from './queries';

export const MAINTENANCE_JOB = 'maintenance.hourly';
export const SUMMARY_JOB = 'conversation.summary';
export const CALL_EXPIRY_JOB = 'action_calls.expire';

const HOUR_MS = 3_600_000;
/** Idempotency keys protect retries; a day covers any client's retry policy. */
const IDEMPOTENCY_KEEP_MS = 24 * HOUR_MS;
/** Finished jobs (and so async-message tasks) can be looked up for a week. */
const FINISHED_JOBS_KEEP_MS = 7 * 24 * HOUR_MS;

const hourSlot = (time: number) => new Date(Math.floor(time / HOUR_MS) * HOUR_MS);
/*
 * Action calls waiting for a customer's confirmation lapse after 30 minutes, so they are swept
 * every 5: a lapsed call is refused at its next touch anyway, this ends it for everyone watching
 * (the console's approval queue, the transcript, the audit log).
 */
const CALL_EXPIRY_EVERY_MS = 5 * 60_000;

/**
 * Queues the maintenance run for the hour after `now`. The dedupe key is the hour, so however
 * many instances schedule it, each hour runs once.
 */
export function scheduleMaintenance(db: Database, now = Date.now()): Promise<string> {
  const runAt = new Date(hourSlot(now).getTime() + HOUR_MS);
  return enqueueJob(db, {
    type: MAINTENANCE_JOB,
    runAt,
    dedupeKey: `${MAINTENANCE_JOB}:${runAt.toISOString()}`,
  });
}

/**
 * Queues the sweep of lapsed action calls for the 5-minute slot after `now`, once per slot
 * however many instances ask (the handler queues the next one; maintenance too, should a run
 * fail for good).
 */
export function scheduleCallExpiry(db: Database, now = Date.now()): Promise<string> {
  const runAt = new Date(
    Math.floor(now / CALL_EXPIRY_EVERY_MS) * CALL_EXPIRY_EVERY_MS + CALL_EXPIRY_EVERY_MS,
  );
  return enqueueJob(db, {
    type: CALL_EXPIRY_JOB,
    runAt,
    maxAttempts: 3,
    dedupeKey: `${CALL_EXPIRY_JOB}:${runAt.toISOString()}`,
  });
}

/**
 * Housekeeping once an hour: old idempotency records and finished jobs go, data past its retention
 * period is deleted or anonymised, test runs whose server stopped are marked failed, and the
 * next run is queued.
 */
export async function runMaintenance(db: Database, now = Date.now()) {
  const idempotency = await db
    .delete(apiIdempotency)
    .where(lt(apiIdempotency.createdAt, new Date(now - IDEMPOTENCY_KEEP_MS)))
    .returning({ key: apiIdempotency.idempotencyKey });
  const finished = await db
    .delete(jobs)
    .where(
      and(
        inArray(jobs.status, ['completed', 'failed']),
        lt(jobs.finishedAt, new Date(now - FINISHED_JOBS_KEEP_MS)),
      ),
    )
    .returning({ id: jobs.id });
  const retention = await applyRetention(db, await getRetention(db), now);
  // Instances check at start-up, but one that restarts within the lease cannot yet tell.
  const interruptedTestRuns = await failInterruptedRuns(db);
  await scheduleMaintenance(db, now);
  await scheduleCallExpiry(db, now);
  return {
    idempotencyRecords: idempotency.length,
    finishedJobs: finished.length,
    retention,
    interruptedTestRuns: interruptedTestRuns.length,
  };
}

/** A conversation's rolling summary, refreshed off the request path. */
export function queueSummaryRefresh(db: Database, conversationId: string): Promise<string> {
  return enqueueJob(db, { type: SUMMARY_JOB, payload: { conversationId }, maxAttempts: 3 });
}

export const summaryPayload = (payload: unknown) => {
  const conversationId = (payload as { conversationId?: unknown })?.conversationId;
  if (typeof conversationId !== 'string') throw new Error('summary job without a conversation id');
  return conversationId;
};
