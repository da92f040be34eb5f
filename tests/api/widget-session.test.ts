import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as chatEvents } from '@/app/api/chat/events/route';
import { POST as typing } from '@/app/api/chat/typing/route';
import { DELETE as forgetMe, POST as identify } from '@/app/api/widget/identify/route';
import { conversations, customers } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { identityHash } from '@/lib/customers/identity';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import {
  CUSTOMER_SESSION_LIFETIME_SECONDS,
  createCustomerToken,
  readCustomerToken,
} from '@/lib/customers/session';
import { eraseCustomer } from '@/lib/privacy/customer-data';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
});
afterAll(() => stop());

const DAY = 86_400_000;

/** The customer's typing signal: a cheap widget route that needs a session and a conversation. */
function sendTyping(conversationId: string, auth: { cookie?: string; header?: string }) {
  return typing(
    new Request('http://localhost/api/chat/typing', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(auth.cookie ? { cookie: `tandem_customer=${auth.cookie}` } : {}),
        ...(auth.header ? { 'x-tandem-session': auth.header } : {}),
      },
      body: JSON.stringify({ conversationId }),
    }),
  );
}

async function conversationOf(customerId: string) {
  const [conversation] = await app.database.db
    .insert(conversations)
    .values({ customerId })
    .returning();
  return conversation!.id;
}

async function customerWithConversation() {
  const customer = await createAnonymousCustomer(app.database.db);
  return { customer, conversationId: await conversationOf(customer.id) };
}

const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe('widget sessions', () => {
  it('accept the token from the cookie or from the x-tandem-session header', async () => {
    const { customer, conversationId } = await customerWithConversation();
    const token = createCustomerToken(customer.id, app.secret);
    expect((await sendTyping(conversationId, { cookie: token })).status).toBe(204);
    expect((await sendTyping(conversationId, { header: token })).status).toBe(204);
    expect((await sendTyping(conversationId, {})).status).toBe(401);
  });

  it('refuse a forged, expired, future-dated or unversioned token with 401', async () => {
    const { customer, conversationId } = await customerWithConversation();
    const now = Date.now();
    const refused = [
      `${createCustomerToken(customer.id, app.secret).slice(0, -2)}xx`,
      createCustomerToken(customer.id, app.secret, {
        now: now - (CUSTOMER_SESSION_LIFETIME_SECONDS + 60) * 1000,
      }),
      createCustomerToken(customer.id, app.secret, { now: now + DAY }),
      createCustomerToken(customer.id, app.secret, { version: 1 }),
      // The year-long format that came before versions: no longer a way in.
      `${customer.id}.${createCustomerToken(customer.id, app.secret).split('.')[3]}`,
    ];
    for (const token of refused) {
      const response = await sendTyping(conversationId, { cookie: token });
      expect(response.status).toBe(401);
      expect(await errorCode(response)).toBe('unauthorized:chat');
    }
  });

  it('rotate a token older than a day: a fresh one in Set-Cookie and x-tandem-session', async () => {
    const { customer, conversationId } = await customerWithConversation();
    const fresh = await sendTyping(conversationId, {
      cookie: createCustomerToken(customer.id, app.secret),
    });
    expect(fresh.headers.get('set-cookie')).toBeNull();
    expect(fresh.headers.get('x-tandem-session')).toBeNull();

    const old = createCustomerToken(customer.id, app.secret, { now: Date.now() - 2 * DAY });
    const rotated = await sendTyping(conversationId, { header: old });
    expect(rotated.status).toBe(204);
    const token = rotated.headers.get('x-tandem-session')!;
    expect(rotated.headers.get('set-cookie')).toMatch(new RegExp(`^tandem_customer=${token};`));
    const claims = readCustomerToken(token, app.secret)!;
    expect(claims.customerId).toBe(customer.id);
    expect(Date.now() / 1000 - claims.issuedAt).toBeLessThan(60);
    expect((await sendTyping(conversationId, { header: token })).status).toBe(204);
  });

  it('take the token from ?session= on the event stream only', async () => {
    const { customer, conversationId } = await customerWithConversation();
    const token = createCustomerToken(customer.id, app.secret);
    const abort = new AbortController();
    const stream = await chatEvents(
      new Request(
        `http://localhost/api/chat/events?conversationId=${conversationId}&session=${token}`,
        { signal: abort.signal },
      ),
    );
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    abort.abort();
    await stream.body?.cancel().catch(() => {});

    const posted = await typing(
      new Request(`http://localhost/api/chat/typing?session=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId }),
      }),
    );
    expect(posted.status).toBe(401);
  });

  it('end with "forget me": the old cookie no longer works, and the cookie is cleared', async () => {
    const userId = 'forget-me-user';
    const signedIn = await identify(
      new Request('http://localhost/api/widget/identify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId, userHash: identityHash(app.secret, userId) }),
      }),
    );
    expect(signedIn.status).toBe(200);
    const token = signedIn.headers.get('x-tandem-session')!;
    const { customerId } = (await signedIn.json()) as { customerId: string };
    const conversationId = await conversationOf(customerId);
    expect((await sendTyping(conversationId, { cookie: token })).status).toBe(204);

    const forgotten = await forgetMe(
      new Request('http://localhost/api/widget/identify', {
        method: 'DELETE',
        headers: { cookie: `tandem_customer=${token}` },
      }),
    );
    expect(forgotten.status).toBe(204);
    expect(forgotten.headers.get('set-cookie')).toMatch(/^tandem_customer=; .*Max-Age=0/);

    const after = await sendTyping(conversationId, { cookie: token });
    expect(after.status).toBe(401);
    expect(await errorCode(after)).toBe('unauthorized:chat');
    // Signing in again gives a session that works: the customer is not locked out.
    const again = await identify(
      new Request('http://localhost/api/widget/identify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId, userHash: identityHash(app.secret, userId) }),
      }),
    );
    const next = again.headers.get('x-tandem-session')!;
    expect((await sendTyping(conversationId, { cookie: next })).status).toBe(204);
  });

  it('end with erasure: the erased customer’s token no longer works', async () => {
    const { customer, conversationId } = await customerWithConversation();
    const token = createCustomerToken(customer.id, app.secret);
    expect((await sendTyping(conversationId, { cookie: token })).status).toBe(204);
    await eraseCustomer(app, customer.id, { type: 'system', name: 'test' });
    const [row] = await app.database.db
      .select()
      .from(customers)
      .where(eq(customers.id, customer.id));
    expect(row).toBeUndefined();
    const after = await sendTyping(conversationId, { cookie: token });
    expect(after.status).toBe(401);
  });
});
