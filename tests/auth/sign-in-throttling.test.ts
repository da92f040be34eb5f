import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginSignIn, finishSignIn, type SignInLimits } from '@/lib/auth/sign-in-throttle';
import type { Cache } from '@/lib/cache';
import { createIoredisCache } from '@/lib/cache/ioredis-cache';
import { createMemoryCache } from '@/lib/cache/memory-cache';
import { createUpstashCache } from '@/lib/cache/upstash-cache';
import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import { PEER_ADDRESS_MARKER } from '@/lib/security/client-address';
import { createStaff } from '@/lib/staff/queries';
import { startServedTestApp } from '../harness/app';
import { testEnv } from '../harness/test-env';
import { startUpstashShim, type UpstashShim } from '../harness/upstash-rest-shim';
import { postSignIn } from './auth-requests';

const PASSWORD = 'a good password';
const WINDOW = 15 * 60;

describe('sign-in throttling through the auth route (in-process cache)', () => {
  let app: AppContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    (globalThis as Record<symbol, unknown>)[PEER_ADDRESS_MARKER] = true;
    ({ app, stop } = await startServedTestApp({
      TANDEM_SIGNIN_FAILURES_PER_ACCOUNT: '3',
      TANDEM_SIGNIN_FAILURES_PER_ADDRESS: '5',
    }));
  });
  afterAll(async () => {
    delete (globalThis as Record<symbol, unknown>)[PEER_ADDRESS_MARKER];
    await stop();
  });

  /** A new agent, and a client address nobody else in this file uses. */
  async function agentAndAddress() {
    const email = `${randomUUID()}@example.com`;
    await createStaff(app.database.db, {
      email,
      name: 'Throttled',
      role: 'agent',
      password: PASSWORD,
    });
    return { email, address: freshAddress() };
  }

  it('refuses an account after 3 failures, even with the right password, with Retry-After', async () => {
    const { email, address } = await agentAndAddress();
    for (let i = 0; i < 3; i++) {
      expect((await postSignIn(email, 'wrong password', { address })).status).toBe(401);
    }
    const refused = await postSignIn(email, PASSWORD, { address });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW);
    expect(refused.headers.get('x-request-id')).toBeTruthy();
    const { error } = await refused.json();
    expect(error.code).toBe('rate_limited:sign_in');
    expect(error.message).toBe(
      `Too many sign-in attempts; try again in ${Math.ceil(retryAfter / 60)} minutes.`,
    );
    expect(refused.headers.getSetCookie().join()).not.toContain('next-auth.session-token');
    // The account is throttled wherever the attempt comes from.
    expect((await postSignIn(email, PASSWORD, { address: freshAddress() })).status).toBe(429);
    // Other accounts are not.
    const other = await agentAndAddress();
    expect((await postSignIn(other.email, PASSWORD, { address: other.address })).status).toBe(200);
  });

  it('forgets an account’s failures once it signs in', async () => {
    const { email, address } = await agentAndAddress();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) {
        expect((await postSignIn(email, 'wrong password', { address })).status).toBe(401);
      }
      // 4 failures in all would be over the limit, had the first success not reset the count.
      expect((await postSignIn(email, PASSWORD, { address })).status).toBe(200);
    }
  });

  it('refuses an address after 5 failures across accounts, and only that address', async () => {
    const address = freshAddress();
    for (let i = 0; i < 5; i++) {
      const stranger = `${randomUUID()}@example.com`;
      expect((await postSignIn(stranger, 'guess', { address })).status).toBe(401);
    }
    const { email } = await agentAndAddress();
    const refused = await postSignIn(email, PASSWORD, { address });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await postSignIn(email, PASSWORD, { address: freshAddress() })).status).toBe(200);
  });

  it('does not count successes against an address (a team behind one office address)', async () => {
    const address = freshAddress();
    for (let i = 0; i < 7; i++) {
      const { email } = await agentAndAddress();
      expect((await postSignIn(email, PASSWORD, { address })).status).toBe(200);
    }
    for (let i = 0; i < 5; i++) {
      expect((await postSignIn(`${randomUUID()}@example.com`, 'x', { address })).status).toBe(401);
    }
    expect((await postSignIn(`${randomUUID()}@example.com`, 'x', { address })).status).toBe(429);
  });

  it('lets no more than the limit of a parallel burst reach the password check', async () => {
    const { email } = await agentAndAddress();
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () =>
        postSignIn(email, 'wrong password', { address: freshAddress() }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });

  it('does not count a sign-in refused for a missing CSRF token', async () => {
    const { email, address } = await agentAndAddress();
    const { authRequest } = await import('./auth-requests');
    for (let i = 0; i < 5; i++) {
      const response = await authRequest('/api/auth/callback/credentials', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-tandem-peer-address': address,
        },
        body: new URLSearchParams({ email, password: 'wrong', json: 'true' }).toString(),
      });
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe('forbidden:auth');
    }
    expect((await postSignIn(email, PASSWORD, { address })).status).toBe(200);
  });
});

describe('sign-in throttle windows', () => {
  const limits: SignInLimits = {
    failuresPerAccount: 2,
    failuresPerAddress: 100,
    windowSeconds: WINDOW,
  };

  it('lets the account try again once the window has passed, however often it was refused', async () => {
    const cache = createMemoryCache({ prefix: 'throttle-window:' });
    const start = Date.UTC(2026, 0, 1, 9, 0, 0);
    const subject = { email: 'kim@example.com', address: '192.0.2.1' };
    for (let i = 0; i < 2; i++) {
      await finishSignIn(cache, await beginSignIn(cache, limits, subject, start + i), 'failed');
    }
    // Refused again and again while throttled: refusals are not failures and do not prolong it.
    for (let i = 0; i < 20; i++) {
      await expect(beginSignIn(cache, limits, subject, start + 60_000 + i)).rejects.toMatchObject({
        code: 'rate_limited:sign_in',
      });
    }
    // Just into the next window, the earlier failures still weigh almost fully...
    await expect(
      beginSignIn(cache, limits, subject, start + 1.05 * WINDOW * 1000),
    ).rejects.toMatchObject({ code: 'rate_limited:sign_in' });
    // ...halfway through it, the two failures weigh one: a try is allowed.
    const attempt = await beginSignIn(cache, limits, subject, start + 1.5 * WINDOW * 1000);
    await finishSignIn(cache, attempt, 'succeeded');
    await cache.close();
  });
});

/** The same throttle, reached through two caches on one engine, as two app instances would. */
function describeSharedThrottle(
  name: string,
  openPair: () => Promise<[Cache, Cache, () => Promise<void>]>,
) {
  describe(`sign-in throttle shared through ${name}`, () => {
    const limits: SignInLimits = {
      failuresPerAccount: 3,
      failuresPerAddress: 100,
      windowSeconds: WINDOW,
    };
    let first: Cache;
    let second: Cache;
    let close: () => Promise<void>;
    beforeAll(async () => {
      [first, second, close] = await openPair();
    });
    afterAll(() => close?.());

    it('sees failures recorded by the other instance, and a success there resets them', async () => {
      const subject = { email: `${randomUUID()}@example.com`, address: freshAddress() };
      for (let i = 0; i < 3; i++) {
        const cache = i % 2 === 0 ? first : second;
        await finishSignIn(cache, await beginSignIn(cache, limits, subject), 'failed');
      }
      const refused = await beginSignIn(second, limits, subject).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TandemError);
      expect((refused as TandemError).code).toBe('rate_limited:sign_in');
      const retryAfter = Number((refused as TandemError).headers?.['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW);
      await expect(beginSignIn(first, limits, subject)).rejects.toMatchObject({
        code: 'rate_limited:sign_in',
      });

      const other = { email: `${randomUUID()}@example.com`, address: subject.address };
      for (let i = 0; i < 2; i++) {
        await finishSignIn(first, await beginSignIn(first, limits, other), 'failed');
      }
      await finishSignIn(second, await beginSignIn(second, limits, other), 'succeeded');
      for (let i = 0; i < 3; i++) {
        await finishSignIn(first, await beginSignIn(first, limits, other), 'failed');
      }
      await expect(beginSignIn(second, limits, other)).rejects.toMatchObject({
        code: 'rate_limited:sign_in',
      });
    });
  });
}

describeSharedThrottle('the in-process cache', async () => {
  const cache = createMemoryCache({ prefix: 'throttle-shared:' });
  return [cache, cache, () => cache.close()];
});

describe.skipIf(!testEnv.redisUrl)('on Redis', () => {
  describeSharedThrottle('Redis (two ioredis clients)', async () => {
    const prefix = `tandem_test:${randomUUID()}:`;
    const a = createIoredisCache({ url: testEnv.redisUrl!, prefix });
    const b = createIoredisCache({ url: testEnv.redisUrl!, prefix });
    return [a, b, async () => void (await Promise.all([a.close(), b.close()]))];
  });

  let shim: UpstashShim | undefined;
  afterAll(() => shim?.close());
  describeSharedThrottle('Upstash (REST shim over Redis)', async () => {
    const token = randomUUID();
    shim = await startUpstashShim({ redisUrl: testEnv.redisUrl!, token });
    const prefix = `tandem_test:${randomUUID()}:`;
    const a = createUpstashCache({ url: shim.url, token, prefix });
    const b = createUpstashCache({ url: shim.url, token, prefix });
    return [a, b, async () => void (await Promise.all([a.close(), b.close()]))];
  });
});

let addressCounter = 0;
/** A documentation-range address (RFC 5737) no other test in this file uses. */
function freshAddress(): string {
  addressCounter += 1;
  return `203.0.113.${addressCounter}`;
}
