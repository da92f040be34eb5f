import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getConversation } from '@/app/api/v1/conversations/[id]/route';
import { GET as customerConversations } from '@/app/api/v1/customers/[id]/conversations/route';
import { POST as postMessage } from '@/app/api/v1/messages/route';
import { messages } from '@/db/schema';
import { createApiKey, revokeApiKey, rotateApiKey } from '@/lib/api-keys/keys';
import { createMemoryCache } from '@/lib/cache/memory-cache';
import type { AppContext } from '@/lib/context';
import { slidingWindowLimit } from '@/lib/rate-limit/sliding-window';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let writeKey: string;
let readKey: string;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  writeKey = (await createApiKey(app.database.db, { name: 'shop backend', scopes: ['write'] })).key;
  readKey = (await createApiKey(app.database.db, { name: 'reporting', scopes: ['read'] })).key;
});
afterAll(() => stop());

function call(
  handler: (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response>,
  init: {
    key?: string;
    body?: unknown;
    headers?: Record<string, string>;
    params?: { id: string };
    path?: string;
  } = {},
) {
  return handler(
    new Request(`http://localhost${init.path ?? '/api/v1/x'}`, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    { params: Promise.resolve(init.params ?? { id: '' }) },
  );
}

const storedMessages = async () =>
  (await app.database.db.select({ n: count() }).from(messages))[0]!.n;

describe('POST /api/v1/messages', () => {
  it('answers through the pipeline, grounded and cited, and continues the conversation', async () => {
    const response = await call(postMessage, {
      key: writeKey,
      body: {
        customer_id: 'shop-user-1',
        message: 'How do I reset my password?',
        customer_context: { plan: 'Plus' },
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit')).toBe('120');
    const body = await response.json();
    expect(body).toMatchObject({
      reply: expect.stringMatching(/password/i),
      citations: [
        expect.objectContaining({ slug: 'reset-your-password', url: '/kb/reset-your-password' }),
      ],
      classification: expect.objectContaining({ category: 'account', language: 'en' }),
      escalated: false,
      held_for_human: false,
    });
    expect(body.message_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.processing_ms).toBeGreaterThanOrEqual(0);

    const next = await call(postMessage, {
      key: writeKey,
      body: {
        customer_id: 'shop-user-1',
        conversation_id: body.conversation_id,
        message: 'I want to talk to a person',
      },
    });
    expect(await next.json()).toMatchObject({
      conversation_id: body.conversation_id,
      escalated: true,
    });

    const transcript = await (
      await call(getConversation, { key: readKey, params: { id: body.conversation_id } })
    ).json();
    expect(transcript).toMatchObject({
      customer_id: 'shop-user-1',
      status: 'waiting',
      escalation_reason: 'customer_request',
    });
    expect(transcript.messages.map((m: { role: string }) => m.role)).toEqual([
      'customer',
      'ai',
      'customer',
      'ai',
    ]);
  });

  it('replays an idempotent retry without storing a second message', async () => {
    const body = { customer_id: 'shop-user-2', message: 'How long does standard shipping take?' };
    const headers = { 'idempotency-key': 'order-42-question' };
    const first = await call(postMessage, { key: writeKey, body, headers });
    const before = await storedMessages();
    const again = await call(postMessage, { key: writeKey, body, headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    expect(await storedMessages()).toBe(before);

    const different = await call(postMessage, {
      key: writeKey,
      body: { ...body, message: 'Something else' },
      headers,
    });
    expect(different.status).toBe(409);
    expect((await different.json()).error.code).toBe('conflict:idempotency');
  });

  it('refuses an Idempotency-Key over 200 characters with 400, storing nothing', async () => {
    const before = await storedMessages();
    const refused = await call(postMessage, {
      key: writeKey,
      body: { customer_id: 'shop-user-2', message: 'Hello?' },
      headers: { 'idempotency-key': 'k'.repeat(201) },
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({
      code: 'bad_request:api',
      message: 'Idempotency-Key: at most 200 characters.',
    });
    expect(await storedMessages()).toBe(before);
  });

  it('streams the reply with Accept: text/event-stream', async () => {
    const response = await call(postMessage, {
      key: writeKey,
      body: { customer_id: 'shop-user-3', message: 'How do I reset my password?' },
      headers: { accept: 'text/event-stream' },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    expect(text.split('\n\n').filter((e) => e.includes('"text-delta"')).length).toBeGreaterThan(10);
  });

  it('refuses a missing, malformed, wrong or revoked key with 401, and a read key with 403', async () => {
    const body = { customer_id: 'x', message: 'hi' };
    for (const key of [undefined, 'nope', `${writeKey.slice(0, -2)}xx`]) {
      const response = await call(postMessage, { key, body });
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe('unauthorized:api');
    }
    const denied = await call(postMessage, { key: readKey, body });
    expect(denied.status).toBe(403);
    expect((await denied.json()).error).toMatchObject({
      code: 'forbidden:api',
      message: 'This key lacks the "write" scope.',
    });

    const { key, apiKey } = await createApiKey(app.database.db, {
      name: 'temp',
      scopes: ['write'],
    });
    const { key: rotated } = await rotateApiKey(app.database.db, apiKey.id);
    expect((await call(postMessage, { key, body })).status).toBe(401);
    expect((await call(postMessage, { key: rotated, body })).status).toBe(200);
    await revokeApiKey(app.database.db, apiKey.id);
    expect((await call(postMessage, { key: rotated, body })).status).toBe(401);
  });

  it('names the fields of an invalid request, and hides other customers’ conversations (404)', async () => {
    const bad = await call(postMessage, {
      key: writeKey,
      body: { message: '', conversation_id: 'abc' },
    });
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'conversation_id',
      'customer_id',
      'message',
    ]);

    const mine = await (
      await call(postMessage, { key: writeKey, body: { customer_id: 'owner-a', message: 'hello' } })
    ).json();
    const theirs = await call(postMessage, {
      key: writeKey,
      body: { customer_id: 'owner-b', conversation_id: mine.conversation_id, message: 'let me in' },
    });
    expect(theirs.status).toBe(404);
  });

  it('pages a customer’s conversations with a cursor', async () => {
    for (const text of ['one', 'two', 'three']) {
      await call(postMessage, {
        key: writeKey,
        body: { customer_id: 'pager', message: `Question ${text} about shipping` },
      });
    }
    const first = await (
      await call(customerConversations, {
        key: readKey,
        params: { id: 'pager' },
        path: '/x?limit=2',
      })
    ).json();
    expect(first.data).toHaveLength(2);
    expect(first.next_cursor).toBe(first.data[1].id);
    const second = await (
      await call(customerConversations, {
        key: readKey,
        params: { id: 'pager' },
        path: `/x?limit=2&cursor=${first.next_cursor}`,
      })
    ).json();
    expect(second.data).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    expect(new Set([...first.data, ...second.data].map((c: { id: string }) => c.id)).size).toBe(3);
    expect(
      (await call(customerConversations, { key: readKey, params: { id: 'nobody' } })).status,
    ).toBe(404);
  });

  it('rate-limits each key, with the headers and Retry-After', async () => {
    const { key } = await createApiKey(app.database.db, {
      name: 'tiny',
      scopes: ['read'],
      rateLimitPerMinute: 2,
    });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await call(customerConversations, { key, params: { id: 'pager' } });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await last!.json()).error.code).toBe('rate_limited:api');
  });
});

describe('sliding-window rate limit', () => {
  it('counts the previous window by how much of it still overlaps', async () => {
    const cache = createMemoryCache({ prefix: 't:' });
    const minute = 60_000;
    const start = 100 * minute;
    for (let i = 0; i < 10; i++) await slidingWindowLimit(cache, 'k', 10, { now: start + 30_000 });
    // Half of the previous minute still overlaps: 10 × 0.5 = 5 used, so 5 more pass.
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push(await slidingWindowLimit(cache, 'k', 10, { now: start + minute + 30_000 }));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false]);
    expect(results[5]!.retryAfterSeconds).toBeGreaterThan(0);
    await cache.close();
  });
});
