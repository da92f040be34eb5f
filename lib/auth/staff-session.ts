import { createHmac } from 'node:crypto';
import { encode, getToken } from 'next-auth/jwt';
import type { App } from '@/lib/app';
import { TandemError } from '@/lib/errors';
import { findStaff, type Role, type StaffUser } from '@/lib/staff/queries';

/** Cookies as a route handler (the Cookie header) or a page (`cookies()`) has them. */
export type CookieSource = Request | { getAll(): { name: string; value: string }[] };

/** The key next-auth signs staff sessions with, derived from the instance secret. */
export function sessionSecret(app: App): string {
  return createHmac('sha256', app.secret).update('next-auth').digest('base64url');
}

/**
 * The signed-in agent or admin, read fresh from the database so a changed role or a removed
 * account takes effect at once; null for customers and visitors.
 */
export async function currentStaff(app: App, from: CookieSource): Promise<StaffUser | null> {
  const cookies = from instanceof Request ? parseCookieHeader(from.headers.get('cookie')) : from;
  const headers = from instanceof Request ? from.headers : new Headers();
  const token = await getToken({
    req: { cookies, headers } as unknown as Parameters<typeof getToken>[0]['req'],
    secret: sessionSecret(app),
    secureCookie: app.config.auth.secureCookies,
    logger: { error: () => {}, warn: () => {}, debug: () => {} },
  });
  return token?.sub ? findStaff(app.database.db, token.sub) : null;
}

/** The caller, if they are staff with at least `role`; a 401 or 403 error otherwise. */
export async function requireStaff(
  app: App,
  from: CookieSource,
  role: Role = 'agent',
): Promise<StaffUser> {
  const staff = await currentStaff(app, from);
  if (!staff) {
    throw new TandemError('unauthorized:console', 'Sign in as an agent or admin to do this.');
  }
  if (role === 'admin' && staff.role !== 'admin') {
    throw new TandemError('forbidden:admin', 'Only admins can do this.');
  }
  return staff;
}

/** A session cookie value for a staff member, as next-auth would set it (used by tests and tools). */
export function encodeStaffSession(app: App, staff: StaffUser): Promise<string> {
  return encode({
    token: { sub: staff.id, name: staff.name, email: staff.email, role: staff.role },
    secret: sessionSecret(app),
  });
}

function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0)
      cookies.set(part.slice(0, at).trim(), decodeURIComponent(part.slice(at + 1).trim()));
  }
  return cookies;
}
