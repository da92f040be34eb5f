import type { UIMessageChunk } from 'ai';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PUT as putAction } from '@/app/api/admin/actions/[id]/route';
import { POST as testAction } from '@/app/api/admin/actions/[id]/test/route';
import {
  DELETE as deleteConnector,
  PUT as putConnector,
} from '@/app/api/admin/connectors/[id]/route';
import { POST as importTools, GET as listTools } from '@/app/api/admin/connectors/[id]/tools/route';
import { POST as createConnector, GET as listConnectors } from '@/app/api/admin/connectors/route';
import { GET as apiGetConnector } from '@/app/api/v1/connectors/[id]/route';
import { GET as apiListTools } from '@/app/api/v1/connectors/[id]/tools/route';
import {
  POST as apiCreateConnector,
  GET as apiListConnectors,
} from '@/app/api/v1/connectors/route';
import { actionCalls, mcpConnectors } from '@/db/schema';
import {
  type ActionDeps,
  actionDepsOf,
  confirmCall,
  requestCall,
  runCall,
} from '@/lib/actions/calls';
import { listConnectorTools } from '@/lib/actions/mcp';
import { findActionByName, getAction } from '@/lib/actions/queries';
import { createApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { recordCustomerMessage } from '@/lib/conversations/queries';
import { upsertCustomerByExternalId } from '@/lib/customers/queries';
import { log } from '@/lib/log';
import { exportCustomerData } from '@/lib/privacy/customer-data';
import { signedInStaff, startServedTestApp } from '../harness/app';
import { askTurn } from '../harness/customer-turn';
import { startMcpServer } from './mcp-server';

const KEY = 'mcp_live_CONNECTORSECRET_31';

let app: AppContext;
let stop: () => Promise<void>;
let mcp: Awaited<ReturnType<typeof startMcpServer>>;
let admin: string;
let agent: string;
let apiKey: string;
let deps: ActionDeps;
let connectorId: string;
let ann: { customerId: string; conversationId: string };
const logged: string[] = [];

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp({ TANDEM_ACTIONS_ALLOWED_HOSTS: '127.0.0.1' }));
  mcp = await startMcpServer({ requiredKey: KEY });
  admin = (await signedInStaff(app, 'admin', 'Ada')).cookie;
  agent = (await signedInStaff(app, 'agent', 'Dana')).cookie;
  apiKey = (
    await createApiKey(app.database.db, {
      name: 'admin',
      scopes: ['admin'],
      rateLimitPerMinute: 1000,
    })
  ).key;
  deps = actionDepsOf(app);
  const customer = await upsertCustomerByExternalId(app.database.db, {
    externalId: 'u-ann',
    email: 'ann@example.com',
  });
  const { conversation } = await recordCustomerMessage(app.database.db, {
    customerId: customer.id,
    content: 'Where is my order?',
  });
  ann = { customerId: customer.id, conversationId: conversation.id };
  log.level = 'debug';
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    vi.spyOn(log, level).mockImplementation(((...args: unknown[]) => {
      logged.push(
        JSON.stringify(args, (_k, v) => (v instanceof Error ? `${v.message} ${v.stack}` : v)),
      );
    }) as never);
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  log.level = 'silent';
  await mcp?.close();
  await stop();
});

const asStaff = (method: string, cookie: string, body?: unknown) =>
  new Request('http://localhost/api/admin/connectors', {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const asKey = (method: string, body?: unknown) =>
  new Request('http://localhost/api/v1/connectors', {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const ctx = (params: Record<string, string> = {}) => ({
  params: Promise.resolve(params) as Promise<{ id: string }>,
});

async function stored(): Promise<string> {
  const rows = await Promise.all(
    ['mcp_connectors', 'actions', 'audit_log', 'action_calls'].map((t) =>
      app.database.db.execute(sql.raw(`select * from ${t}`)),
    ),
  );
  return JSON.stringify(rows);
}

describe('MCP connectors', () => {
  it('are added by an admin with a write-only secret header, encrypted at rest', async () => {
    expect((await createConnector(asStaff('POST', agent, {}), ctx())).status).toBe(403);
    const bad = await createConnector(
      asStaff('POST', admin, { name: 'Orders', url: 'ftp://orders.example' }),
      ctx(),
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.fields[0].field).toBe('url');

    const response = await createConnector(
      asStaff('POST', admin, {
        name: 'Orders',
        url: mcp.url,
        headers: [{ name: 'X-Api-Key', value: KEY, secret: true }],
      }),
      ctx(),
    );
    expect(response.status).toBe(201);
    const created = await response.json();
    connectorId = created.id;
    expect(created.headers).toEqual([{ name: 'X-Api-Key', secret: true, set: true }]);
    const [row] = await app.database.db
      .select()
      .from(mcpConnectors)
      .where(eq(mcpConnectors.id, connectorId));
    expect(row!.secrets['x-api-key']).toMatch(/^v1\./);
    const listed = await (await listConnectors(asStaff('GET', admin), ctx())).json();
    const viaApi = await (await apiListConnectors(asKey('GET'), ctx())).json();
    const one = await (await apiGetConnector(asKey('GET'), ctx({ id: 'Orders' }))).json();
    expect(one).toMatchObject({ id: connectorId, timeout_ms: 10_000 });
    for (const body of [created, listed, viaApi, one]) {
      expect(JSON.stringify(body)).not.toContain('CONNECTORSECRET');
    }
  });

  it("lists the server's tools as draft actions: read-only hints, typed inputs, what cannot be offered", async () => {
    const response = await listTools(asStaff('GET', admin), ctx({ id: connectorId }));
    expect(response.status).toBe(200);
    const { tools } = await response.json();
    const byName = Object.fromEntries(tools.map((t: { name: string }) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([
      'bulk_export',
      'cancel_order',
      'lookupOrder',
      'warrantyStatus',
    ]);
    expect(byName.lookupOrder).toMatchObject({
      title: 'Look up an order',
      readOnly: true,
      importable: true,
      draft: {
        kind: 'mcp',
        name: 'lookup_order',
        effect: 'read',
        inputs: [
          { name: 'order_id', type: 'string', description: 'The order number, like A1001' },
          { name: 'customer', type: 'string' },
        ],
        mcp: { connectorId, tool: 'lookupOrder', argumentNames: { order_id: 'orderId' } },
      },
    });
    expect(byName.cancel_order).toMatchObject({
      readOnly: false,
      draft: { effect: 'write', inputs: [{}, { name: 'reason', type: 'enum' }] },
    });
    expect(byName.bulk_export.importable).toBe(false);
    // Every request carried the secret header, sent by the guarded fetch.
    expect(mcp.requests.length).toBeGreaterThan(0);
    expect(mcp.requests.every((r) => r.apiKey === KEY)).toBe(true);
    const viaApi = await (await apiListTools(asKey('GET'), ctx({ id: connectorId }))).json();
    expect(viaApi.data.map((t: { name: string }) => t.name)).toContain('lookupOrder');
  });

  it('refuses a server on a private address the address guard does not allow', async () => {
    await expect(
      listConnectorTools(
        { ...deps, network: { allowPrivateNetworks: false, allowedHosts: [] } },
        connectorId,
      ),
    ).rejects.toMatchObject({ code: 'forbidden:action' });
  });

  let lookupId: string;
  let cancelId: string;

  it('makes actions of the chosen tools, turned off, then runs one under its output allowlist', async () => {
    const refused = await importTools(
      asStaff('POST', admin, { tools: ['bulk_export'] }),
      ctx({ id: connectorId }),
    );
    expect(refused.status).toBe(400);
    const response = await importTools(
      asStaff('POST', admin, { tools: ['lookupOrder', 'cancel_order'] }),
      ctx({ id: connectorId }),
    );
    expect(response.status).toBe(201);
    const { created } = await response.json();
    // The demo's own cancel_order is taken, so the connector's name goes before the tool's.
    expect(await findActionByName(app.database.db, 'cancel_order')).not.toBeNull();
    expect(created.map((a: { name: string; enabled: boolean }) => [a.name, a.enabled])).toEqual([
      ['lookup_order', false],
      ['orders_cancel_order', false],
    ]);
    lookupId = created[0].id;
    cancelId = created[1].id;

    // The admin lets the bot see only the status, binds the customer to the verified identity.
    const lookup = await getAction(app.database.db, lookupId);
    if (lookup.kind !== 'mcp') throw new Error('expected an MCP action');
    const { id: _id, secrets: _s, createdAt: _c, updatedAt: _u, ...definition } = lookup;
    const edited = {
      ...definition,
      inputs: [
        definition.inputs[0],
        { name: 'customer', type: 'string', fromCustomer: 'site_user_id' },
      ],
      mcp: { ...lookup.mcp, responseFields: ['order.status', 'order.id', 'debug.apiKey'] },
      replyTemplate: 'Order {result.order.id} is {result.order.status}.',
      enabled: true,
    };
    const put = await putAction(
      new Request('http://localhost/api/admin/actions', {
        method: 'PUT',
        headers: { cookie: admin, 'content-type': 'application/json' },
        body: JSON.stringify(edited),
      }),
      ctx({ id: lookupId }),
    );
    expect(put.status).toBe(200);

    const tested = await testAction(
      new Request('http://localhost/api/admin/actions', {
        method: 'POST',
        headers: { cookie: admin, 'content-type': 'application/json' },
        body: JSON.stringify({ input: { order_id: 'A1001' }, customer: { site_user_id: 'u-7' } }),
      }),
      ctx({ id: lookupId }),
    );
    const result = await tested.json();
    expect(result).toMatchObject({
      ok: true,
      response: {
        data: { order: { status: 'dispatched', id: 'A1001' }, debug: { apiKey: '••••••' } },
      },
      reply: 'Order A1001 is dispatched.',
    });
    expect(result.response.data.order).not.toHaveProperty('internalNote');
    expect(mcp.calls.at(-1)).toMatchObject({
      tool: 'lookupOrder',
      args: { orderId: 'A1001', customer: 'u-7' },
      apiKey: KEY,
    });
    expect(JSON.stringify(result)).not.toContain('CONNECTORSECRET');
  });

  it("calls a tool through the calls runtime for a customer, with the verified customer's identity", async () => {
    const action = await getAction(app.database.db, lookupId);
    const call = await requestCall(deps, {
      action,
      ...ann,
      input: { order_id: 'A2002', customer: 'someone-else' },
    });
    expect(call.status).toBe('ready');
    const { call: ran, output } = await runCall(deps, call.id);
    expect(ran.status).toBe('completed');
    expect(output).toEqual({
      order: { status: 'dispatched', id: 'A2002' },
      debug: { apiKey: '••••••' },
    });
    // The model's made-up customer was dropped: the identity-bound input came from the customer.
    expect(mcp.calls.at(-1)!.args).toEqual({ orderId: 'A2002', customer: 'u-ann' });
  });

  it('asks the customer to confirm a write tool and never runs one whose confirmation lapsed', async () => {
    const action = await getAction(app.database.db, cancelId);
    await expect(
      requestCall(deps, { action, ...ann, input: { order_id: 'A1', reason: 'too_slow' } }),
    ).rejects.toMatchObject({ code: 'forbidden:action' });
    const enabled = { ...action, enabled: true };
    const before = mcp.calls.length;

    const fresh = await requestCall(deps, {
      action: enabled,
      ...ann,
      input: { order_id: 'A3003', reason: 'too_slow' },
    });
    expect(fresh.status).toBe('awaiting_confirmation');
    expect(fresh.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    await expect(runCall(deps, fresh.id)).rejects.toMatchObject({ code: 'conflict:action_call' });
    expect(mcp.calls.length).toBe(before);

    const lapsed = await requestCall(deps, {
      action: enabled,
      ...ann,
      input: { order_id: 'A4004', reason: 'changed_mind' },
    });
    await app.database.db
      .update(actionCalls)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(actionCalls.id, lapsed.id));
    await expect(
      confirmCall(deps, lapsed.id, { customerId: ann.customerId }),
    ).rejects.toMatchObject({
      code: 'conflict:action_call',
      message: expect.stringContaining('expired'),
    });
    const [row] = await app.database.db
      .select()
      .from(actionCalls)
      .where(eq(actionCalls.id, lapsed.id));
    expect(row!.status).toBe('expired');
    await expect(runCall(deps, lapsed.id)).rejects.toMatchObject({ code: 'conflict:action_call' });
    expect(mcp.calls.length).toBe(before);
  });

  it('keeps the secret out of every stored row, the export and the logs', async () => {
    const exported = await exportCustomerData(app, ann.customerId, {
      type: 'system',
      name: 'test',
    });
    expect(exported.action_calls.length).toBeGreaterThan(0);
    expect(JSON.stringify(exported) + (await stored()) + logged.join('\n')).not.toContain(
      'CONNECTORSECRET',
    );
  });

  it("answers a customer's turn with the tool's allowlisted result", async () => {
    const imported = await importTools(
      asStaff('POST', admin, { tools: ['warrantyStatus'], enable: true }),
      ctx({ id: connectorId }),
    );
    expect(imported.status).toBe(201);
    const [created] = (await imported.json()).created;
    const warranty = await getAction(app.database.db, created.id);
    if (warranty.kind !== 'mcp') throw new Error('expected an MCP action');
    const { id: _id, secrets: _s, createdAt: _c, updatedAt: _u, ...definition } = warranty;
    await putAction(
      new Request('http://localhost/api/admin/actions', {
        method: 'PUT',
        headers: { cookie: admin, 'content-type': 'application/json' },
        body: JSON.stringify({
          ...definition,
          inputs: [{ ...definition.inputs[0], pattern: 'SN-\\d{5}' }],
          examples: ['Is the warranty still valid for SN-12345?', 'warranty status of SN-54321'],
          mcp: { ...warranty.mcp, responseFields: ['warranty.status', 'warranty.ends_on'] },
          replyTemplate:
            'The warranty for {input.serial} is {result.warranty.status} until {result.warranty.ends_on}.',
        }),
      }),
      ctx({ id: warranty.id }),
    );
    const customer = await upsertCustomerByExternalId(app.database.db, { externalId: 'u-ann' });
    const before = mcp.calls.length;
    const turn = await askTurn(app, {
      customer,
      text: 'Is the warranty still valid for my blender, serial SN-24680?',
    });
    const chunks: UIMessageChunk[] = [];
    const reader = turn.stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks.push(next.value as UIMessageChunk);
    }
    await turn.answer;
    const text = chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : [])).join('');
    expect(text).toBe('The warranty for SN-24680 is active until 2027-03-01.');
    expect(mcp.calls.slice(before)).toEqual([
      { tool: 'warrantyStatus', args: { serial: 'SN-24680' }, apiKey: KEY },
    ]);
  });

  it('keeps a stored secret through an edit that leaves it blank; deleting it deletes its actions', async () => {
    const edit = await putConnector(
      asStaff('PUT', admin, {
        name: 'Orders',
        url: mcp.url,
        headers: [{ name: 'X-Api-Key', secret: true }],
        timeoutMs: 5000,
      }),
      ctx({ id: connectorId }),
    );
    expect(edit.status).toBe(200);
    expect((await edit.json()).timeoutMs).toBe(5000);
    const listed = await listTools(asStaff('GET', admin), ctx({ id: connectorId }));
    expect(listed.status).toBe(200);
    expect(mcp.requests.at(-1)!.apiKey).toBe(KEY);
    expect((await deleteConnector(asStaff('DELETE', agent), ctx({ id: connectorId }))).status).toBe(
      403,
    );
    const gone = await deleteConnector(asStaff('DELETE', admin), ctx({ id: connectorId }));
    expect(gone.status).toBe(204);
    await expect(getAction(app.database.db, lookupId)).rejects.toMatchObject({
      code: 'not_found:action',
    });
    // Its calls stay, under the action's name, for the history and the customer's export.
    const calls = await app.database.db
      .select()
      .from(actionCalls)
      .where(eq(actionCalls.actionName, 'lookup_order'));
    expect(calls.length).toBeGreaterThan(0);
  });

  it('the API refuses a connector with a bad address, naming the field', async () => {
    const response = await apiCreateConnector(
      asKey('POST', { name: 'x', url: 'not a url' }),
      ctx(),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.details.fields[0].field).toBe('url');
  });
});
