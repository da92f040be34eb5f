/*
 * Whether an agent is there, decided from three facts kept in the database (so every instance
 * agrees): what the agent chose, when an open console of theirs last sent a heartbeat, and when
 * they last touched it. Pure, so the console (client) and the server read it alike.
 */

/** How long after its console's last heartbeat an agent still counts as there: two beats and some. */
export const PRESENCE_TTL_SECONDS = 75;

/** How often an open console says it is open; well inside the TTL, so one lost beat changes nothing. */
export const HEARTBEAT_SECONDS = 25;

/** The longest idle time a heartbeat may report (a week); anything longer is simply "idle". */
export const MAX_IDLE_SECONDS = 7 * 24 * 3600;

/**
 * - `online`: offered new conversations; customers are told a person will join.
 * - `idle`: the console is open but untouched for longer than the idle setting.
 * - `away`: the agent said so; only they can undo it.
 * - `offline`: no console of theirs has been open lately (tab closed, computer asleep).
 */
export type Presence = 'online' | 'idle' | 'away' | 'offline';

export type Availability = 'online' | 'away';

export interface PresenceFacts {
  availability: Availability;
  lastSeenAt: Date | null;
  lastActiveAt: Date | null;
  deactivatedAt: Date | null;
}

/**
 * The instants a heartbeat and an input must come after for an agent to be online at `now`
 * (no input cutoff when idle detection is off). The database queries use the same cutoffs.
 */
export function presenceCutoffs(
  { idleMinutes }: { idleMinutes: number },
  now: Date,
): { seenAfter: Date; activeAfter: Date | null } {
  return {
    seenAfter: new Date(now.getTime() - PRESENCE_TTL_SECONDS * 1000),
    activeAfter: idleMinutes > 0 ? new Date(now.getTime() - idleMinutes * 60_000) : null,
  };
}

export function presenceOf(
  facts: PresenceFacts,
  settings: { idleMinutes: number },
  now: Date,
): Presence {
  if (facts.deactivatedAt !== null || facts.availability === 'away') return 'away';
  const { seenAfter, activeAfter } = presenceCutoffs(settings, now);
  if (facts.lastSeenAt === null || facts.lastSeenAt <= seenAfter) return 'offline';
  if (activeAfter && (facts.lastActiveAt === null || facts.lastActiveAt <= activeAfter)) {
    return 'idle';
  }
  return 'online';
}
