import type { Database } from '@/db/client';
import type { AppContext } from '@/lib/context';
import { applyInactivityPolicy } from '@/lib/conversations/inactivity';
import { inactivityPolicyOn, readInactivitySettingsNow } from '@/lib/settings/inactivity';
import type { InactivitySettings } from '@/lib/settings/schema';
import { enqueueJob } from './queries';

export const INACTIVITY_JOB = 'conversations.inactivity';

/**
 * How often a pass may run, in seconds. Each divides a minute and passes fall on multiples of
 * it, so after an admin changes the cadence the old and new chains meet on the minute and dedupe
 * into one.
 */
const SWEEP_STEPS = [5, 10, 15, 20, 30, 60] as const;

/**
 * A pass often enough that a step happens within a quarter of its delay (at most a minute late,
 * at least five seconds apart): a pass a minute for the default ten minutes, one every five
 * seconds for delays of seconds.
 */
export function sweepEverySeconds(settings: InactivitySettings): number {
  const delays = [settings.ask, settings.resolve].flatMap((s) =>
    s.enabled ? [s.afterSeconds] : [],
  );
  const shortest = Math.min(...delays);
  return SWEEP_STEPS.findLast((step) => step <= shortest / 4) ?? SWEEP_STEPS[0];
}

const nextSlot = (now: number, everyMs: number) =>
  new Date((Math.floor(now / everyMs) + 1) * everyMs);

/**
 * Queues the next pass of the inactivity policy while the policy is on (it is queued again when an
 * admin changes it). The dedupe key is the slot, so however many instances schedule it, each
 * slot runs once; with the policy off no job is queued at all.
 */
export async function scheduleInactivitySweep(
  db: Database,
  now = Date.now(),
): Promise<string | null> {
  const settings = await readInactivitySettingsNow(db);
  if (!inactivityPolicyOn(settings)) return null;
  const runAt = nextSlot(now, sweepEverySeconds(settings) * 1000);
  return enqueueJob(db, {
    type: INACTIVITY_JOB,
    runAt,
    maxAttempts: 2,
    dedupeKey: `${INACTIVITY_JOB}:${runAt.toISOString()}`,
  });
}

/** One pass: the next one is queued first, so a failing pass does not end the policy. */
export async function runInactivitySweep(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  now = new Date(),
) {
  const { db } = ctx.database;
  const settings = await readInactivitySettingsNow(db);
  if (!inactivityPolicyOn(settings)) return { asked: 0, resolved: 0, off: true };
  await scheduleInactivitySweep(db, now.getTime());
  return { ...(await applyInactivityPolicy(ctx, settings, { now })), off: false };
}
