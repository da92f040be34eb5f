import { and, eq, lt, notInArray, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { deskTestRuns } from '@/db/schema';

/** How often the process carrying out a run renews its heartbeat. */
export const HEARTBEAT_MS = 10_000;

/**
 * A run whose heartbeat is older than this was cut off: six beats missed, far more than a busy
 * process delays a timer, far less than anyone waits on a progress bar.
 */
export const LEASE_MS = 60_000;

export const INTERRUPTED_ERROR = 'interrupted: the server stopped during the run';

/** Renews a running run's heartbeat, by the database's clock (instances' clocks may differ). */
export async function beatRun(db: Database, runId: string): Promise<void> {
  await db
    .update(deskTestRuns)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(deskTestRuns.id, runId), eq(deskTestRuns.status, 'running')));
}

/**
 * Marks as failed the runs left `running` by a process that stopped: those whose heartbeat is
 * older than the lease, whichever instance ran them. With `exclusive` (an embedded database,
 * which only this process can open) every run but those named in `alive` is dead at once, so a
 * restart shows them failed without waiting out the lease. Returns the runs it marked.
 */
export async function failInterruptedRuns(
  db: Database,
  options: { exclusive?: boolean; alive?: readonly string[] } = {},
): Promise<string[]> {
  const conditions = [eq(deskTestRuns.status, 'running')];
  if (!options.exclusive) {
    conditions.push(
      lt(
        deskTestRuns.heartbeatAt,
        sql`now() - ${sql.raw(`interval '${LEASE_MS / 1000} seconds'`)}`,
      ),
    );
  }
  if (options.alive?.length) conditions.push(notInArray(deskTestRuns.id, [...options.alive]));
  const failed = await db
    .update(deskTestRuns)
    .set({ status: 'failed', error: INTERRUPTED_ERROR, finishedAt: new Date() })
    .where(and(...conditions))
    .returning({ id: deskTestRuns.id });
  return failed.map((run) => run.id);
}
