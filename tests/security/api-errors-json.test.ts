import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as unknownGet, POST as unknownPost } from '@/app/api/[...path]/route';
import type { AppContext } from '@/lib/context';
import { findUrlProblem } from '@/lib/security/url-check';
import { stopApp } from '@/lib/server/app';
import { proxy } from '@/proxy';
import { serveRoutesFrom, startTestApp } from '../harness/app';

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startTestApp());
  serveRoutesFrom(Promise.resolve(app));
});
afterAll(() => stop());

function through(url: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return proxy(new NextRequest(`http://localhost${url}`, init));
}

async function expectJsonError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe(code);
  return body;
}

describe('URLs that cannot be read as text', () => {
  it('refuses malformed percent-encoding in an /api path with a JSON 400 naming it', async () => {
    const body = await expectJsonError(
      await through('/api/v1/tickets/%E0%A4%A'),
      400,
      'bad_request:url',
    );
    expect(body.error.message).toBe(
      'The URL path is not valid: "%E0%A4%A" is not well-formed percent-encoding of UTF-8 text.',
    );
    expect(body.error.details).toEqual({ part: 'path', problem: 'malformed_encoding' });
  });

  it('refuses a NUL in the query, naming the parameter', async () => {
    const body = await expectJsonError(
      await through('/api/v1/kb/documents?q=%00'),
      400,
      'bad_request:url',
    );
    expect(body.error.message).toBe(
      'The query parameter "q" is not valid: its value contains U+0000 (a NUL character).',
    );
    expect(body.error.details).toEqual({ part: 'query', parameter: 'q', problem: 'nul' });
  });

  it('finds each kind of problem, in the path or the query, and passes good URLs', () => {
    const problem = (path: string) => findUrlProblem(`http://localhost${path}`);
    expect(problem('/api/v1/tickets/%00')).toMatchObject({ part: 'path', problem: 'nul' });
    expect(problem('/api/v1/tickets/%FF')).toMatchObject({ problem: 'malformed_encoding' });
    expect(problem('/api/v1/tickets/%')).toMatchObject({ problem: 'malformed_encoding' });
    // A UTF-16 surrogate encoded as if it were a character (CESU-8) is not UTF-8.
    expect(problem('/api/x?q=%ED%A0%80')).toMatchObject({
      part: 'query',
      problem: 'malformed_encoding',
    });
    expect(problem('/api/x?%00=1')?.message).toContain('its name contains U+0000');
    expect(problem('/api/x?a=1&b=%E0%A4')).toMatchObject({ parameter: 'b' });
    expect(problem('/api/v1/tickets/%E0%A4%B9?q=caf%C3%A9+au+lait&x&y=')).toBeNull();
    expect(problem('/api/v1/tickets/😀?q=😀')).toBeNull();
  });

  it('leaves pages to Next', async () => {
    const response = await through('/console/%E0%A4%A');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-middleware-next')).toBe('1');
  });
});

describe('methods and paths no route serves', () => {
  it('answers a method the route does not export with a JSON 405 and Allow', async () => {
    const response = await through('/api/v1/messages');
    const body = await expectJsonError(response, 405, 'method_not_allowed:route');
    expect(response.headers.get('allow')).toBe('OPTIONS, POST');
    expect(body.error.message).toBe(
      '/api/v1/messages does not accept GET; it accepts OPTIONS, POST.',
    );
    const ticket = await through('/api/v1/tickets/123', { method: 'DELETE' });
    await expectJsonError(ticket, 405, 'method_not_allowed:route');
    expect(ticket.headers.get('allow')).toBe('GET, HEAD, OPTIONS, PATCH');
  });

  it('lets the methods a route serves through, HEAD with GET and OPTIONS included', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/messages'],
      ['HEAD', '/api/health'],
      ['OPTIONS', '/api/v1/messages'],
      ['PATCH', '/api/v1/tickets/123'],
    ] as const) {
      const response = await through(url, { method });
      expect(response.headers.get('x-middleware-next'), `${method} ${url}`).toBe('1');
    }
  });

  it('lets unknown paths through to the catch-all route, which answers a JSON 404', async () => {
    const passed = await through('/api/v2/whatever', { method: 'POST' });
    expect(passed.headers.get('x-middleware-next')).toBe('1');
    const response = await unknownPost(
      new Request('http://localhost/api/v2/whatever', { method: 'POST' }),
    );
    const body = await expectJsonError(response, 404, 'not_found:route');
    expect(body.error.message).toBe(
      'There is no API at /api/v2/whatever. The public API is described at /api/v1/openapi.json.',
    );
    await expectJsonError(
      await unknownGet(new Request('http://localhost/api/nothing')),
      404,
      'not_found:route',
    );
    // The catch-all needs a segment; /api itself is answered by the proxy.
    await expectJsonError(await through('/api'), 404, 'not_found:route');
  });
});

describe('a database outage while loading the widget origins', () => {
  // Starts (and stops) a second app of its own: slow on a busy machine.
  it('answers the widget API with a JSON 503 and Retry-After, and /widget with a notice', {
    timeout: 120_000,
  }, async () => {
    const down = await startTestApp();
    // Closed before anything was read, so no cached setting hides the outage.
    await stopApp(down.app);
    serveRoutesFrom(Promise.resolve(down.app));
    try {
      const chat = await through('/api/chat', {
        method: 'POST',
        headers: { origin: 'https://shop.example' },
      });
      const body = await expectJsonError(chat, 503, 'unavailable:database');
      expect(chat.headers.get('retry-after')).toBe('5');
      expect(body.error.message).toMatch(/cannot reach its database/);

      const widget = await through('/widget');
      expect(widget.status).toBe(503);
      expect(widget.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await widget.text()).toContain('Chat is unavailable right now');
      expect(widget.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

      const script = await through('/embed.js');
      expect(script.headers.get('x-middleware-next')).toBe('1');
    } finally {
      serveRoutesFrom(Promise.resolve(app));
      await down.stop().catch(() => {});
    }
  });

  it('answers the same when the app cannot start at all', async () => {
    serveRoutesFrom(Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')));
    try {
      await expectJsonError(await through('/api/chat/events'), 503, 'unavailable:database');
    } finally {
      serveRoutesFrom(Promise.resolve(app));
    }
  });
});
