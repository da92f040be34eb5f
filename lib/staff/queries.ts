import { and, asc, eq, gt, sql } from 'drizzle-orm';
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
  /** Online and with a console connected lately. */
  available: boolean;
  createdAt: Date;
}

/** How long after its console's last heartbeat an agent still counts as present. */
export const PRESENCE_TTL_SECONDS = 75;

const staffColumns = { id: users.id, email: users.email, name: users.name, role: users.role };

const availableSql = sql<boolean>`(${users.availability} = 'online' and ${users.lastSeenAt} > now() - make_interval(secs => ${PRESENCE_TTL_SECONDS}))`;

export async function findStaff(db: Database, id: string): Promise<StaffUser | null> {
  const [user] = await db.select(staffColumns).from(users).where(eq(users.id, id));
  return user ?? null;
}

export async function findStaffWithPassword(db: Database, email: string) {
  const [user] = await db
    .select({ ...staffColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()));
  return user ?? null;
}

export async function listStaff(db: Database): Promise<StaffMember[]> {
  return db
    .select({
      ...staffColumns,
      availability: users.availability,
      available: availableSql,
      createdAt: users.createdAt,
    })
    .from(users)
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

export async function updateStaff(
  db: Database,
  id: string,
  changes: { name?: string; role?: Role; password?: string },
): Promise<StaffUser> {
  const [updated] = await db
    .update(users)
    .set({
      ...(changes.name ? { name: changes.name.trim() } : {}),
      ...(changes.role ? { role: changes.role } : {}),
      ...(changes.password ? { passwordHash: await hashPassword(changes.password) } : {}),
    })
    .where(eq(users.id, id))
    .returning(staffColumns);
  if (!updated) throw new TandemError('not_found:user', 'No agent or admin has that id.');
  return updated;
}

export async function countAdmins(db: Database): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(eq(users.role, 'admin'));
  return row?.n ?? 0;
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
        eq(users.availability, 'online'),
        gt(users.lastSeenAt, sql`now() - make_interval(secs => ${PRESENCE_TTL_SECONDS})`),
      ),
    );
  return row?.n ?? 0;
}
