import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PATCH as updateUser } from '@/app/api/admin/users/[id]/route';
import { GET as queue } from '@/app/api/console/queue/route';
import { staffForPage } from '@/app/page-guard';
import { encodeStaffSession } from '@/lib/auth/staff-session';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { startApp, stopApp } from '@/lib/server/app';
import { createStaff, type StaffUser } from '@/lib/staff/queries';
import { serveRoutesFrom } from '../harness/app';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';
import { signIn, signOut } from './auth-requests';

let pageCookie = '';
vi.mock('next/headers', () => ({
  cookies: async () => ({
    getAll: () =>
      pageCookie
        .split('; ')
        .filter(Boolean)
        .map((pair) => ({
          name: pair.slice(0, pair.indexOf('=')),
          value: pair.slice(pair.indexOf('=') + 1),
        })),
  }),
}));

/**
 * Two app instances on one PostgreSQL database, each with its own in-process cache: a session
 * ended through one is refused by the other at once, because the version lives in the database.
 */
describe.runIf(testEnv.databaseUrl)('staff sessions end on every instance (PostgreSQL)', () => {
  let database: TestDatabase;
  let first: AppContext;
  let second: AppContext;
  let admin: StaffUser;
  const PASSWORD = 'a good password';

  beforeAll(async () => {
    database = await createTestDatabase(testEnv.databaseUrl!);
    const config = parseConfig({
      DATABASE_URL: database.url,
      TANDEM_DEMO: 'true',
      LOG_LEVEL: 'silent',
      TANDEM_CONSENT_REQUIRED: 'false',
    });
    first = await startApp(config);
    second = await startApp(config);
    admin = await createStaff(first.database.db, {
      email: 'ada@example.com',
      name: 'Ada',
      role: 'admin',
      password: PASSWORD,
    });
  });
  afterAll(async () => {
    if (first) await stopApp(first);
    if (second) await stopApp(second);
    await database?.drop();
  });

  const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });

  /** What the second instance makes of the cookie: its staff route's status and its page guard. */
  async function onSecond(cookie: string) {
    serveRoutesFrom(Promise.resolve(second));
    const status = (
      await queue(
        new Request('http://localhost/api/console/queue', { headers: { cookie } }),
        params({}),
      )
    ).status;
    pageCookie = cookie;
    const page = await staffForPage('/console').then(
      () => 'in',
      (error: { digest?: string }) => String(error.digest).split(';')[2],
    );
    return { status, page };
  }

  const ended = { status: 401, page: '/sign-in?callbackUrl=%2Fconsole' };
  const live = { status: 200, page: 'in' };

  async function agentSignedInOnFirst(name: string) {
    const staff = await createStaff(first.database.db, {
      email: `${name.toLowerCase()}@example.com`,
      name,
      role: 'agent',
      password: PASSWORD,
    });
    serveRoutesFrom(Promise.resolve(first));
    const cookie = await signIn(staff.email, PASSWORD);
    expect(await onSecond(cookie)).toEqual(live);
    return { staff, cookie };
  }

  async function patchOnFirst(id: string, body: unknown) {
    serveRoutesFrom(Promise.resolve(first));
    const response = await updateUser(
      new Request(`http://localhost/api/admin/users/${id}`, {
        method: 'PATCH',
        headers: {
          cookie: `next-auth.session-token=${await encodeStaffSession(first, admin)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      }),
      params({ id }),
    );
    expect(response.status).toBe(200);
  }

  it('sign-out on one instance', async () => {
    const { cookie } = await agentSignedInOnFirst('Sol');
    serveRoutesFrom(Promise.resolve(first));
    expect((await signOut(cookie)).status).toBe(200);
    expect(await onSecond(cookie)).toEqual(ended);
  });

  it('a password reset on one instance', async () => {
    const { staff, cookie } = await agentSignedInOnFirst('Pia');
    await patchOnFirst(staff.id, { password: 'another good password' });
    expect(await onSecond(cookie)).toEqual(ended);
  });

  it('a role change on one instance', async () => {
    const { staff, cookie } = await agentSignedInOnFirst('Rob');
    await patchOnFirst(staff.id, { role: 'admin' });
    expect(await onSecond(cookie)).toEqual(ended);
  });

  it('deactivation on one instance', async () => {
    const { staff, cookie } = await agentSignedInOnFirst('Dov');
    await patchOnFirst(staff.id, { active: false });
    expect(await onSecond(cookie)).toEqual(ended);
  });
});
