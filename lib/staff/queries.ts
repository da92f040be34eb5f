import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Database } from '@/db/client';
import { users } from '@/db/schema';
import { hashPassword } from '@/lib/auth/passwords';
import { TandemError } from '@/lib/errors';

export type Role = 'agent' | 'admin';

/** A signed-in agent or admin, as every console check sees them. */
export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface StaffMember extends StaffUser {
  availability: 'online' | 'away';
  /** Online, active and with a console connected lately. */
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

/** How long after its console's last heartbeat an agent still counts as present. */
export const PRESENCE_TTL_SECONDS = 75;

const staffColumns = { id: users.id, email: users.email, name: users.name, role: users.role };

const isActive = isNull(users.deactivatedAt);

const availableSql = sql<boolean>`(${users.deactivatedAt} is null and ${users.availability} = 'online' and ${users.lastSeenAt} > now() - make_interval(secs => ${PRESENCE_TTL_SECONDS}))`;

const memberColumns = {
  ...staffColumns,
  availability: users.availability,
  available: availableSql,
  active: sql<boolean>`(${users.deactivatedAt} is null)`,
  deactivatedAt: users.deactivatedAt,
  createdAt: users.createdAt,
};

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
  return db
    .select(memberColumns)
    .from(users)
    .where(includeDeactivated ? undefined : isActive)
    .orderBy(asc(users.name));
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
  return db.transaction(async (tx) => {
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
    if (changes.active === true) set.deactivatedAt = null;
    if (demoted || deactivated || passwordHash) {
      set.sessionVersion = sql`${users.sessionVersion} + 1`;
    }
    if (Object.keys(set).length > 0) {
      await tx.update(users).set(set).where(eq(users.id, id));
    }
    const [updated] = await tx.select(memberColumns).from(users).where(eq(users.id, id));
    return updated!;
  });
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

export async function setAvailability(
  db: Database,
  userId: string,
  availability: 'online' | 'away',
): Promise<void> {
  await db.update(users).set({ availability, lastSeenAt: new Date() }).where(eq(users.id, userId));
}

/** Called while a console is connected, so "online" means someone is really there. */
export async function touchPresence(db: Database, userId: string): Promise<void> {
  await db.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, userId));
}

/** How many agents could pick up a conversation right now. */
export async function countAvailableAgents(db: Database): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(
      and(
        isActive,
        eq(users.availability, 'online'),
        gt(users.lastSeenAt, sql`now() - make_interval(secs => ${PRESENCE_TTL_SECONDS})`),
      ),
    );
  return row?.n ?? 0;
}
