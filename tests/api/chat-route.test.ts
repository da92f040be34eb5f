import { count, desc } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST } from '@/app/api/chat/route';
import { conversations, customers, messages } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
});

afterAll(() => stop());

function chat(body: unknown, cookie?: string) {
  return POST(
    new NextRequest('http://localhost/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

const message = (text: string, id: string = crypto.randomUUID()) => ({
  message: { id, role: 'user', parts: [{ type: 'text', text }] },
});

async function readChunks(response: Response) {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice(6)) as { type: string; [key: string]: unknown });
}

async function rowCounts() {
  const { db } = app.database;
  const [[c], [v], [m]] = await Promise.all([
    db.select({ n: count() }).from(customers),
    db.select({ n: count() }).from(conversations),
    db.select({ n: count() }).from(messages),
  ]);
  return { customers: c!.n, conversations: v!.n, messages: m!.n };
}

describe('POST /api/chat (PGlite, offline model)', () => {
  let cookie = '';
  let conversationId = '';

  it('streams a cited answer, sets the session cookie and stores both messages', async () => {
    const response = await chat(message('How do I reset my password?'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(
      /^tandem_customer=[0-9a-f-]{36}\.0\.\d+\.[\w-]+; Path=\/; HttpOnly; Max-Age=\d+; SameSite=Lax$/,
    );
    cookie = setCookie.split(';')[0]!;
    // The same token for a widget that cannot keep cookies (a third-party frame).
    expect(response.headers.get('x-tandem-session')).toBe(cookie.slice('tandem_customer='.length));
    conversationId = response.headers.get('x-conversation-id')!;

    const chunks = await readChunks(response);
    const deltas = chunks.filter((c) => c.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(20);
    expect(chunks.filter((c) => c.type === 'source-url')).toEqual([
      {
        type: 'source-url',
        sourceId: 'reset-your-password',
        url: '/kb/reset-your-password',
        title: 'Reset your password',
      },
    ]);

    await vi.waitFor(async () => expect((await rowCounts()).messages).toBe(2));
    const stored = await app.database.db.select().from(messages);
    const answer = stored.find((m) => m.role === 'ai')!;
    expect(answer.content).toBe(deltas.map((d) => d.delta).join(''));
    expect(answer.content.startsWith('**Reset a forgotten password**\n\n1. Go to')).toBe(true);
    expect(answer.metadata.citations?.map((c) => c.slug)).toEqual(['reset-your-password']);
    expect(answer.metadata.abstained).toBe(false);
  });

  it('continues the same conversation with the session cookie', async () => {
    const response = await chat(
      { ...message('What is the capital of France?'), conversationId },
      cookie,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    const chunks = await readChunks(response);
    expect(chunks.find((c) => c.type === 'finish')).toMatchObject({
      messageMetadata: { conversationId, abstained: true, citations: [] },
    });
    expect((await rowCounts()).conversations).toBe(1);
  });

  it.each([
    ['invalid JSON', () => chat('{"message":'), 400, 'bad_request:chat'],
    ['an empty message', () => chat(message('  ')), 400, 'bad_request:chat'],
    ['a 100 KB message', () => chat(message('x'.repeat(100 * 1024))), 400, 'bad_request:chat'],
    [
      'a body over the upload limit',
      () => chat(message('x'.repeat(30 * 1024 * 1024))),
      413,
      'payload_too_large:chat',
    ],
    [
      'a message over the character limit',
      () => chat(message('y'.repeat(4001))),
      400,
      'bad_request:chat',
    ],
    [
      'a malformed body',
      () => chat({ message: { id: 'x', role: 'assistant', parts: [] } }),
      400,
      'bad_request:chat',
    ],
    [
      'an unknown conversation id',
      () => chat({ ...message('Hi'), conversationId: crypto.randomUUID() }, cookie),
      404,
      'not_found:conversation',
    ],
    [
      "another customer's conversation",
      () => chat({ ...message('Hi'), conversationId }),
      403,
      'forbidden:conversation',
    ],
    [
      'a forged session cookie',
      () => chat({ ...message('Hi'), conversationId }, `${cookie.slice(0, -2)}xx`),
      403,
      'forbidden:conversation',
    ],
  ])('refuses %s with a clear JSON error and stores nothing', async (_, send, status, code) => {
    const before = await rowCounts();
    const response = await send();
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/\w{3,}/);
    expect(await rowCounts()).toEqual(before);
  });

  it('stores the whole answer even when the customer leaves mid-stream', async () => {
    const before = await rowCounts();
    const response = await chat(
      { ...message('How long do refunds take?'), conversationId },
      cookie,
    );
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await vi.waitFor(async () => expect((await rowCounts()).messages).toBe(before.messages + 2));
    const [answer] = await app.database.db
      .select()
      .from(messages)
      .orderBy(desc(messages.createdAt))
      .limit(1);
    expect(answer!.role).toBe('ai');
    expect(answer!.metadata.citations?.map((c) => c.slug)).toEqual(['refund-policy']);
  });

  it('refuses a repeated message id without storing it twice', async () => {
    const id = crypto.randomUUID();
    const first = await chat({ ...message('Where is my parcel?', id), conversationId }, cookie);
    await first.text();
    await vi.waitFor(async () => expect((await rowCounts()).messages).toBe(8));
    const again = await chat({ ...message('Where is my parcel?', id), conversationId }, cookie);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe(
      'conflict:message',
    );
    expect((await rowCounts()).messages).toBe(8);
  });
});

describe('the session cookie over https', () => {
  it('is cross-site, Secure and partitioned, so an embedded widget keeps its session', async () => {
    const { customerCookieHeader } = await import('@/lib/customers/session');
    expect(customerCookieHeader('token', { secure: true })).toBe(
      'tandem_customer=token; Path=/; HttpOnly; Max-Age=2592000; SameSite=None; Secure; Partitioned',
    );
  });
});
