import { eq } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/widget/identify/route';
import { customers } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { identityHash } from '@/lib/customers/identity';
import { readCustomerToken } from '@/lib/customers/session';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
});
afterAll(() => stop());

const identify = (body: unknown) =>
  POST(
    new NextRequest('http://localhost/api/widget/identify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );

describe('POST /api/widget/identify', () => {
  it('binds the session to the customer the site signed, creating them once', async () => {
    const userHash = identityHash(app.secret, 'shop-user-42');
    const first = await identify({
      userId: 'shop-user-42',
      userHash,
      name: 'Dana Ong',
      context: { plan: 'Plus' },
    });
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!.split('=')[1];
    expect(first.headers.get('x-tandem-session')).toBe(cookie);
    const customerId = readCustomerToken(cookie, app.secret)?.customerId;
    const [row] = await app.database.db
      .select()
      .from(customers)
      .where(eq(customers.externalId, 'shop-user-42'));
    expect(customerId).toBe(row!.id);
    expect(row).toMatchObject({ name: 'Dana Ong', context: { plan: 'Plus' } });

    const again = await identify({ userId: 'shop-user-42', userHash });
    expect(((await again.json()) as { customerId: string }).customerId).toBe(row!.id);
  });

  it('refuses a user id the site did not sign', async () => {
    const response = await identify({
      userId: 'demo-alice',
      userHash: identityHash(app.secret, 'someone-else'),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'forbidden:identity',
    );
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a malformed signature with the field named', async () => {
    const response = await identify({ userId: 'demo-alice', userHash: 'abc' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { details: unknown } }).error.details).toEqual({
      fields: [{ field: 'userHash', message: 'must be the hex HMAC-SHA256 of userId' }],
    });
  });
});
