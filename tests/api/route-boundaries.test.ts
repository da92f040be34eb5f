import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH as editCannedResponse } from '@/app/api/admin/canned-responses/[id]/route';
import { POST as createCannedResponse } from '@/app/api/admin/canned-responses/route';
import { PATCH as editWebhook } from '@/app/api/admin/webhooks/[id]/route';
import { POST as answerConsent } from '@/app/api/chat/consent/route';
import { POST as chat } from '@/app/api/chat/route';
import { POST as typing } from '@/app/api/console/conversations/[id]/typing/route';
import { GET as queue } from '@/app/api/console/queue/route';
import type { RouteContract } from '@/app/api/route-contract';
import { GET as insights } from '@/app/api/v1/customers/[id]/insights/route';
import { POST as identify } from '@/app/api/widget/identify/route';
import { cannedResponses, messages } from '@/db/schema';
import { createApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { saveWidgetOrigins } from '@/lib/settings/settings';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let admin: string;

const DESK = 'http://localhost:3000';
const SHOP = 'https://shop.example';

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  admin = (await signedInStaff(app, 'admin', 'Ada')).cookie;
  await saveWidgetOrigins(app.database.db, { origins: [SHOP] });
});
afterAll(() => stop());

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

function send(
  handler: Handler,
  init: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    json?: unknown;
    body?: string;
    params?: Record<string, string>;
  },
) {
  const headers: Record<string, string> = { host: 'localhost:3000', ...init.headers };
  if (init.json !== undefined) headers['content-type'] ??= 'application/json';
  return handler(
    new Request(`${DESK}${init.path ?? '/api/x'}`, {
      method: init.method ?? 'POST',
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    }),
    { params: Promise.resolve(init.params ?? {}) },
  );
}

const errorOf = async (response: Response) =>
  (
    (await response.json()) as {
      error: { code: string; message: string; details?: { fields: { field: string }[] } };
    }
  ).error;

const cannedCount = async () =>
  (await app.database.db.select({ n: count() }).from(cannedResponses))[0]!.n;

const canned = (shortcut: string) => ({ shortcut, title: 'Hello', content: 'Hi there' });

describe('staff writes: only JSON, only from the desk', () => {
  it('takes JSON from the desk’s own page, and from a client that is no browser', async () => {
    const fromPage = await send(createCannedResponse, {
      headers: { cookie: admin, 'sec-fetch-site': 'same-origin', origin: DESK },
      json: canned('hello-page'),
    });
    expect(fromPage.status).toBe(201);
    const fromScript = await send(createCannedResponse, {
      headers: { cookie: admin },
      json: canned('hello-script'),
    });
    expect(fromScript.status).toBe(201);
  });

  it('refuses a text/plain or form-encoded body with 415 and changes nothing', async () => {
    const before = await cannedCount();
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
      const response = await send(createCannedResponse, {
        headers: { cookie: admin, 'content-type': type },
        body: JSON.stringify(canned('forged')),
      });
      expect(response.status).toBe(415);
      expect((await errorOf(response)).code).toBe('unsupported_media_type:canned_response');
    }
    const untyped = await send(createCannedResponse, {
      headers: { cookie: admin },
      body: JSON.stringify(canned('untyped')),
    });
    expect(untyped.status).toBe(415);
    expect(await cannedCount()).toBe(before);
  });

  it('refuses a same-site page on another port, or another site, with 403 forbidden:origin', async () => {
    const before = await cannedCount();
    for (const headers of <Record<string, string>[]>[
      { 'sec-fetch-site': 'same-site', origin: 'http://localhost:4000' },
      { origin: 'http://localhost:4000' },
      { 'sec-fetch-site': 'cross-site', origin: SHOP },
    ]) {
      const response = await send(createCannedResponse, {
        headers: { cookie: admin, ...headers },
        json: canned('from-elsewhere'),
      });
      expect(response.status).toBe(403);
      const error = await errorOf(response);
      expect(error.code).toBe('forbidden:origin');
      expect(error.message).toContain('not from this desk');
    }
    expect(await cannedCount()).toBe(before);
  });

  it('holds a body-less action to the same rules: empty and untyped, from the desk', async () => {
    const conversation = { id: crypto.randomUUID() };
    const ok = await send(typing, {
      path: `/api/console/conversations/${conversation.id}/typing`,
      headers: { cookie: admin, 'sec-fetch-site': 'same-origin' },
      params: conversation,
    });
    expect(ok.status).toBe(204);
    const smuggled = await send(typing, {
      path: `/api/console/conversations/${conversation.id}/typing`,
      headers: { cookie: admin, 'content-type': 'text/plain' },
      body: 'x',
      params: conversation,
    });
    expect(smuggled.status).toBe(415);
    const forged = await send(typing, {
      path: `/api/console/conversations/${conversation.id}/typing`,
      headers: { cookie: admin, 'sec-fetch-site': 'same-site', origin: 'http://localhost:4000' },
      params: conversation,
    });
    expect(forged.status).toBe(403);
  });
});

describe('widget writes: the desk or an allowed widget origin', () => {
  it('takes an allowed widget origin, and refuses any other', async () => {
    const allowed = await send(answerConsent, {
      headers: { 'sec-fetch-site': 'cross-site', origin: SHOP },
      json: { decision: 'maybe', version: '1' },
    });
    // Past the origin check: the body is what is wrong.
    expect(allowed.status).toBe(400);
    const other = await send(answerConsent, {
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      json: { decision: 'granted', version: '1' },
    });
    expect(other.status).toBe(403);
    expect((await errorOf(other)).message).toContain('Allowed widget origins');
  });

  it('refuses text/plain on the chat route with 415, storing nothing', async () => {
    const response = await send(chat, {
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({
        message: { id: 'm1', role: 'user', parts: [{ type: 'text', text: 'hi' }] },
      }),
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type:chat');
  });

  it('does not let an allowed widget origin write to staff routes', async () => {
    const response = await send(createCannedResponse, {
      headers: { cookie: admin, 'sec-fetch-site': 'cross-site', origin: SHOP },
      json: canned('from-shop'),
    });
    expect(response.status).toBe(403);
  });
});

describe('text that cannot be stored', () => {
  it('is refused with 400 naming the field, in a chat message, and nothing is stored', async () => {
    const before = (await app.database.db.select({ n: count() }).from(messages))[0]!.n;
    for (const text of ['hello\u0000', `half an emoji \uD83D`, `\uDE00 low half`]) {
      const response = await send(chat, {
        json: {
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
        },
      });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe('bad_request:chat');
      expect(error.details?.fields.map((f) => f.field)).toEqual(['message.parts.0.text']);
    }
    expect((await app.database.db.select({ n: count() }).from(messages))[0]!.n).toBe(before);
  });

  it('is refused in an object key at any depth (identify context)', async () => {
    const response = await send(identify, {
      json: { userId: 'u1', userHash: 'a'.repeat(64), context: { deep: { 'k\u0000': 1 } } },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).details?.fields[0]?.field).toBe('context.deep.k\uFFFD');
  });

  it('is refused in staff bodies and query strings', async () => {
    const body = await send(createCannedResponse, {
      headers: { cookie: admin },
      json: { ...canned('surrogate'), title: 'Hi \uD83D' },
    });
    expect(body.status).toBe(400);
    expect((await errorOf(body)).details?.fields).toEqual([
      { field: 'title', message: expect.stringContaining('surrogate') },
    ]);
    const query = await send(queue, {
      method: 'GET',
      path: '/api/console/queue?q=%00',
      headers: { cookie: admin },
    });
    expect(query.status).toBe(400);
    expect(await errorOf(query)).toMatchObject({
      code: 'bad_request:queue',
      details: { fields: [{ field: 'q' }] },
    });
  });

  it('in a path parameter names nothing (404)', async () => {
    const { key } = await createApiKey(app.database.db, { name: 'reader', scopes: ['read'] });
    const response = await send(insights, {
      method: 'GET',
      path: '/api/v1/customers/%00/insights',
      headers: { authorization: `Bearer ${key}` },
      params: { id: '\u0000' },
    });
    expect(response.status).toBe(404);
  });
});

describe('an empty PATCH', () => {
  it('is refused with 400 naming the fields one may send (canned responses, webhooks)', async () => {
    const created = (await (
      await send(createCannedResponse, { headers: { cookie: admin }, json: canned('patch-me') })
    ).json()) as { id: string };
    const canned400 = await send(editCannedResponse, {
      method: 'PATCH',
      headers: { cookie: admin },
      json: {},
      params: { id: created.id },
    });
    expect(canned400.status).toBe(400);
    expect((await errorOf(canned400)).message).toContain(
      'send at least one of shortcut, title or content',
    );

    // Refused by its schema before anything is looked up, so any id will do.
    const hookId = crypto.randomUUID();
    const webhook400 = await send(editWebhook, {
      method: 'PATCH',
      headers: { cookie: admin },
      json: {},
      params: { id: hookId },
    });
    expect(webhook400.status).toBe(400);
    expect((await errorOf(webhook400)).message).toContain(
      'send at least one of url, events, description or enabled',
    );
  });
});

describe('every route declares its contract', () => {
  const root = path.resolve('app/api');
  const routeFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return routeFiles(full);
      return name === 'route.ts' ? [full] : [];
    });
  // Public routes, and the JSON 404 for paths no route serves.
  const PUBLIC = [
    /^auth\//,
    /^health\//,
    /^metrics\//,
    /^v1\/openapi\.json\//,
    // The demo shop's own API document and its return labels, as a real shop would serve them.
    /^demo-shop\/(openapi\.json|return-labels)\//,
    /^\[\.\.\.path\]\//,
  ];

  it('through its wrapper, for every method of every route but the public ones', async () => {
    const missing: string[] = [];
    for (const file of routeFiles(root)) {
      const relative = path.relative(root, file);
      if (PUBLIC.some((p) => p.test(relative))) continue;
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const handler = mod[method] as { contract?: RouteContract } | undefined;
        if (handler && !handler.contract) missing.push(`${method} ${relative}`);
        if (handler?.contract && method !== 'GET' && handler.contract.accepts !== 'none') {
          expect(handler.contract.body, `${method} ${relative}`).toBeDefined();
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
