import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as postAsync } from '@/app/api/v1/messages/async/route';
import { POST as postMessage } from '@/app/api/v1/messages/route';
import { GET as getTask } from '@/app/api/v1/tasks/[id]/route';
import { messages } from '@/db/schema';
import { createApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let writeKey: string;
let readKey: string;
let otherKey: string;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp({ TANDEM_JOBS_POLL_MS: '50' }));
  const create = async (name: string, scopes: ('read' | 'write')[]) =>
    (await createApiKey(app.database.db, { name, scopes })).key;
  writeKey = await create('shop backend', ['read', 'write']);
  readKey = await create('reporting', ['read']);
  otherKey = await create('another shop', ['read', 'write']);
});
afterAll(() => stop());

function call(
  handler: (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response>,
  init: { key?: string; body?: unknown; headers?: Record<string, string>; id?: string } = {},
) {
  return handler(
    new Request('http://localhost/api/v1/x', {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    { params: Promise.resolve({ id: init.id ?? '' }) },
  );
}

async function waitForTask(id: string, key = writeKey) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await call(getTask, { key, id });
    const task = await response.json();
    if (task.status === 'completed' || task.status === 'failed' || Date.now() > deadline)
      return task;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const comparable = (reply: Record<string, unknown>) => {
  const { conversation_id, customer_message_id, message_id, processing_ms, ...rest } = reply;
  return rest;
};

describe('POST /api/v1/messages/async and GET /api/v1/tasks/{id}', () => {
  it('answers 202 with a task whose completed result equals the sync endpoint’s answer', async () => {
    const question = 'How do I reset my password?';
    const accepted = await call(postAsync, {
      key: writeKey,
      body: { customer_id: 'async-user-1', message: question },
    });
    expect(accepted.status).toBe(202);
    const { task_id } = await accepted.json();
    expect(task_id).toMatch(/^[0-9a-f-]{36}$/);

    const task = await waitForTask(task_id);
    expect(task).toMatchObject({ id: task_id, status: 'completed' });

    const sync = await call(postMessage, {
      key: writeKey,
      body: { customer_id: 'async-user-2', message: question },
    });
    const syncBody = await sync.json();
    expect(comparable(task.result)).toEqual(comparable(syncBody));
    expect(task.result.reply).toMatch(/password/i);

    // Exactly one customer message and one answer were stored for the task.
    const stored = await app.database.db
      .select({ role: messages.role })
      .from(messages)
      .where(eq(messages.conversationId, task.result.conversation_id));
    expect(stored.map((m) => m.role).sort()).toEqual(['ai', 'customer']);
  });

  it('continues a conversation given by id, and fails the task for another customer’s one', async () => {
    const first = await waitForTask(
      (
        await (
          await call(postAsync, {
            key: writeKey,
            body: { customer_id: 'async-user-3', message: 'Where is my parcel?' },
          })
        ).json()
      ).task_id,
    );
    const conversationId = first.result.conversation_id;
    const next = await waitForTask(
      (
        await (
          await call(postAsync, {
            key: writeKey,
            body: {
              customer_id: 'async-user-3',
              message: 'Thanks',
              conversation_id: conversationId,
            },
          })
        ).json()
      ).task_id,
    );
    expect(next.result.conversation_id).toBe(conversationId);

    const stolen = await waitForTask(
      (
        await (
          await call(postAsync, {
            key: writeKey,
            body: { customer_id: 'intruder', message: 'hello', conversation_id: conversationId },
          })
        ).json()
      ).task_id,
    );
    expect(stolen).toMatchObject({
      status: 'failed',
      error: { code: 'not_found:conversation' },
    });
  });

  it('refuses a missing or bad key (401), a read-only key (403), bad input (400) and other keys’ tasks (404)', async () => {
    const body = { customer_id: 'x', message: 'hi' };
    expect((await call(postAsync, { body })).status).toBe(401);
    expect((await call(postAsync, { key: 'tdm_bogus_key', body })).status).toBe(401);
    const forbidden = await call(postAsync, { key: readKey, body });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe('forbidden:api');
    const bad = await call(postAsync, { key: writeKey, body: { customer_id: '', message: 'hi' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.fields).toEqual([
      expect.objectContaining({ field: 'customer_id' }),
    ]);

    const { task_id } = await (await call(postAsync, { key: writeKey, body })).json();
    expect((await call(getTask, { id: task_id })).status).toBe(401);
    // Another key's task, or no task at all, is not found.
    expect((await call(getTask, { key: otherKey, id: task_id })).status).toBe(404);
    expect((await call(getTask, { key: writeKey, id: 'nope' })).status).toBe(404);
    await waitForTask(task_id);
  });

  it('replays an Idempotency-Key: the first task comes back and nothing new is queued or stored', async () => {
    const body = { customer_id: 'async-user-4', message: 'How do I reset my password?' };
    const headers = { 'idempotency-key': 'order-77-q1' };
    const first = await call(postAsync, { key: writeKey, body, headers });
    expect(first.status).toBe(202);
    const { task_id } = await first.json();
    await waitForTask(task_id);
    const before = (await app.database.db.select({ n: count() }).from(messages))[0]!.n;

    const again = await call(postAsync, { key: writeKey, body, headers });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual({ task_id });
    await new Promise((r) => setTimeout(r, 300));
    expect((await app.database.db.select({ n: count() }).from(messages))[0]!.n).toBe(before);

    const changed = await call(postAsync, {
      key: writeKey,
      body: { ...body, message: 'Something else' },
      headers,
    });
    expect(changed.status).toBe(409);
  });
});
