import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GET as getRoute,
  PUT as putRoute,
  DELETE as removeRoute,
  PATCH as switchRoute,
} from '@/app/api/admin/actions/[id]/route';
import { POST as testRoute } from '@/app/api/admin/actions/[id]/test/route';
import { POST as importRoute } from '@/app/api/admin/actions/import/route';
import { POST as createRoute, GET as listRoute } from '@/app/api/admin/actions/route';
import { GET as apiGet } from '@/app/api/v1/actions/[id]/route';
import { POST as apiCreate, GET as apiList } from '@/app/api/v1/actions/route';
import { actions, auditLog } from '@/db/schema';
import { createApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { signedInStaff, startServedTestApp } from '../harness/app';
import { startShopServer } from './shop-server';

const SECRET = 'sk_live_ROUTESECRET_77';
const NEW_SECRET = 'sk_live_ROTATED_88';

let app: AppContext;
let stop: () => Promise<void>;
let shop: Awaited<ReturnType<typeof startShopServer>>;
let admin: string;
let agent: string;
let adminKey: string;
let writeKey: string;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp({ TANDEM_ACTIONS_ALLOWED_HOSTS: '127.0.0.1' }));
  shop = await startShopServer();
  admin = (await signedInStaff(app, 'admin', 'Ada')).cookie;
  agent = (await signedInStaff(app, 'agent', 'Dana')).cookie;
  const key = (scopes: ('admin' | 'write')[]) =>
    createApiKey(app.database.db, { name: scopes[0]!, scopes, rateLimitPerMinute: 1000 });
  adminKey = (await key(['admin'])).key;
  writeKey = (await key(['write'])).key;
});
afterAll(async () => {
  await shop?.close();
  await stop();
});

const asStaff = (method: string, cookie: string | undefined, body?: unknown) =>
  new Request('http://localhost/api/admin/actions', {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const asKey = (method: string, key: string, body?: unknown) =>
  new Request('http://localhost/api/v1/actions', {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const ctx = (params: Record<string, string> = {}) => ({
  params: Promise.resolve(params) as Promise<{ id: string }>,
});

const definition = (overrides: Record<string, unknown> = {}) => ({
  kind: 'http',
  name: 'order_lookup',
  label: 'Look up an order',
  description: 'Look up an order by its number.',
  effect: 'read',
  inputs: [
    { name: 'order_number', type: 'string', pattern: 'A\\d{4}' },
    { name: 'who', type: 'string', fromCustomer: 'site_user_id' },
  ],
  http: {
    method: 'GET',
    url: `${shop.origin}/orders/{input.order_number}?customer={input.who}`,
    headers: [{ name: 'X-Api-Key', value: SECRET, secret: true }],
    responseFields: ['order.status', 'debug.apiKey'],
  },
  replyTemplate: 'Order {input.order_number} is {result.order.status}.',
  ...overrides,
});

async function stored(): Promise<string> {
  const rows = await Promise.all(
    ['actions', 'audit_log', 'action_calls'].map((t) =>
      app.database.db.execute(sql.raw(`select * from ${t}`)),
    ),
  );
  return JSON.stringify(rows);
}

describe('/api/admin/actions', () => {
  let id: string;

  it('creates an action whose secret header is write-only', async () => {
    const response = await createRoute(asStaff('POST', admin, definition()), ctx());
    expect(response.status).toBe(201);
    const created = await response.json();
    id = created.id;
    expect(created.http.headers).toEqual([{ name: 'X-Api-Key', secret: true, set: true }]);
    const listed = await (await listRoute(asStaff('GET', admin), ctx())).json();
    const one = await (await getRoute(asStaff('GET', admin), ctx({ id }))).json();
    for (const body of [created, listed, one]) expect(JSON.stringify(body)).not.toContain(SECRET);
    const [row] = await app.database.db.select().from(actions).where(eq(actions.id, id));
    expect(row!.secrets['x-api-key']).toMatch(/^v1\./);
    expect(await stored()).not.toContain('ROUTESECRET');
  });

  it('tests it with sample values, showing the request and answer with the secret masked', async () => {
    const response = await testRoute(
      asStaff('POST', admin, {
        input: { order_number: 'A1001' },
        customer: { site_user_id: 'u-7' },
      }),
      ctx({ id }),
    );
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(shop.seen.at(-1)).toMatchObject({
      url: '/orders/A1001?customer=u-7',
      headers: { 'x-api-key': SECRET },
    });
    expect(result).toMatchObject({
      ok: true,
      request: { method: 'GET', headers: { 'x-api-key': '••••••' } },
      response: {
        status: 200,
        data: { order: { status: 'shipped' }, debug: { apiKey: '••••••' } },
      },
      reply: 'Order A1001 is shipped.',
    });
    // The whole answer is shown for choosing fields, the echoed key masked in it too.
    expect(result.raw.text).toContain('internalNote');
    expect(JSON.stringify(result)).not.toContain(SECRET);
    const missing = await testRoute(
      asStaff('POST', admin, { input: { order_number: 'A1001' } }),
      ctx({ id }),
    );
    expect(missing.status).toBe(400);
  });

  it('keeps a stored secret through an edit that leaves it blank, and replaces it when given', async () => {
    const keep = definition({
      label: 'Find an order',
      http: { ...definition().http, headers: [{ name: 'X-Api-Key', secret: true }] },
    });
    expect((await putRoute(asStaff('PUT', admin, keep), ctx({ id }))).status).toBe(200);
    await testRoute(
      asStaff('POST', admin, { input: { order_number: 'A1002' }, customer: { site_user_id: 'u' } }),
      ctx({ id }),
    );
    expect(shop.seen.at(-1)!.headers['x-api-key']).toBe(SECRET);

    const replace = definition({
      http: {
        ...definition().http,
        headers: [{ name: 'X-Api-Key', secret: true, value: NEW_SECRET }],
      },
    });
    await putRoute(asStaff('PUT', admin, replace), ctx({ id }));
    await testRoute(
      asStaff('POST', admin, { input: { order_number: 'A1003' }, customer: { site_user_id: 'u' } }),
      ctx({ id }),
    );
    expect(shop.seen.at(-1)!.headers['x-api-key']).toBe(NEW_SECRET);
    expect(await stored()).not.toContain('ROTATED');
  });

  it('audits each change by name, never with a value', async () => {
    await switchRoute(asStaff('PATCH', admin, { enabled: true }), ctx({ id }));
    const entries = await app.database.db
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(eq(auditLog.subjectId, id));
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'action.created',
        'action.tested',
        'action.updated',
        'action.enabled',
      ]),
    );
    expect(entries.find((e) => e.action === 'action.created')?.details).toMatchObject({
      name: 'order_lookup',
      secretHeadersSet: ['X-Api-Key'],
    });
  });

  it('is for admins only and names the fields it refuses', async () => {
    expect((await listRoute(asStaff('GET', agent), ctx())).status).toBe(403);
    expect((await createRoute(asStaff('POST', undefined, definition()), ctx())).status).toBe(401);
    const bad = await createRoute(
      asStaff('POST', admin, definition({ name: 'order_lookup', verifiedOnly: false })),
      ctx(),
    );
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.details.fields.map((f: { field: string }) => f.field)).toEqual(['verifiedOnly']);
    const taken = await createRoute(asStaff('POST', admin, definition()), ctx());
    expect(taken.status).toBe(409);
  });

  it("imports picked operations from a service's OpenAPI document, turned off", async () => {
    const source = { url: `${shop.origin}/openapi.json` };
    const preview = await (await importRoute(asStaff('POST', admin, source), ctx())).json();
    expect(preview.operations.map((o: { key: string }) => o.key)).toEqual([
      'GET /orders/{number}',
      'POST /orders/{number}/cancel',
    ]);
    const [lookup, cancel] = preview.operations;
    expect(lookup.definition).toMatchObject({
      name: 'get_order_status',
      effect: 'read',
      examples: ['Where is my order A1001?'],
      inputs: [
        { name: 'number', type: 'string', pattern: 'A\\d{4}', required: true },
        { name: 'customer', type: 'string', fromCustomer: 'site_user_id' },
      ],
      http: {
        method: 'GET',
        url: `${shop.origin}/orders/{input.number}?customer={input.customer}`,
        headers: [{ name: 'X-Api-Key', secret: true }],
        responseFields: ['order.number', 'order.status', 'items[].name'],
      },
    });
    expect(cancel.definition).toMatchObject({
      name: 'cancel_order',
      effect: 'write',
      inputs: [
        { name: 'number', type: 'string' },
        { name: 'reason', type: 'enum', choices: ['changed_mind', 'too_slow'], required: true },
        { name: 'notify', type: 'boolean', required: false },
      ],
      http: { method: 'POST', body: { reason: '{input.reason}', notify: '{input.notify}' } },
    });
    expect(cancel.warnings.join(' ')).toMatch(/address/);

    const created = await importRoute(
      asStaff('POST', admin, { ...source, operations: ['GET /orders/{number}'] }),
      ctx(),
    );
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body.created).toHaveLength(1);
    expect(body.created[0]).toMatchObject({ name: 'get_order_status', enabled: false });
    expect(body.created[0].http.headers).toEqual([{ name: 'X-Api-Key', secret: true, set: false }]);
  });

  it('refuses a document on a host actions may not call', async () => {
    const response = await importRoute(
      asStaff('POST', admin, { url: 'http://10.0.0.1/openapi.json' }),
      ctx(),
    );
    expect(response.status).toBe(403);
  });

  it('deletes an action', async () => {
    expect((await removeRoute(asStaff('DELETE', admin), ctx({ id }))).status).toBe(204);
    expect((await getRoute(asStaff('GET', admin), ctx({ id }))).status).toBe(404);
  });
});

describe('/api/v1/actions', () => {
  it('takes and shows definitions in snake_case, never a secret value', async () => {
    const response = await apiCreate(
      asKey('POST', adminKey, {
        kind: 'http',
        name: 'api_lookup',
        label: 'Look up an order',
        description: 'Look up an order.',
        effect: 'read',
        verified_only: true,
        inputs: [{ name: 'who', type: 'string', from_customer: 'email' }],
        http: {
          method: 'GET',
          url: `${shop.origin}/orders/A1?c={input.who}`,
          headers: [{ name: 'Authorization', value: `Bearer ${SECRET}`, secret: true }],
          response_fields: ['order.status'],
          timeout_ms: 2000,
        },
      }),
      ctx(),
    );
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created).toMatchObject({
      name: 'api_lookup',
      verified_only: true,
      inputs: [{ name: 'who', from_customer: 'email' }],
      http: {
        response_fields: ['order.status'],
        timeout_ms: 2000,
        headers: [{ name: 'Authorization', secret: true, set: true }],
      },
    });
    const byName = await (await apiGet(asKey('GET', adminKey), ctx({ id: 'api_lookup' }))).json();
    expect(byName.id).toBe(created.id);
    const listed = await apiList(asKey('GET', adminKey), ctx());
    expect(JSON.stringify([created, byName, await listed.json()])).not.toContain(SECRET);
  });

  it('needs the admin scope and names refused fields as the caller wrote them', async () => {
    expect((await apiList(asKey('GET', writeKey), ctx())).status).toBe(403);
    const bad = await apiCreate(
      asKey('POST', adminKey, {
        kind: 'http',
        name: 'api_bad',
        label: 'x',
        description: 'x',
        effect: 'read',
        verified_only: false,
        inputs: [{ name: 'who', type: 'string', from_customer: 'email' }],
        http: { method: 'GET', url: 'https://x.example/{input.who}', response_fields: ['a..b'] },
      }),
      ctx(),
    );
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'http.response_fields.0',
      'verified_only',
    ]);
  });
});
