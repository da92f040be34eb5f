import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { users } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import { getPresenceSettings } from '@/lib/settings/presence';
import {
  type Availability,
  type Presence,
  type PresenceFacts,
  presenceCutoffs,
  presenceOf,
} from './presence-rules';

export interface AgentPresence {
  availability: Availability;
  presence: Presence;
}

const factColumns = {
  availability: users.availability,
  lastSeenAt: users.lastSeenAt,
  lastActiveAt: users.lastActiveAt,
  deactivatedAt: users.deactivatedAt,
};

/** Presence as of `now`, by the idle time the admins set. */
export async function describePresence(
  db: Database,
  facts: PresenceFacts,
  now = new Date(),
): Promise<AgentPresence> {
  const settings = await getPresenceSettings(db);
  return { availability: facts.availability, presence: presenceOf(facts, settings, now) };
}

/**
 * The latest input among all of the agent's consoles: a tab left idle does not make them idle
 * while they type in another.
 */
const latestActivity = (activeAt: Date) =>
  sql`greatest(${users.lastActiveAt}, ${activeAt.toISOString()}::timestamptz)`;

/**
 * A heartbeat from an open console: the agent is there, and was last active `idleSeconds` ago.
 * It never changes what the agent chose, so an agent who set "away" stays away.
 */
export async function recordHeartbeat(
  db: Database,
  userId: string,
  { idleSeconds, now = new Date() }: { idleSeconds: number; now?: Date },
): Promise<AgentPresence> {
  const [facts] = await db
    .update(users)
    .set({
      lastSeenAt: now,
      lastActiveAt: latestActivity(new Date(now.getTime() - idleSeconds * 1000)),
    })
    .where(eq(users.id, userId))
    .returning(factColumns);
  if (!facts) throw new TandemError('not_found:user', 'No agent or admin has that id.');
  return describePresence(db, facts, now);
}

/**
 * The agent's own choice: "away" holds whatever their consoles do; "online" means online while a
 * console is open and in use. Choosing is itself an input, so it counts as activity.
 */
export async function setAvailability(
  db: Database,
  userId: string,
  availability: Availability,
  now = new Date(),
): Promise<AgentPresence> {
  const [facts] = await db
    .update(users)
    .set({ availability, lastSeenAt: now, lastActiveAt: now })
    .where(eq(users.id, userId))
    .returning(factColumns);
  if (!facts) throw new TandemError('not_found:user', 'No agent or admin has that id.');
  return describePresence(db, facts, now);
}

/**
 * Called while a console's live connection is open. Opening it (`opened`) is the agent loading the
 * console, which counts as activity; the connection's own keep-alives only show the page is open.
 * Only while the session the connection was opened with lasts (`sessionVersion`): a console left
 * open after its agent signed out elsewhere does not keep them online. False once it has ended.
 */
export async function touchPresence(
  db: Database,
  userId: string,
  { opened = false, sessionVersion }: { opened?: boolean; sessionVersion: number },
): Promise<boolean> {
  const now = new Date();
  const touched = await db
    .update(users)
    .set(opened ? { lastSeenAt: now, lastActiveAt: latestActivity(now) } : { lastSeenAt: now })
    .where(
      and(
        eq(users.id, userId),
        eq(users.sessionVersion, sessionVersion),
        isNull(users.deactivatedAt),
      ),
    )
    .returning({ id: users.id });
  return touched.length > 0;
}

/**
 * Signing out: offline at once rather than when the last heartbeat runs out. Their choice of
 * online or away stays for the next sign-in; sign-out ends every session, so no console's
 * heartbeat is accepted to undo this.
 */
export async function endPresence(db: Database, userId: string): Promise<void> {
  await db.update(users).set({ lastSeenAt: null }).where(eq(users.id, userId));
}

/** How many agents could pick up a conversation right now: what customers are told depends on it. */
export async function countAvailableAgents(db: Database, now = new Date()): Promise<number> {
  const { seenAfter, activeAfter } = presenceCutoffs(await getPresenceSettings(db), now);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(
      and(
        isNull(users.deactivatedAt),
        eq(users.availability, 'online'),
        gt(users.lastSeenAt, seenAfter),
        activeAfter ? gt(users.lastActiveAt, activeAfter) : undefined,
      ),
    );
  return row?.n ?? 0;
}
