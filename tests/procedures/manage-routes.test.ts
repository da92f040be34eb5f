import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as publishRoute } from '@/app/api/admin/procedures/[id]/publish/route';
import {
  DELETE as deleteRoute,
  GET as getRoute,
  PUT as putRoute,
} from '@/app/api/admin/procedures/[id]/route';
import { POST as createRoute, GET as listRoute } from '@/app/api/admin/procedures/route';
import { POST as apiPublish } from '@/app/api/v1/procedures/[id]/publish/route';
import {
  DELETE as apiDelete,
  GET as apiGet,
  PUT as apiPut,
} from '@/app/api/v1/procedures/[id]/route';
import { POST as apiCreate, GET as apiList } from '@/app/api/v1/procedures/route';
import { auditLog } from '@/db/schema';
import { createApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { tokenFor } from '@/lib/customers/session';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let admin: string;
let agent: string;
let customer: string;
let adminKey: string;
let writeKey: string;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  admin = (await signedInStaff(app, 'admin', 'Ada')).cookie;
  agent = (await signedInStaff(app, 'agent', 'Dana')).cookie;
  const shopper = await createAnonymousCustomer(app.database.db);
  customer = `tandem_customer=${tokenFor(shopper, app.secret)}`;
  const key = (scopes: ('admin' | 'write')[]) =>
    createApiKey(app.database.db, { name: scopes[0]!, scopes, rateLimitPerMinute: 1000 });
  adminKey = (await key(['admin'])).key;
  writeKey = (await key(['write'])).key;
});
afterAll(() => stop());

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

function call(
  handler: Handler,
  {
    method = 'GET',
    cookie,
    key,
    body,
    id,
  }: { method?: string; cookie?: string; key?: string; body?: unknown; id?: string },
) {
  return handler(
    new Request(`http://localhost:3000/api/admin/procedures${id ? `/${id}` : ''}`, {
      method,
      headers: {
        host: 'localhost:3000',
        ...(cookie ? { cookie } : {}),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve<Record<string, string>>(id ? { id } : {}) },
  );
}

const errorOf = async (response: Response) =>
  (
    (await response.json()) as {
      error: { code: string; message: string; details?: { fields: { field: string }[] } };
    }
  ).error;

const procedure = (name: string, pattern = '#?PC\\d{6}') => ({
  name,
  description: 'A customer wants an order gift-wrapped.',
  steps: [
    { id: 'ask-order', type: 'ask', value: 'order_number', pattern, prompt: 'Which order?' },
    { id: 'done', type: 'end', text: 'We will wrap {order_number}.' },
  ],
});

describe('/api/admin/procedures', () => {
  let id: string;

  it('lets an admin create, read, save, publish and delete a procedure', async () => {
    const created = await call(createRoute, {
      method: 'POST',
      cookie: admin,
      body: procedure('gift_wrap'),
    });
    expect(created.status).toBe(201);
    const body = await created.json();
    id = body.id;
    expect(body).toMatchObject({ name: 'gift_wrap', draft: 'new', publishedVersion: null });

    const listed = await (await call(listRoute, { cookie: admin })).json();
    expect(listed.procedures.map((p: { name: string }) => p.name)).toContain('gift_wrap');

    const edited = procedure('gift_wrap');
    edited.steps[1] = { id: 'done', type: 'end', text: 'Wrapped: {order_number}.' };
    const put = await call(putRoute, { method: 'PUT', cookie: admin, body: edited, id });
    expect(put.status).toBe(200);
    expect((await put.json()).definition.steps[1].text).toBe('Wrapped: {order_number}.');

    const published = await call(publishRoute, { method: 'POST', cookie: admin, id });
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({
      publishedVersion: 1,
      draft: 'published',
      versions: [{ version: 1, current: true, publishedBy: 'Ada' }],
    });
    const again = await call(publishRoute, { method: 'POST', cookie: admin, id });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('conflict:procedure');

    const one = await (await call(getRoute, { cookie: admin, id })).json();
    expect(one.published.steps[1].text).toBe('Wrapped: {order_number}.');

    // One entry a change, written by the domain in words (no generic route entry besides).
    const entries = await app.database.db.select().from(auditLog).where(eq(auditLog.subjectId, id));
    expect(entries.map((e) => e.action).sort()).toEqual([
      'procedure.created',
      'procedure.published',
      'procedure.saved',
    ]);
    expect(entries.find((e) => e.action === 'procedure.saved')?.details.summary).toBe(
      'Saved the draft of gift_wrap (version 1, 2 steps).',
    );
  });

  it('answers a bad definition with 400 naming each field, and stores nothing', async () => {
    const badPattern = await call(createRoute, {
      method: 'POST',
      cookie: admin,
      body: procedure('bad_pattern', '(PC'),
    });
    expect(badPattern.status).toBe(400);
    const error = await errorOf(badPattern);
    expect(error.code).toBe('bad_request:procedure');
    expect(error.details?.fields).toEqual([
      { field: 'steps.0.pattern', message: 'must be a valid regular expression' },
    ]);

    const badShape = await call(putRoute, {
      method: 'PUT',
      cookie: admin,
      id,
      body: { ...procedure('gift_wrap'), steps: [{ id: 'x', type: 'teleport' }] },
    });
    expect(badShape.status).toBe(400);
    expect((await errorOf(badShape)).details?.fields.map((f) => f.field)).toEqual(['steps.0.type']);
    const notJson = await createRoute(
      new Request('http://localhost:3000/api/admin/procedures', {
        method: 'POST',
        headers: { host: 'localhost:3000', cookie: admin, 'content-type': 'application/json' },
        body: '{"name":',
      }),
      { params: Promise.resolve({}) },
    );
    expect(notJson.status).toBe(400);
    const listed = await (await call(listRoute, { cookie: admin })).json();
    expect(listed.procedures.map((p: { name: string }) => p.name)).not.toContain('bad_pattern');
  });

  it('answers an unknown procedure with 404', async () => {
    for (const missing of [crypto.randomUUID(), 'gift_wrap']) {
      const response = await call(getRoute, { cookie: admin, id: missing });
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toMatch(/^not_found:/);
      expect(
        (await call(publishRoute, { method: 'POST', cookie: admin, id: missing })).status,
      ).toBe(404);
    }
  });

  it('refuses agents, customers and visitors, changing nothing', async () => {
    for (const [cookie, status] of [
      [agent, 403],
      [customer, 401],
      [undefined, 401],
    ] as const) {
      expect((await call(listRoute, { cookie })).status).toBe(status);
      expect((await call(getRoute, { cookie, id })).status).toBe(status);
      expect(
        (await call(createRoute, { method: 'POST', cookie, body: procedure('sneaky') })).status,
      ).toBe(status);
      expect(
        (await call(putRoute, { method: 'PUT', cookie, id, body: procedure('gift_wrap') })).status,
      ).toBe(status);
      expect((await call(publishRoute, { method: 'POST', cookie, id })).status).toBe(status);
      expect((await call(deleteRoute, { method: 'DELETE', cookie, id })).status).toBe(status);
    }
    const one = await (await call(getRoute, { cookie: admin, id })).json();
    expect(one).toMatchObject({ name: 'gift_wrap', draftVersion: 2 });
  });

  it('deletes it for an admin', async () => {
    const response = await call(deleteRoute, { method: 'DELETE', cookie: admin, id });
    expect(response.status).toBe(204);
    expect((await call(getRoute, { cookie: admin, id })).status).toBe(404);
    const [entry] = await app.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'procedure.deleted'));
    expect(entry?.details.summary).toBe('Deleted procedure gift_wrap (published version 1).');
  });
});

describe('/api/v1/procedures', () => {
  const apiProcedure = (maxAttempts = 2) => ({
    name: 'api_gift_wrap',
    description: 'A customer wants an order gift-wrapped.',
    steps: [
      {
        id: 'ask-order',
        type: 'ask',
        value: 'order_number',
        value_type: 'string',
        max_attempts: maxAttempts,
        retry_prompt: 'It looks like #PC104962.',
        prompt: 'Which order?',
      },
      { id: 'done', type: 'end' },
    ],
  });

  it('takes and shows snake_case fields, by id or name, with an admin key', async () => {
    const created = await call(apiCreate, { method: 'POST', key: adminKey, body: apiProcedure() });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body).toMatchObject({
      name: 'api_gift_wrap',
      draft: 'new',
      draft_version: 1,
      published_version: null,
      definition: {
        steps: [
          { value_type: 'string', max_attempts: 2, retry_prompt: expect.any(String) },
          { id: 'done', type: 'end' },
        ],
      },
    });
    const published = await call(apiPublish, {
      method: 'POST',
      key: adminKey,
      id: 'api_gift_wrap',
    });
    expect(await published.json()).toMatchObject({
      published_version: 1,
      versions: [{ version: 1, current: true, published_by: 'admin' }],
    });
    const byId = await (await call(apiGet, { key: adminKey, id: body.id })).json();
    expect(byId.name).toBe('api_gift_wrap');
    const list = await (await call(apiList, { key: adminKey })).json();
    expect(list.data).toContainEqual(
      expect.objectContaining({ name: 'api_gift_wrap', step_count: 2, published_version: 1 }),
    );
  });

  it('names fields as the caller wrote them in a 400, and answers unknown names with 404', async () => {
    const bad = await call(apiPut, {
      method: 'PUT',
      key: adminKey,
      id: 'api_gift_wrap',
      body: apiProcedure(99),
    });
    expect(bad.status).toBe(400);
    const error = await errorOf(bad);
    expect(error.code).toBe('bad_request:procedure');
    expect(error.details?.fields.map((f) => f.field)).toEqual(['steps.0.max_attempts']);
    expect(error.message).toContain('steps.0.max_attempts');
    const missing = await call(apiGet, { key: adminKey, id: 'no_such_procedure' });
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('not_found:procedure');
  });

  it('refuses a key without the admin scope, and no key', async () => {
    for (const [key, status] of [
      [writeKey, 403],
      [undefined, 401],
    ] as const) {
      expect((await call(apiList, { key })).status).toBe(status);
      expect((await call(apiCreate, { method: 'POST', key, body: apiProcedure() })).status).toBe(
        status,
      );
      expect((await call(apiDelete, { method: 'DELETE', key, id: 'api_gift_wrap' })).status).toBe(
        status,
      );
    }
    const deleted = await call(apiDelete, { method: 'DELETE', key: adminKey, id: 'api_gift_wrap' });
    expect(deleted.status).toBe(204);
    const entry = (
      await app.database.db.select().from(auditLog).where(eq(auditLog.action, 'procedure.deleted'))
    ).find((e) => e.details.name === 'api_gift_wrap');
    expect(entry).toMatchObject({
      actorType: 'api',
      actorName: 'admin',
      details: { summary: 'Deleted procedure api_gift_wrap (published version 1).' },
    });
  });
});
