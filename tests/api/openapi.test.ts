import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '@/app/api/v1/_lib/openapi';
import { GET as openApiJson } from '@/app/api/v1/openapi.json/route';
import { createApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { createStaff } from '@/lib/staff/queries';
import { startMcpServer } from '../actions/mcp-server';
import { startServedTestApp } from '../harness/app';

type Handler = (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;
const routes = import.meta.glob<Record<string, Handler>>('../../app/api/v1/**/route.ts');

let app: AppContext;
let stop: () => Promise<void>;
let key: string;
let mcp: Awaited<ReturnType<typeof startMcpServer>>;

beforeAll(async () => {
  // The connector examples reach an MCP server: one answers for it on a local address.
  mcp = await startMcpServer({ header: 'authorization', requiredKey: 'Bearer mcp_live_example' });
  ({ app, stop } = await startServedTestApp({ TANDEM_ACTIONS_ALLOWED_HOSTS: '127.0.0.1' }));
  key = (
    await createApiKey(app.database.db, {
      name: 'walker',
      scopes: ['admin'],
      rateLimitPerMinute: 10_000,
    })
  ).key;
});
afterAll(async () => {
  await stop();
  await mcp?.close();
});

async function document() {
  return (await openApiJson(new Request('http://localhost/api/v1/openapi.json'))).json();
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(await document());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route under /api/v1, and each of its examples works', async () => {
    const doc = await document();
    const described = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    // Every exported handler in app/api/v1 is in the document (openapi.json itself aside).
    const implemented: string[] = [];
    for (const [file, load] of Object.entries(routes)) {
      const path = file
        .replace('../../app', '')
        .replace('/route.ts', '')
        .replace(/\[(\w+)\]/g, '{$1}');
      if (path === '/api/v1/openapi.json') continue;
      for (const method of Object.keys(await load())) {
        if (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
          implemented.push(`${method} ${path}`);
      }
    }
    expect(described.sort()).toEqual(implemented.sort());

    const agent = await createStaff(app.database.db, {
      email: 'walker@x.test',
      name: 'Walker',
      role: 'agent',
      password: 'password-1',
    });
    const values: Record<string, string> = { agent_email: agent.email };
    for (const op of OPERATIONS) {
      const fill = (text: string) =>
        text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);
      const params = Object.fromEntries(
        Object.entries(op.example.params ?? {}).map(([k, v]) => [k, fill(v)]),
      );
      const body =
        op.example.body === undefined
          ? undefined
          : JSON.parse(fill(JSON.stringify(op.example.body)));
      if (op.path.startsWith('/api/v1/connectors') && body?.url) body.url = mcp.url;
      const query = op.example.query ? `?${new URLSearchParams(op.example.query)}` : '';
      const file = `../../app${op.path.replace(/\{(\w+)\}/g, '[$1]')}/route.ts`;
      const handler = (await routes[file]!())[op.method.toUpperCase()]!;
      const response = await handler(
        new Request(`http://localhost${op.path}${query}`, {
          method: op.method.toUpperCase(),
          headers: {
            authorization: `Bearer ${key}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        }),
        { params: Promise.resolve(params) },
      );
      const text = await response.text();
      expect(response.status, `${op.method.toUpperCase()} ${op.path}: ${text}`).toBe(
        op.success.status,
      );
      const json = text ? JSON.parse(text) : null;
      // Later examples use what earlier ones created.
      if (op.path === '/api/v1/messages')
        Object.assign(values, {
          conversation_id: json.conversation_id,
          message_id: json.message_id,
        });
      if (op.path === '/api/v1/messages/async') values.task_id = json.task_id;
      if (op.path === '/api/v1/tickets' && op.method === 'post') values.ticket_id = json.id;
      if (op.path === '/api/v1/kb/documents' && op.method === 'post')
        values.document_id = json.document.id;
    }
  });
});
