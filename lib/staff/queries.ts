import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Database } from '@/db/client';
import { users } from '@/db/schema';
import { hashPassword } from '@/lib/auth/passwords';
import { TandemError } from '@/lib/errors';
import { getPresenceSettings } from '@/lib/settings/presence';
import { type Availability, type Presence, type PresenceFacts, presenceOf } from './presence-rules';

export { countAvailableAgents, setAvailability, touchPresence } from './presence';
export { PRESENCE_TTL_SECONDS } from './presence-rules';

export type Role = 'agent' | 'admin';

/** A signed-in agent or admin, as every console check sees them. */
export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface StaffMember extends StaffUser {
  /** What the agent chose. */
  availability: Availability;
  /** Whether they are there now (lib/staff/presence-rules.ts). */
  presence: Presence;
  /** Online: offered conversations, and customers are told a person will join. */
  available: boolean;
  /** False once an admin deactivated the account: it can neither sign in nor take conversations. */
  active: boolean;
  deactivatedAt: Date | null;
  createdAt: Date;
}

/** What a session token is checked against on every request. */
export interface StaffSessionState extends StaffUser {
  sessionVersion: number;
  deactivatedAt: Date | null;
}

const staffColumns = { id: users.id, email: users.email, name: users.name, role: users.role };

const isActive = isNull(users.deactivatedAt);

const memberColumns = {
  ...staffColumns,
  availability: users.availability,
  lastSeenAt: users.lastSeenAt,
  lastActiveAt: users.lastActiveAt,
  deactivatedAt: users.deactivatedAt,
  createdAt: users.createdAt,
};

type MemberRow = StaffUser & PresenceFacts & { createdAt: Date };

async function toMembers(db: Database, rows: MemberRow[]): Promise<StaffMember[]> {
  const settings = await getPresenceSettings(db);
  const now = new Date();
  return rows.map(({ lastSeenAt, lastActiveAt, ...row }) => {
    const presence = presenceOf({ ...row, lastSeenAt, lastActiveAt }, settings, now);
    return { ...row, presence, available: presence === 'online', active: !row.deactivatedAt };
  });
}

export async function findStaff(db: Database, id: string): Promise<StaffUser | null> {
  const [user] = await db.select(staffColumns).from(users).where(eq(users.id, id));
  return user ?? null;
}

export async function findStaffSession(
  db: Database,
  id: string,
): Promise<StaffSessionState | null> {
  const [user] = await db
    .select({
      ...staffColumns,
      sessionVersion: users.sessionVersion,
      deactivatedAt: users.deactivatedAt,
    })
    .from(users)
    .where(eq(users.id, id));
  return user ?? null;
}

export async function findStaffWithPassword(db: Database, email: string) {
  const [user] = await db
    .select({
      ...staffColumns,
      passwordHash: users.passwordHash,
      sessionVersion: users.sessionVersion,
      deactivatedAt: users.deactivatedAt,
    })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()));
  return user ?? null;
}

/** An account that may act now (not deactivated), by email: whom an API caller acts as. */
export async function findActiveStaffByEmail(
  db: Database,
  email: string,
): Promise<StaffUser | null> {
  const [user] = await db
    .select(staffColumns)
    .from(users)
    .where(and(eq(users.email, email.trim().toLowerCase()), isActive));
  return user ?? null;
}

/**
 * The team, by name. Deactivated accounts are left out unless asked for (the admin's list), so
 * the console never offers them for a transfer or counts them as around.
 */
export async function listStaff(
  db: Database,
  { includeDeactivated = false }: { includeDeactivated?: boolean } = {},
): Promise<StaffMember[]> {
  const rows = await db
    .select(memberColumns)
    .from(users)
    .where(includeDeactivated ? undefined : isActive)
    .orderBy(asc(users.name));
  return toMembers(db, rows);
}

export async function createStaff(
  db: Database,
  input: { email: string; name: string; role: Role; password: string },
): Promise<StaffUser> {
  const [created] = await db
    .insert(users)
    .values({
      email: input.email.trim().toLowerCase(),
      name: input.name.trim(),
      role: input.role,
      passwordHash: await hashPassword(input.password),
    })
    .onConflictDoNothing({ target: users.email })
    .returning(staffColumns);
  if (!created) {
    throw new TandemError('conflict:user', 'Someone already has an account with that email.');
  }
  return created;
}

export interface StaffChanges {
  name?: string;
  role?: Role;
  password?: string;
  /** false deactivates the account, true reactivates it. */
  active?: boolean;
}

/**
 * Renames, changes the role, resets the password, deactivates or reactivates an agent or admin.
 * A new password, a new role and deactivation raise the account's session version, which ends
 * every session it has on every instance. The last active admin can be neither demoted nor
 * deactivated: the active admins are locked first, so two admins demoting each other at once
 * cannot both succeed.
 */
export async function updateStaff(
  db: Database,
  id: string,
  changes: StaffChanges,
): Promise<StaffMember> {
  const passwordHash = changes.password ? await hashPassword(changes.password) : undefined;
  const updated = await db.transaction(async (tx) => {
    const admins = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), isActive))
      .for('update');
    const [current] = await tx
      .select({ role: users.role, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(eq(users.id, id));
    if (!current) throw new TandemError('not_found:user', 'No agent or admin has that id.');

    const demoted = changes.role !== undefined && changes.role !== current.role;
    const deactivated = changes.active === false && current.deactivatedAt === null;
    const isActiveAdmin = admins.some((admin) => admin.id === id);
    if (isActiveAdmin && (demoted || deactivated) && admins.length <= 1) {
      throw new TandemError('conflict:user', 'The workspace needs at least one admin.');
    }

    const set: PgUpdateSetSource<typeof users> = {};
    if (changes.name) set.name = changes.name.trim();
    if (changes.role) set.role = changes.role;
    if (passwordHash) set.passwordHash = passwordHash;
    if (deactivated) {
      set.deactivatedAt = new Date();
      set.availability = 'away';
    }
    if (changes.active === true && current.deactivatedAt !== null) {
      set.deactivatedAt = null;
      set.availability = 'online';
    }
    if (demoted || deactivated || passwordHash) {
      set.sessionVersion = sql`${users.sessionVersion} + 1`;
    }
    if (Object.keys(set).length > 0) {
      await tx.update(users).set(set).where(eq(users.id, id));
    }
    const [row] = await tx.select(memberColumns).from(users).where(eq(users.id, id));
    return row!;
  });
  return (await toMembers(db, [updated]))[0]!;
}

/** The version a new session of this account carries (0 for an unknown id). */
export async function currentSessionVersion(db: Database, id: string): Promise<number> {
  const [row] = await db
    .select({ version: users.sessionVersion })
    .from(users)
    .where(eq(users.id, id));
  return row?.version ?? 0;
}

/**
 * Ends every session of an account by raising its session version. With `ifVersion`, only when
 * the account is still at that version: signing out of a session that had already ended changes
 * nothing.
 */
export async function revokeStaffSessions(
  db: Database,
  id: string,
  { ifVersion }: { ifVersion?: number } = {},
): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(
      and(
        eq(users.id, id),
        ifVersion === undefined ? undefined : eq(users.sessionVersion, ifVersion),
      ),
    );
}
