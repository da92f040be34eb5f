import { z } from 'zod';
import { recordHeartbeat, setAvailability } from '@/lib/staff/presence';
import { MAX_IDLE_SECONDS } from '@/lib/staff/presence-rules';
import { staffRoute } from '../../staff-route';

// Strict: presence is always the caller's own, so a body naming anyone else is refused, not ignored.
const choice = z.strictObject({ availability: z.enum(['online', 'away']) });
const heartbeat = z.strictObject({
  /** Seconds since the last key press, click or touch in this console. */
  idleSeconds: z
    .number()
    .int('must be a whole number of seconds')
    .min(0, 'must not be negative')
    .max(MAX_IDLE_SECONDS, `must be at most ${MAX_IDLE_SECONDS}`),
});

/** The agent says whether they can take conversations now; "away" holds until they change it. */
export const PUT = staffRoute(
  { role: 'agent', surface: 'presence', body: choice },
  async ({ app, staff, body: { availability } }) =>
    Response.json(await setAvailability(app.database.db, staff.id, availability)),
);

/**
 * An open console's heartbeat: while they come, the agent is there; when they stop (tab closed),
 * the agent counts as offline once they are stale. Not audited: it is a signal every few seconds.
 */
export const POST = staffRoute(
  { role: 'agent', surface: 'presence', body: heartbeat, audit: false },
  async ({ app, staff, body: { idleSeconds } }) =>
    Response.json(await recordHeartbeat(app.database.db, staff.id, { idleSeconds })),
);
