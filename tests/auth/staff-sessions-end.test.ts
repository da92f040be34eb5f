import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PATCH as updateUser } from '@/app/api/admin/users/[id]/route';
import { GET as listUsers } from '@/app/api/admin/users/route';
import { GET as listAgents } from '@/app/api/console/agents/route';
import { POST as heartbeat } from '@/app/api/console/presence/route';
import { GET as queue } from '@/app/api/console/queue/route';
import { staffForPage } from '@/app/page-guard';
import type { AppContext } from '@/lib/context';
import { takeOver, transfer } from '@/lib/conversations/handoff';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { PEER_ADDRESS_MARKER } from '@/lib/security/client-address';
import {
  countAvailableAgents,
  findActiveStaffByEmail,
  listStaff,
  type StaffUser,
  setAvailability,
} from '@/lib/staff/queries';
import { askTurn } from '@/tests/harness/customer-turn';
import { signedInStaff, startServedTestApp } from '../harness/app';
import { authRequest, cookiesSetBy, postSignIn, signIn, signOut } from './auth-requests';

// The page guard reads the browser's cookies through next/headers; here they come from `pageCookie`.
let pageCookie = '';
vi.mock('next/headers', () => ({
  cookies: async () => ({
    getAll: () =>
      pageCookie
        .split('; ')
        .filter(Boolean)
        .map((pair) => {
          const at = pair.indexOf('=');
          return { name: pair.slice(0, at), value: pair.slice(at + 1) };
        }),
  }),
}));

let app: AppContext;
let stop: () => Promise<void>;
let admin: { staff: StaffUser; cookie: string };
const PASSWORD = 'a good password';

beforeAll(async () => {
  (globalThis as Record<symbol, unknown>)[PEER_ADDRESS_MARKER] = true;
  ({ app, stop } = await startServedTestApp());
  admin = await signedInStaff(app, 'admin', 'Ada Admin');
});
afterAll(async () => {
  delete (globalThis as Record<symbol, unknown>)[PEER_ADDRESS_MARKER];
  await stop();
});

const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });

function staffRequest(
  path: string,
  cookie: string,
  init: { method?: string; body?: unknown } = {},
) {
  return new Request(`http://localhost${path}`, {
    method: init.method ?? 'GET',
    headers: {
      cookie,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const queueStatus = async (cookie: string) =>
  (await queue(staffRequest('/api/console/queue', cookie), params({}))).status;

/** Where the console page guard sends this cookie's browser: 'in' or the redirect's target. */
async function consolePage(cookie: string): Promise<string> {
  pageCookie = cookie;
  try {
    await staffForPage('/console');
    return 'in';
  } catch (error) {
    const digest = String((error as { digest?: string }).digest ?? error);
    if (!digest.startsWith('NEXT_REDIRECT')) throw error;
    return digest.split(';')[2]!;
  }
}

function patchUser(id: string, body: unknown, cookie = admin.cookie) {
  return updateUser(
    staffRequest(`/api/admin/users/${id}`, cookie, { method: 'PATCH', body }),
    params({ id }),
  );
}

/** A new agent signed in through the sign-in form: their account and session cookie. */
async function signedInAgent(name: string) {
  const { staff } = await signedInStaff(app, 'agent', name);
  return { staff, cookie: await signIn(staff.email, PASSWORD) };
}

async function expectEnded(cookie: string) {
  expect(await queueStatus(cookie)).toBe(401);
  expect(await consolePage(cookie)).toBe('/sign-in?callbackUrl=%2Fconsole');
}

describe('staff sessions end on every listed event', () => {
  it('keeps a session working until something ends it', async () => {
    const { cookie } = await signedInAgent('Kim Steady');
    expect(await queueStatus(cookie)).toBe(200);
    expect(await consolePage(cookie)).toBe('in');
    // The same cookie keeps working across requests.
    expect(await queueStatus(cookie)).toBe(200);
  });

  it('ends every session of the account on sign-out, not only the one signing out', async () => {
    const { staff, cookie: laptop } = await signedInAgent('Lou Signout');
    const phone = await signIn(staff.email, PASSWORD);
    const left = await signOut(laptop);
    expect(left.status).toBe(200);
    // The session cookie is cleared in the browser that signed out...
    expect(left.headers.getSetCookie().join('\n')).toMatch(/next-auth\.session-token=;/);
    // ...and a copy of it, or the account's other session, no longer works anywhere.
    await expectEnded(laptop);
    await expectEnded(phone);
    // Signing in again gives a working session.
    expect(await queueStatus(await signIn(staff.email, PASSWORD))).toBe(200);
  });

  it('takes the agent offline at sign-out, not when the heartbeat runs out', async () => {
    const { staff, cookie } = await signedInAgent('Noor Leaving');
    const beat = (from: string) =>
      heartbeat(
        staffRequest('/api/console/presence', from, { method: 'POST', body: { idleSeconds: 0 } }),
        params({}),
      );
    const presenceOf = async () =>
      (await listStaff(app.database.db)).find((m) => m.id === staff.id)?.presence;
    expect((await beat(cookie)).status).toBe(200);
    expect(await presenceOf()).toBe('online');
    const before = await countAvailableAgents(app.database.db);

    expect((await signOut(cookie)).status).toBe(200);
    expect(await presenceOf()).toBe('offline');
    expect(await countAvailableAgents(app.database.db)).toBe(before - 1);
    // A console still open with the ended session cannot bring them back.
    expect((await beat(cookie)).status).toBe(401);
    expect(await presenceOf()).toBe('offline');
    // Their own choice is kept: signing in again and opening the console makes them online.
    expect((await beat(await signIn(staff.email, PASSWORD))).status).toBe(200);
    expect(await presenceOf()).toBe('online');
  });

  it('ends the sessions when an admin resets the password; the new password signs in', async () => {
    const { staff, cookie } = await signedInAgent('Pat Password');
    expect((await patchUser(staff.id, { password: 'a brand new password' })).status).toBe(200);
    await expectEnded(cookie);
    expect((await postSignIn(staff.email, PASSWORD)).status).toBe(401);
    expect(await queueStatus(await signIn(staff.email, 'a brand new password'))).toBe(200);
  });

  it('ends the sessions when the role changes, either way', async () => {
    const { staff, cookie } = await signedInAgent('Rae Role');
    expect((await patchUser(staff.id, { role: 'admin' })).status).toBe(200);
    await expectEnded(cookie);
    const asAdmin = await signIn(staff.email, PASSWORD);
    expect((await listUsers(staffRequest('/api/admin/users', asAdmin), params({}))).status).toBe(
      200,
    );
    expect((await patchUser(staff.id, { role: 'agent' })).status).toBe(200);
    expect((await listUsers(staffRequest('/api/admin/users', asAdmin), params({}))).status).toBe(
      401,
    );
    // Sending the role the account already has ends nothing.
    const asAgent = await signIn(staff.email, PASSWORD);
    expect((await patchUser(staff.id, { role: 'agent', name: 'Rae Role' })).status).toBe(200);
    expect(await queueStatus(asAgent)).toBe(200);
  });

  it('ends the sessions on deactivation, refuses sign-in until reactivated, and says why', async () => {
    const { staff, cookie } = await signedInAgent('Dee Deactivated');
    const deactivated = await patchUser(staff.id, { active: false });
    expect(deactivated.status).toBe(200);
    expect(await deactivated.json()).toMatchObject({ id: staff.id, active: false });
    await expectEnded(cookie);

    const refused = await postSignIn(staff.email, PASSWORD);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toEqual({
      code: 'unauthorized:sign_in',
      message: 'This account has been deactivated. Ask an admin to reactivate it.',
    });
    // A wrong password learns nothing about the account.
    const guessed = await postSignIn(staff.email, 'not the password');
    expect((await guessed.json()).error.message).toBe(
      'That email and password do not match an agent or admin account.',
    );

    expect((await patchUser(staff.id, { active: true })).status).toBe(200);
    // Reactivating does not bring the old session back.
    await expectEnded(cookie);
    expect(await queueStatus(await signIn(staff.email, PASSWORD))).toBe(200);
  });

  it('refuses a session for a deactivated account even if its version still matched', async () => {
    const { staff, cookie } = await signedInAgent('Val Version');
    const { users } = await import('@/db/schema');
    const { eq } = await import('drizzle-orm');
    await app.database.db
      .update(users)
      .set({ deactivatedAt: new Date() })
      .where(eq(users.id, staff.id));
    await expectEnded(cookie);
  });

  it('clears an ended session when the browser asks next-auth for it', async () => {
    const { staff, cookie } = await signedInAgent('Sid Session');
    const live = await authRequest('/api/auth/session', { headers: { cookie } });
    expect((await live.json()).user).toMatchObject({ email: staff.email, id: staff.id });
    await patchUser(staff.id, { password: 'another new password' });
    const ended = await authRequest('/api/auth/session', { headers: { cookie } });
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({});
    expect(cookiesSetBy(ended)).toMatch(/next-auth\.session-token=(;|$)/);
  });
});

describe('deactivation', () => {
  it('keeps deactivated agents out of the team, presence and transfers, and lists them for admins', async () => {
    const { staff: gone, cookie } = await signedInAgent('Gus Gone');
    const { staff: holder, cookie: holderCookie } = await signedInAgent('Hana Holder');
    await setAvailability(app.database.db, gone.id, 'online');
    const before = await countAvailableAgents(app.database.db);
    await patchUser(gone.id, { active: false });
    expect(await countAvailableAgents(app.database.db)).toBe(before - 1);

    const team = await (
      await listAgents(staffRequest('/api/console/agents', holderCookie), params({}))
    ).json();
    expect(team.agents.map((a: { id: string }) => a.id)).not.toContain(gone.id);
    const everyone = await (
      await listUsers(staffRequest('/api/admin/users', admin.cookie), params({}))
    ).json();
    expect(everyone.users.find((u: { id: string }) => u.id === gone.id)).toMatchObject({
      active: false,
      available: false,
    });

    const customer = await createAnonymousCustomer(app.database.db);
    const asked = await askTurn(app, {
      customer,
      text: 'I want to talk to a person',
    });
    const reader = asked.stream.getReader();
    while (!(await reader.read()).done) {}
    // API-key callers cannot act as the deactivated agent either.
    expect(await findActiveStaffByEmail(app.database.db, gone.email)).toBeNull();
    expect(await findActiveStaffByEmail(app.database.db, holder.email)).toMatchObject({
      id: holder.id,
    });
    await takeOver(app, holder, asked.conversationId);
    await expect(transfer(app, holder, asked.conversationId, gone.id)).rejects.toMatchObject({
      code: 'not_found:user',
    });
    await expectEnded(cookie);
  });

  it('never leaves the workspace without an active admin', async () => {
    const { users } = await import('@/db/schema');
    const { and, eq, isNull, ne } = await import('drizzle-orm');
    const { db } = app.database;
    // Only Ada stays an active admin: every other admin (the seeded one) is made an agent.
    const others = await db
      .select({ id: users.id })
      .from(users)
      .where(
        and(eq(users.role, 'admin'), isNull(users.deactivatedAt), ne(users.id, admin.staff.id)),
      );
    for (const other of others)
      expect((await patchUser(other.id, { role: 'agent' })).status).toBe(200);

    for (const change of [{ active: false }, { role: 'agent' }]) {
      const refused = await patchUser(admin.staff.id, change);
      expect(refused.status).toBe(409);
      expect((await refused.json()).error).toMatchObject({
        code: 'conflict:user',
        message: 'The workspace needs at least one admin.',
      });
    }
    // A deactivated admin does not count as the second admin.
    const { staff: sleeper } = await signedInStaff(app, 'admin', 'Sam Sleeper');
    expect((await patchUser(sleeper.id, { active: false })).status).toBe(200);
    expect((await patchUser(admin.staff.id, { active: false })).status).toBe(409);
    // An active second admin does: then either may go.
    expect((await patchUser(sleeper.id, { active: true })).status).toBe(200);
    expect((await patchUser(sleeper.id, { role: 'agent' })).status).toBe(200);
    expect(await queueStatus(admin.cookie)).toBe(200);
    for (const other of others) await patchUser(other.id, { role: 'admin' });
  });

  it('answers an empty or unknown change with 400 naming what may be sent', async () => {
    const { staff } = await signedInAgent('Eve Empty');
    for (const body of [{}, { nickname: 'x' }]) {
      const response = await patchUser(staff.id, body);
      expect(response.status).toBe(400);
      const { error } = await response.json();
      expect(error.code).toBe('bad_request:user');
      expect(error.message).toContain('send at least one of name, role, password or active');
    }
    const wrongType = await patchUser(staff.id, { active: 'no' });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).error.details.fields[0].field).toBe('active');
  });
});
