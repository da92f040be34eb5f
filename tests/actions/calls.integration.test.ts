import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { actionCalls, auditLog, webhookDeliveries, webhookEndpoints } from '@/db/schema';
import { actionTool } from '@/lib/actions/as-tool';
import {
  type ActionDeps,
  approveCall,
  cancelCall,
  confirmCall,
  rejectCall,
  requestCall,
  runCall,
} from '@/lib/actions/calls';
import type { ActionDefinitionInput } from '@/lib/actions/definition';
import { createAction, presentAction, type StoredAction } from '@/lib/actions/queries';
import { SECRET_MASK } from '@/lib/actions/secrets';
import type { ToolContext } from '@/lib/ai/tools';
import { conversationsCsv } from '@/lib/analytics/export';
import { recordCustomerMessage } from '@/lib/conversations/queries';
import { createAnonymousCustomer, upsertCustomerByExternalId } from '@/lib/customers/queries';
import { log } from '@/lib/log';
import { exportCustomerData } from '@/lib/privacy/customer-data';
import { forgetWebhookSubscribers } from '@/lib/webhooks/events';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';
import { startShopServer } from './shop-server';

const SECRET = 'sk_live_TOPSECRET_4242';

let database: TestDatabaseContext;
let shop: Awaited<ReturnType<typeof startShopServer>>;
let deps: ActionDeps;
const people: Record<'ann' | 'bob' | 'anon', { customerId: string; conversationId: string }> =
  {} as never;
const logged: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  shop = await startShopServer();
  deps = {
    db: database.db,
    cache: database.cache,
    secret: database.secret,
    network: { allowPrivateNetworks: false, allowedHosts: ['127.0.0.1'] },
  };
  const start = async (customerId: string) =>
    (await recordCustomerMessage(database.db, { customerId, content: 'Hello' })).conversation.id;
  for (const [key, externalId] of [
    ['ann', 'u-ann'],
    ['bob', 'u-bob'],
  ] as const) {
    const customer = await upsertCustomerByExternalId(database.db, {
      externalId,
      email: `${key}@example.com`,
    });
    people[key] = { customerId: customer.id, conversationId: await start(customer.id) };
  }
  const anon = await createAnonymousCustomer(database.db);
  people.anon = { customerId: anon.id, conversationId: await start(anon.id) };
  // Every log line, at every level, to look for secrets in.
  log.level = 'debug';
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    vi.spyOn(log, level).mockImplementation(((...args: unknown[]) => {
      logged.push(
        JSON.stringify(args, (_k, v) => (v instanceof Error ? `${v.message} ${v.stack}` : v)),
      );
    }) as never);
  }
  await database.db.insert(webhookEndpoints).values({
    url: 'https://hooks.example.com/tandem',
    events: ['action.executed'],
    secret: 'whsec_test',
  });
  // Written past the endpoints module, so this instance is told as that module would tell it.
  forgetWebhookSubscribers(database.db);
});
afterAll(async () => {
  vi.restoreAllMocks();
  log.level = 'silent';
  await shop?.close();
  await database?.close();
});

let counter = 0;
async function define(overrides: Partial<ActionDefinitionInput> & { http?: object } = {}) {
  counter++;
  const { http, ...rest } = overrides;
  return createAction(database.db, database.secret, {
    kind: 'http',
    name: `order_action_${counter}`,
    label: 'Look up an order',
    description: "Look up one of the customer's orders.",
    effect: 'read',
    enabled: true,
    inputs: [
      { name: 'order_number', type: 'string', pattern: 'A\\d{4}' },
      { name: 'customer_ref', type: 'string', fromCustomer: 'site_user_id' },
    ],
    examples: ['Where is my order A1001?'],
    ...rest,
    http: {
      method: 'GET',
      url: `${shop.origin}/orders/{input.order_number}?customer={input.customer_ref}`,
      headers: [{ name: 'X-Api-Key', value: SECRET, secret: true }],
      responseFields: ['order.status', 'order.customer', 'debug.apiKey'],
      ...http,
    },
  } as ActionDefinitionInput);
}

const cancelAction = (extra: Partial<ActionDefinitionInput> = {}) =>
  define({
    label: 'Cancel an order',
    effect: 'write',
    http: {
      method: 'POST',
      url: `${shop.origin}/orders/{input.order_number}/cancel`,
      body: { by: '{customer.site_user_id}' },
      responseFields: ['order.status'],
    },
    ...extra,
  });

const ask = (action: StoredAction, who: keyof typeof people, input: Record<string, unknown>) =>
  requestCall(deps, { action, ...people[who], input });

const requestsTo = (path: string) => shop.seen.filter((r) => r.url.startsWith(path));

async function everythingStored(): Promise<string> {
  const tables = ['actions', 'action_calls', 'audit_log', 'webhook_deliveries', 'jobs'];
  const dumps = await Promise.all(
    tables.map((t) => database.db.execute(sql.raw(`select * from ${t}`))),
  );
  return JSON.stringify(dumps);
}

describe('secret headers', () => {
  it('are encrypted at rest, sent to the service, and shown to nobody', async () => {
    const action = await define();
    expect(JSON.stringify(presentAction(action))).not.toContain(SECRET);
    expect(presentAction(action).http?.headers).toEqual([
      { name: 'X-Api-Key', secret: true, set: true },
    ]);

    const call = await ask(action, 'ann', { order_number: 'A1001' });
    const { call: ran, output } = await runCall(deps, call.id);
    expect(ran.status).toBe('completed');
    expect(shop.seen.at(-1)!.headers['x-api-key']).toBe(SECRET);
    expect(ran.request?.headers['x-api-key']).toBe(SECRET_MASK);
    // The service echoed the key back in an allowlisted field: masked there too.
    expect(output).toEqual({
      order: { status: 'shipped', customer: 'u-ann' },
      debug: { apiKey: SECRET_MASK },
    });

    const stored = await everythingStored();
    expect(stored).toContain('action.executed');
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain('TOPSECRET');
    expect(logged.join('\n')).not.toContain('TOPSECRET');

    // Nor in what staff can export: the customer's data and the conversations.
    const exported = await exportCustomerData(database, people.ann.customerId, {
      type: 'system',
      name: 'test',
    });
    const csv = await new Response(
      conversationsCsv(database.db, {
        from: new Date(Date.now() - 86_400_000),
        to: new Date(Date.now() + 86_400_000),
        days: null,
      }),
    ).text();
    expect(csv).toContain(people.ann.conversationId);
    expect(JSON.stringify(exported) + csv).not.toContain('TOPSECRET');
  });
});

describe('identity-bound inputs', () => {
  it('are not offered to the model and are filled from the verified customer', async () => {
    const action = await define();
    const tool = actionTool(action, deps);
    const offered = z.toJSONSchema(tool.inputSchema) as { properties: Record<string, unknown> };
    expect(Object.keys(offered.properties)).toEqual(['order_number']);

    const ctx = {
      db: database.db,
      customerId: people.ann.customerId,
      conversationId: people.ann.conversationId,
      verified: true,
    } as ToolContext;
    // The model names another customer: the name is dropped and Ann's own id is sent.
    const output = await tool.run({ order_number: 'A1001', customer_ref: 'u-bob' }, ctx);
    expect(output).toMatchObject({
      status: 'completed',
      result: { order: { customer: 'u-ann' } },
    });
    expect(shop.seen.at(-1)!.url).toBe('/orders/A1001?customer=u-ann');
  });

  it('refuse an unverified customer without calling the service', async () => {
    const action = await define();
    const tool = actionTool(action, deps);
    const before = shop.seen.length;
    const output = await tool.run({ order_number: 'A1001' }, {
      db: database.db,
      customerId: people.anon.customerId,
      conversationId: people.anon.conversationId,
      verified: false,
    } as ToolContext);
    expect(output).toEqual({ error: expect.stringMatching(/signed-in customer/) });
    // Even a call recorded for them (say by a bug upstream) fails for want of an identity.
    const call = await ask(action, 'anon', { order_number: 'A1001' });
    const { call: ran } = await runCall(deps, call.id);
    expect(ran).toMatchObject({ status: 'failed', error: expect.stringMatching(/signed in/) });
    expect(shop.seen.length).toBe(before);
  });
});

describe('writes', () => {
  it('never run before the customer confirms, and run once after', async () => {
    const action = await cancelAction();
    const tool = actionTool(action, deps);
    const output = await tool.run({ order_number: 'A2001' }, {
      db: database.db,
      ...people.ann,
      verified: true,
    } as ToolContext);
    expect(output).toEqual({
      status: 'awaiting_confirmation',
      callId: expect.any(String),
      summary: 'Cancel an order (order number: A2001)',
    });
    const callId = (output as { callId: string }).callId;
    await expect(runCall(deps, callId)).rejects.toMatchObject({ code: 'conflict:action_call' });
    // Nobody else can confirm it for Ann.
    await expect(
      confirmCall(deps, callId, { customerId: people.bob.customerId }),
    ).rejects.toMatchObject({ code: 'not_found:action_call' });
    expect(requestsTo('/orders/A2001')).toEqual([]);

    const confirmed = await confirmCall(deps, callId, { customerId: people.ann.customerId });
    expect(confirmed.status).toBe('ready');
    const { call } = await runCall(deps, callId);
    expect(call.status).toBe('completed');
    expect(requestsTo('/orders/A2001/cancel').map((r) => JSON.parse(r.body))).toEqual([
      { by: 'u-ann' },
    ]);
    await expect(runCall(deps, callId)).rejects.toMatchObject({ code: 'conflict:action_call' });
    expect(requestsTo('/orders/A2001/cancel')).toHaveLength(1);
  });

  it('refuse to run when marked ready without a confirmation', async () => {
    const action = await cancelAction();
    const call = await ask(action, 'ann', { order_number: 'A2002' });
    // As if something other than calls.ts had written the status.
    await database.db
      .update(actionCalls)
      .set({ status: 'ready' })
      .where(eq(actionCalls.id, call.id));
    await expect(runCall(deps, call.id)).rejects.toThrow(/confirmed/);
    expect(requestsTo('/orders/A2002')).toEqual([]);
  });

  it('can be cancelled by the customer instead', async () => {
    const action = await cancelAction();
    const call = await ask(action, 'ann', { order_number: 'A2003' });
    expect((await cancelCall(deps, call.id, people.ann)).status).toBe('cancelled');
    await expect(confirmCall(deps, call.id, people.ann)).rejects.toMatchObject({
      code: 'conflict:action_call',
    });
    expect(requestsTo('/orders/A2003')).toEqual([]);
  });
});

describe('approval', () => {
  const agent = { type: 'staff', id: '', name: 'Dana', role: 'agent' } as const;
  let agentId: string;
  beforeAll(async () => {
    const { createStaff } = await import('@/lib/staff/queries');
    agentId = (
      await createStaff(database.db, {
        email: 'dana@example.com',
        name: 'Dana',
        role: 'agent',
        password: 'a good password',
      })
    ).id;
  });

  it('waits for an agent after the customer confirms, and runs only once approved', async () => {
    const action = await cancelAction({ needsApproval: true });
    const call = await ask(action, 'ann', { order_number: 'A3001' });
    const confirmed = await confirmCall(deps, call.id, people.ann);
    expect(confirmed.status).toBe('awaiting_approval');
    await expect(runCall(deps, call.id)).rejects.toMatchObject({ code: 'conflict:action_call' });
    expect(requestsTo('/orders/A3001')).toEqual([]);

    const approved = await approveCall(deps, call.id, { ...agent, id: agentId });
    expect(approved).toMatchObject({ status: 'ready', decidedById: agentId });
    expect((await runCall(deps, call.id)).call.status).toBe('completed');
    expect(requestsTo('/orders/A3001/cancel')).toHaveLength(1);
  });

  it('drops the call when the agent rejects it', async () => {
    const action = await cancelAction({ needsApproval: true });
    const call = await ask(action, 'ann', { order_number: 'A3002' });
    await confirmCall(deps, call.id, people.ann);
    const rejected = await rejectCall(deps, call.id, { ...agent, id: agentId }, 'Already shipped');
    expect(rejected).toMatchObject({ status: 'rejected', error: 'Already shipped' });
    await expect(approveCall(deps, call.id, { ...agent, id: agentId })).rejects.toThrow();
    await expect(runCall(deps, call.id)).rejects.toThrow();
    expect(requestsTo('/orders/A3002')).toEqual([]);
  });

  it('is asked for even a read when the action needs it', async () => {
    const action = await define({ needsApproval: true });
    const call = await ask(action, 'ann', { order_number: 'A3003' });
    expect(call.status).toBe('awaiting_approval');
  });
});

describe('limits and records', () => {
  it("refuses calls over the action's hourly limit for the customer, not for others", async () => {
    const action = await define({ rateLimitPerHour: 2 });
    await ask(action, 'ann', { order_number: 'A4001' });
    await ask(action, 'ann', { order_number: 'A4001' });
    await expect(ask(action, 'ann', { order_number: 'A4001' })).rejects.toMatchObject({
      code: 'rate_limited:action',
    });
    await expect(ask(action, 'bob', { order_number: 'A4001' })).resolves.toBeTruthy();
  });

  it('refuses an input that breaks its pattern, and a disabled action', async () => {
    const action = await define();
    await expect(ask(action, 'ann', { order_number: '1001; drop' })).rejects.toMatchObject({
      code: 'bad_request:action',
    });
    await expect(
      ask({ ...action, enabled: false }, 'ann', { order_number: 'A1001' }),
    ).rejects.toMatchObject({
      code: 'forbidden:action',
    });
  });

  it('audits each step and tells webhooks what ran, without its request', async () => {
    const action = await cancelAction();
    const call = await ask(action, 'ann', { order_number: 'A5001' });
    await confirmCall(deps, call.id, people.ann);
    await runCall(deps, call.id);
    const entries = await database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.subjectId, call.id))
      .orderBy(auditLog.at);
    expect(entries.map((e) => e.action)).toEqual([
      'action_call.requested',
      'action_call.confirmed',
      'action_call.started',
      'action_call.completed',
    ]);
    const deliveries = await database.db.select().from(webhookDeliveries);
    const payload = deliveries
      .map((d) => d.payload as { data: { action_call: { id: string } } })
      .find((p) => p.data.action_call.id === call.id);
    expect(payload?.data.action_call).toMatchObject({
      action: action.name,
      status: 'completed',
      output: { order: { status: 'cancelled' } },
    });
    expect(JSON.stringify(payload)).not.toMatch(/x-api-key|TOPSECRET/i);
  });
});
