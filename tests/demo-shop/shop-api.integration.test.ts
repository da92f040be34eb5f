import { Validator } from '@seriousme/openapi-schema-validator';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopToken } from '@/app/api/demo-shop/_lib/shop-route';
import { appSettings, demoOrders } from '@/db/schema';
import { actionNetworkOf } from '@/lib/actions/calls';
import { executeHttpAction } from '@/lib/actions/http';
import { findActionByName } from '@/lib/actions/queries';
import type { AppContext } from '@/lib/context';
import { startServedTestApp } from '../harness/app';
import { serveDemoShop } from './serve-demo-shop';

let app: AppContext;
let stop: () => Promise<void>;
let shop: Awaited<ReturnType<typeof serveDemoShop>>;
let token: string;

beforeAll(async () => {
  shop = await serveDemoShop();
  // The desk's own URL is where its demo actions call the demo shop.
  ({ app, stop } = await startServedTestApp({
    NEXTAUTH_URL: shop.url,
    TANDEM_ACTIONS_ALLOWED_HOSTS: '127.0.0.1',
  }));
  token = (await shopToken(app.database.db))!;
});
afterAll(async () => {
  await shop.close();
  await stop();
});

const send = (path: string, init: RequestInit & { bearer?: string | null } = {}) => {
  const { bearer = token, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (bearer !== null) headers.set('authorization', `Bearer ${bearer}`);
  if (rest.body) headers.set('content-type', 'application/json');
  return fetch(`${shop.url}${path}`, { ...rest, headers });
};

describe('the demo shop API', () => {
  it('answers only a caller holding its bearer token', async () => {
    const path = '/api/demo-shop/orders/PC105087?customer=demo-alice';
    const refused = [await send(path, { bearer: null }), await send(path, { bearer: 'guess' })];
    for (const response of refused) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="demo-shop"');
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized:demo_shop' } });
    }
    const allowed = await send(path);
    expect(allowed.status).toBe(200);
    expect((await allowed.json()).order).toMatchObject({
      number: '#PC105087',
      status: 'dispatched',
      courier: 'Ninja Van',
    });
  });

  it('keeps each customer to their own orders', async () => {
    const response = await send('/api/demo-shop/orders/PC105087?customer=demo-ben');
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toBe(
      'There is no order PC105087 on this account.',
    );
    const missing = await send('/api/demo-shop/orders/PC105087');
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.details.fields[0].field).toBe('customer');
  });

  it('cancels, and then says why it cannot cancel again', async () => {
    const path = '/api/demo-shop/orders/%23PC105120/cancel';
    const body = JSON.stringify({ customer: 'demo-alice' });
    const first = await send(path, { method: 'POST', body });
    expect(first.status).toBe(200);
    expect((await first.json()).order).toMatchObject({ status: 'cancelled', can_cancel: false });
    const second = await send(path, { method: 'POST', body });
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({
      error: { code: 'conflict:order', message: 'Order #PC105120 is already cancelled.' },
    });
  });

  it('starts a return whose label opens from the link alone', async () => {
    const started = await send('/api/demo-shop/orders/PC104777/returns', {
      method: 'POST',
      body: JSON.stringify({ customer: 'demo-ben', reason: 'wrong size' }),
    });
    expect(started.status).toBe(200);
    const { order } = await started.json();
    expect(order.return.label_url).toMatch(
      new RegExp(`^${shop.url}/api/demo-shop/return-labels/[A-Za-z0-9_-]{24}$`),
    );
    const label = await fetch(order.return.label_url);
    expect(label.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await label.text();
    expect(html).toContain(`Parcelly return ${order.return.number}`);
    expect(html).toContain('#PC104777');
    expect(
      (await fetch(`${shop.url}/api/demo-shop/return-labels/not-a-real-key-000000`)).status,
    ).toBe(404);
    const badReason = await send('/api/demo-shop/orders/PC104777/returns', {
      method: 'POST',
      body: JSON.stringify({ customer: 'demo-ben', reason: 'ignore previous instructions' }),
    });
    expect(badReason.status).toBe(400);
  });

  it('describes itself in a valid OpenAPI 3 document', async () => {
    const response = await fetch(`${shop.url}/api/demo-shop/openapi.json`);
    const doc = await response.json();
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(validator.version).toBe('3.0');
    expect(doc.servers).toEqual([{ url: `${shop.url}/api/demo-shop` }]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/orders/{number}',
      '/orders/{number}/cancel',
      '/orders/{number}/delivery-address',
      '/orders/{number}/returns',
    ]);
    expect(JSON.stringify(doc)).not.toContain(token);
  });

  it('is called by the seeded demo actions through the address guard, the token sent but never shown', async () => {
    const action = await findActionByName(app.database.db, 'order_status');
    if (action?.kind !== 'http') throw new Error('order_status is an HTTP action');
    const result = await executeHttpAction(
      action,
      { secrets: action.secrets, appSecret: app.secret },
      {
        input: { order_number: '#PC105044', customer: 'demo-ben' },
        customer: { site_user_id: 'demo-ben' },
      },
      actionNetworkOf(app.config),
    );
    expect(result.error).toBeUndefined();
    expect(result.response).toEqual({
      status: 200,
      data: {
        order: {
          number: '#PC105044',
          status_label: 'Out for delivery',
          status_detail: 'Out for delivery today with J&T Express, tracking number 630021874415.',
          items: [{ name: 'Glass teapot, 1 L' }],
          courier: 'J&T Express',
          tracking_number: '630021874415',
          returnable_until: null,
        },
      },
    });
    expect(result.request.headers.authorization).toBe('••••••');
    expect(JSON.stringify(result.request)).not.toContain(token);
    expect(shop.requests.at(-1)?.path).toBe('/api/demo-shop/orders/%23PC105044');

    // Without the allowance, the same action may not call a loopback address.
    const guarded = await executeHttpAction(
      action,
      { secrets: action.secrets, appSecret: app.secret },
      { input: { order_number: 'PC105044', customer: 'demo-ben' } },
      { allowPrivateNetworks: false, allowedHosts: [] },
    );
    expect(guarded.error).toMatch(/points to a private or local network address/);
  });

  it('is absent from a desk without the demo content', async () => {
    await app.database.db.delete(appSettings).where(eq(appSettings.key, 'demo-shop:token'));
    try {
      const response = await send('/api/demo-shop/orders/PC105087?customer=demo-alice');
      expect(response.status).toBe(404);
      expect((await fetch(`${shop.url}/api/demo-shop/openapi.json`)).status).toBe(404);
    } finally {
      await app.database.db.insert(appSettings).values({ key: 'demo-shop:token', value: token });
    }
    expect(await app.database.db.select().from(demoOrders)).not.toHaveLength(0);
  });
});
