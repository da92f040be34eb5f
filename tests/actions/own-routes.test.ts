import { describe, expect, it } from 'vitest';
import { appActionNetwork } from '@/lib/actions/calls';
import { type ActionDefinitionInput, parseActionDefinition } from '@/lib/actions/definition';
import { type ActionNetwork, executeHttpAction } from '@/lib/actions/http';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { getApp } from '@/lib/server/app';
import { matchRoutePath, type OwnRoute, ownRouteServer } from '@/lib/server/own-routes';
import { siteUserOfCopy } from '@/lib/server/sandbox';

/*
 * A sandbox serves no HTTP, so an action pointed at the desk's own routes is answered in-process,
 * by the route's own handler, with the sandbox's app as the one that handler gets. Every other
 * address still goes through the address guard.
 */

const appSecret = 'a-desk-secret-of-at-least-32-characters';
const DESK = 'http://desk.example.test:3000';

// Two apps told apart by their secret: the sandbox's, and whatever getApp would start otherwise.
const sandboxApp = { secret: 'the-sandbox' } as AppContext;

const ordersRoute = {
  GET: async (request: Request, { params }: { params: Promise<{ number: string }> }) => {
    const app = await getApp();
    const { number } = await params;
    const customer = new URL(request.url).searchParams.get('customer');
    return Response.json({
      order: { number, customer, servedBy: app.secret, auth: request.headers.get('x-key') },
    });
  },
};
const latestRoute = { GET: async () => Response.json({ order: { number: 'latest' } }) };
const bigRoute = { GET: async () => new Response('x'.repeat(10_000)) };
const slowRoute = {
  GET: () =>
    new Promise<Response>((resolve) => setTimeout(() => resolve(new Response('{}')), 2_000)),
};

const routes: OwnRoute[] = [
  { path: '/api/shop/orders/[number]', load: async () => ordersRoute },
  { path: '/api/shop/orders/latest', load: async () => latestRoute },
  { path: '/api/shop/big', load: async () => bigRoute },
  { path: '/api/shop/slow', load: async () => slowRoute },
  { path: '/api/files/[...path]', load: async () => ({}) },
];
const serve = ownRouteServer(sandboxApp, routes);
const network: ActionNetwork = {
  allowPrivateNetworks: false,
  allowedHosts: [],
  ownOrigin: { origin: DESK, serve },
};

function action(
  url: string,
  http: Partial<Extract<ActionDefinitionInput, { kind: 'http' }>['http']> = {},
) {
  const parsed = parseActionDefinition({
    kind: 'http',
    name: 'order_status',
    label: 'Look up an order',
    description: 'Look up an order.',
    effect: 'read',
    inputs: [{ name: 'order_number', type: 'string' }],
    http: {
      method: 'GET',
      url,
      headers: [{ name: 'X-Key', value: 'k-123' }],
      responseFields: ['order.number', 'order.customer', 'order.servedBy', 'order.auth'],
      ...http,
    },
  });
  if (parsed.kind !== 'http') throw new Error('expected an http action');
  return parsed;
}

const call = (a: ReturnType<typeof action>, net = network) =>
  executeHttpAction(a, { secrets: {}, appSecret }, { input: { order_number: 'PC100001' } }, net);

describe('route paths', () => {
  it('match static, dynamic and catch-all segments, decoded', () => {
    expect(matchRoutePath('/api/a/[id]', '/api/a/x%20y')).toEqual({ id: 'x y' });
    expect(matchRoutePath('/api/a/[id]', '/api/a/x/y')).toBeNull();
    expect(matchRoutePath('/api/a/[id]', '/api/a')).toBeNull();
    expect(matchRoutePath('/api/f/[...path]', '/api/f/a/b')).toEqual({ path: ['a', 'b'] });
    expect(matchRoutePath('/api/f/[...path]', '/api/f')).toBeNull();
    expect(matchRoutePath('/api/a/b', '/api/a/b/')).toEqual({});
  });
});

describe('an action calling the desk’s own routes from a sandbox', () => {
  it('is answered in-process by the route, with the sandbox as its app, whatever the guard says', async () => {
    const result = await call(
      action(`${DESK}/api/shop/orders/{input.order_number}?customer=demo-1`),
    );
    expect(result.error).toBeUndefined();
    expect(result.response).toEqual({
      status: 200,
      data: {
        order: { number: 'PC100001', customer: 'demo-1', servedBy: 'the-sandbox', auth: 'k-123' },
      },
    });
  });

  it('prefers a static route to a dynamic one, as Next does', async () => {
    const result = await call(action(`${DESK}/api/shop/orders/latest`));
    expect(result.response?.data).toEqual({ order: { number: 'latest' } });
  });

  it('answers 404 for a path with no route and 405 for a method the route lacks', async () => {
    const missing = await call(action(`${DESK}/api/nothing/here`));
    expect(missing.response?.status).toBe(404);
    expect(missing.error).toBe('The service answered 404.');
    const post = await call(action(`${DESK}/api/shop/orders/latest`, { method: 'POST', body: {} }));
    expect(post.response?.status).toBe(405);
  });

  it('keeps the size cap and the timeout', async () => {
    const big = await call(action(`${DESK}/api/shop/big`, { maxBytes: 1_024 }));
    expect(big.error).toBe('The answer was larger than the 1024 byte limit.');
    const slow = await call(action(`${DESK}/api/shop/slow`, { timeoutMs: 200 }));
    expect(slow.error).toBe('The service did not answer within 200 ms.');
  });

  it('still guards every other address: another port or host of the same name is refused', async () => {
    for (const url of [
      'http://127.0.0.1:3000/api/shop/orders/1',
      'http://desk.example.test:3001/x',
    ]) {
      const result = await call(action(url), {
        ...network,
        resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
      });
      expect(result.response).toBeUndefined();
      expect(result.error).toMatch(/private or local network address/);
    }
  });

  it('is offered only to an app that is a sandbox with own routes', () => {
    const config = parseConfig({ NEXTAUTH_URL: `${DESK}/` });
    expect(appActionNetwork({ config }).ownOrigin).toBeUndefined();
    const net = appActionNetwork({
      config,
      sandbox: { serveOwnRequest: serve, siteUserIdOf: (id) => id },
    });
    expect(net.ownOrigin?.origin).toBe(DESK);
  });
});

describe('a sandbox’s copy of a site user', () => {
  it('acts as the site user it copies; any other id is left as it is', () => {
    expect(siteUserOfCopy('demo-alice#0b7f1f1e-5a0c-4c1e-9d51-6f1f2d3c4b5a')).toBe('demo-alice');
    expect(siteUserOfCopy('a#b#0b7f1f1e-5a0c-4c1e-9d51-6f1f2d3c4b5a')).toBe('a#b');
    expect(siteUserOfCopy('team#42')).toBe('team#42');
    expect(siteUserOfCopy('#0b7f1f1e-5a0c-4c1e-9d51-6f1f2d3c4b5a')).toBe(
      '#0b7f1f1e-5a0c-4c1e-9d51-6f1f2d3c4b5a',
    );
  });
});
