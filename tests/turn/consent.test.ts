import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { count, eq } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as answerConsent } from '@/app/api/chat/consent/route';
import { POST as chat } from '@/app/api/chat/route';
import { customers, tickets } from '@/db/schema';
import { getWidgetConsent } from '@/lib/consent/consent';
import type { AppContext } from '@/lib/context';
import { suggestReply } from '@/lib/conversations/suggest-reply';
import { findCustomer } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';
import { DEFAULT_CONSENT_NOTICE } from '@/lib/settings/schema';
import { getConsentSettings, saveConsentSettings } from '@/lib/settings/settings';
import { collectApiReply, startApiMessage } from '@/lib/turn/api-message';
import { startServedTestApp } from '../harness/app';
import { FAKE_CLASSIFICATION, startFakeOpenAI } from '../harness/fake-openai';

const calls: string[] = [];
let server: Server;
let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  server = await startFakeOpenAI({
    classification: FAKE_CLASSIFICATION,
    answer: ['Use Forgot password [1].'],
    // Every call is recorded, whatever its path: a declined customer's must be none at all.
    onRequest: ({ method, path }) => calls.push(`${method} ${path}`),
  });
  const { port } = server.address() as AddressInfo;
  ({ app, stop } = await startServedTestApp({
    TANDEM_CONSENT_REQUIRED: 'true',
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
    OPENAI_MODEL: 'fake-model',
  }));
});

afterAll(async () => {
  await stop();
  server.close();
});

function post(
  handler: (request: NextRequest) => Promise<Response>,
  path: string,
  body: unknown,
  cookie?: string,
) {
  return handler(
    new NextRequest(`http://localhost${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

const message = (text: string, extra: Record<string, unknown> = {}) => ({
  ...extra,
  message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
});

const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0]!;

async function customerCount() {
  const [row] = await app.database.db.select({ n: count() }).from(customers);
  return row!.n;
}

async function consentVersion() {
  return (await getConsentSettings(app.database.db, true)).version;
}

describe('POST /api/chat/consent', () => {
  it('refuses a body without a valid decision and version, listing the fields', async () => {
    const response = await post(answerConsent, '/api/chat/consent', { decision: 'maybe' });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('bad_request:consent');
    expect(body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'decision',
      'version',
    ]);
  });

  it('stores the decision with its time and the notice version, and starts the session', async () => {
    const before = Date.now();
    const version = await consentVersion();
    const response = await post(answerConsent, '/api/chat/consent', {
      decision: 'granted',
      version,
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.consent).toMatchObject({ decision: 'granted', version });
    const [row] = await app.database.db
      .select()
      .from(customers)
      .where(eq(customers.consentVersion, version));
    expect(row!.consent).toBe('granted');
    expect(row!.consentAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(cookieOf(response)).toMatch(/=/);
  });

  it('refuses an answer to an older notice, without creating a customer', async () => {
    const before = await customerCount();
    const response = await post(answerConsent, '/api/chat/consent', {
      decision: 'granted',
      version: 'not-the-current-one',
    });
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.error).toMatchObject({
      code: 'conflict:consent_version',
      details: { version: await consentVersion() },
    });
    expect(await customerCount()).toBe(before);
  });
});

describe('/api/chat with consent required (OpenAI-compatible model recording its calls)', () => {
  it('answers 409 conflict:consent to a visitor who has not answered, and calls no model', async () => {
    const [customersBefore, callsBefore] = [await customerCount(), calls.length];
    const response = await post(chat, '/api/chat', message('How do I reset my password?'));
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.error.code).toBe('conflict:consent');
    expect(body.error.message).toMatch(/consent notice/);
    expect(await customerCount()).toBe(customersBefore);
    expect(calls.length).toBe(callsBefore);
  });

  it('sends nothing of a customer who declined to the model and opens a ticket with their email', async () => {
    const answered = await post(answerConsent, '/api/chat/consent', {
      decision: 'declined',
      version: await consentVersion(),
    });
    const cookie = cookieOf(answered);
    const callsBefore = calls.length;
    const response = await post(
      chat,
      '/api/chat',
      message('My parcel arrived damaged, what can I do?', {
        contactEmail: 'mei@example.com',
      }),
      cookie,
    );
    expect(response.status).toBe(200);
    const stream = await response.text();
    const text = stream
      .split('\n\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)) as { type: string; delta?: string })
      .filter((c) => c.type === 'text-delta')
      .map((c) => c.delta)
      .join('');
    expect(text).toContain('You chose not to have your messages handled by AI');
    expect(text).toMatch(/ticket \*\*TKT-\d+\*\*/);
    expect(text).toContain("we'll reply by email to mei@example.com");
    expect(calls.length).toBe(callsBefore);

    const conversationId = response.headers.get('x-conversation-id')!;
    const [ticket] = await app.database.db
      .select()
      .from(tickets)
      .where(eq(tickets.conversationId, conversationId));
    expect(ticket).toBeDefined();
    const customer = await findCustomer(app.database.db, ticket!.customerId);
    expect(customer).toMatchObject({ email: 'mei@example.com', consent: 'declined' });

    // A second message goes to the team too: still no model call.
    const again = await post(
      chat,
      '/api/chat',
      { conversationId, ...message('Also the box was open.') },
      cookie,
    );
    await again.text();
    expect(calls.length).toBe(callsBefore);
  });

  it('calls the model for a customer who accepted', async () => {
    const answered = await post(answerConsent, '/api/chat/consent', {
      decision: 'granted',
      version: await consentVersion(),
    });
    const callsBefore = calls.length;
    const response = await post(
      chat,
      '/api/chat',
      message('How do I reset my password?'),
      cookieOf(answered),
    );
    expect(response.status).toBe(200);
    await response.text();
    expect(calls.length).toBeGreaterThan(callsBefore);
    expect(calls.slice(callsBefore).every((c) => c === 'POST /v1/chat/completions')).toBe(true);
  });

  it('asks again once the wording changes: an earlier grant no longer counts', async () => {
    const answered = await post(answerConsent, '/api/chat/consent', {
      decision: 'granted',
      version: await consentVersion(),
    });
    const cookie = cookieOf(answered);
    const saved = await saveConsentSettings(app.database.db, {
      required: true,
      notice: { ...DEFAULT_CONSENT_NOTICE, en: `${DEFAULT_CONSENT_NOTICE.en} (updated)` },
    });
    try {
      const response = await post(chat, '/api/chat', message('Hello'), cookie);
      expect(response.status).toBe(409);
      const customerId = (await app.database.db.select().from(customers)).find(
        (c) => c.consentVersion !== saved.version && c.consent === 'granted',
      )!;
      const widget = await getWidgetConsent(app, customerId);
      expect(widget).toMatchObject({ ask: true, decision: 'granted', version: saved.version });
    } finally {
      await saveConsentSettings(app.database.db, {
        required: true,
        notice: DEFAULT_CONSENT_NOTICE,
      });
    }
  });
});

describe('public API messages and consent', () => {
  it('refuses a customer with no recorded answer unless the caller states one', async () => {
    const error = await startApiMessage(app, {
      customer_id: 'api-consent-1',
      message: 'Where is my parcel?',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TandemError);
    expect((error as TandemError).code).toBe('conflict:consent');
  });

  it('records a declined answer from the caller and hands the customer to the team, no model', async () => {
    const callsBefore = calls.length;
    const reply = await collectApiReply(
      await startApiMessage(app, {
        customer_id: 'api-consent-2',
        message: 'Where is my parcel?',
        consent: 'declined',
      }),
      Date.now(),
    );
    expect(reply.escalated).toBe(true);
    expect(calls.length).toBe(callsBefore);
    const [customer] = await app.database.db
      .select()
      .from(customers)
      .where(eq(customers.externalId, 'api-consent-2'));
    expect(customer).toMatchObject({ consent: 'declined', consentVersion: await consentVersion() });

    // An agent's Suggest reply would send the customer's words to the model: it is refused.
    await expect(suggestReply(app, reply.conversation_id)).rejects.toMatchObject({
      code: 'conflict:consent',
    });
    expect(calls.length).toBe(callsBefore);
  });
});
