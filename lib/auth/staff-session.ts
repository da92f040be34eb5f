import { createHmac } from 'node:crypto';
import { encode, getToken } from 'next-auth/jwt';
import { z } from 'zod';
import type { Database } from '@/db/client';
import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import {
  currentSessionVersion,
  findStaffSession,
  type Role,
  type StaffUser,
} from '@/lib/staff/queries';

/** Cookies as a route handler (the Cookie header) or a page (`cookies()`) has them. */
export type CookieSource = Request | { getAll(): { name: string; value: string }[] };

/** What a staff session token carries besides next-auth's own claims. */
export interface StaffTokenClaims {
  sub?: string;
  role?: unknown;
  sessionVersion?: unknown;
}

/** The key next-auth signs staff sessions with, derived from the instance secret. */
export function sessionSecret(ctx: Pick<AppContext, 'secret'>): string {
  return createHmac('sha256', ctx.secret).update('next-auth').digest('base64url');
}

/** The account's session version when the token was issued. */
export function tokenSessionVersion(token: StaffTokenClaims): number {
  // Tokens signed before sessions had versions count as version 0, so upgrading signs no one out.
  return typeof token.sessionVersion === 'number' ? token.sessionVersion : 0;
}

/**
 * The agent or admin a session token stands for, read fresh from the database: null when the
 * account is gone or deactivated, or its sessions were ended (sign-out, new password, new role,
 * deactivation) after the token was issued. The version lives in the database, so every
 * instance refuses an ended session at once.
 */
export async function staffForToken(
  db: Database,
  token: StaffTokenClaims,
): Promise<StaffUser | null> {
  if (!token.sub || !z.uuid().safeParse(token.sub).success) return null;
  const account = await findStaffSession(db, token.sub);
  if (!account || account.deactivatedAt !== null) return null;
  if (account.sessionVersion !== tokenSessionVersion(token)) return null;
  return { id: account.id, email: account.email, name: account.name, role: account.role };
}

/**
 * The signed-in agent or admin, read fresh from the database so a changed role or a removed
 * account takes effect at once; null for customers, visitors and ended sessions.
 */
export async function currentStaff(
  ctx: Pick<AppContext, 'database' | 'config' | 'secret'>,
  from: CookieSource,
): Promise<StaffUser | null> {
  const cookies = from instanceof Request ? parseCookieHeader(from.headers.get('cookie')) : from;
  const headers = from instanceof Request ? from.headers : new Headers();
  const token = await getToken({
    req: { cookies, headers } as unknown as Parameters<typeof getToken>[0]['req'],
    secret: sessionSecret(ctx),
    secureCookie: ctx.config.auth.secureCookies,
    logger: { error: () => {}, warn: () => {}, debug: () => {} },
  });
  return token ? staffForToken(ctx.database.db, token) : null;
}

/** The caller, if they are staff with at least `role`; a 401 or 403 error otherwise. */
export async function requireStaff(
  ctx: Pick<AppContext, 'database' | 'config' | 'secret'>,
  from: CookieSource,
  role: Role = 'agent',
): Promise<StaffUser> {
  const staff = await currentStaff(ctx, from);
  if (!staff) {
    throw new TandemError('unauthorized:console', 'Sign in as an agent or admin to do this.');
  }
  if (role === 'admin' && staff.role !== 'admin') {
    throw new TandemError('forbidden:admin', 'Only admins can do this.');
  }
  return staff;
}

/**
 * A session cookie value for a staff member, as next-auth would set it on signing in now: it
 * carries the account's current session version (used by tests and tools).
 */
export async function encodeStaffSession(
  ctx: Pick<AppContext, 'database' | 'secret'>,
  staff: StaffUser,
): Promise<string> {
  const sessionVersion = await currentSessionVersion(ctx.database.db, staff.id);
  return encode({
    token: {
      sub: staff.id,
      name: staff.name,
      email: staff.email,
      role: staff.role,
      sessionVersion,
    },
    secret: sessionSecret(ctx),
  });
}

/** The cookies of a Cookie header, by name. */
export function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0) cookies.set(part.slice(0, at).trim(), safeDecode(part.slice(at + 1).trim()));
  }
  return cookies;
}

/** A malformed %-escape in someone's cookie is their cookie's problem, not a server error. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
