import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelOrder,
  changeDeliveryAddress,
  findOrder,
  listOrders,
  presentOrder,
  startReturn,
} from '@/app/api/demo-shop/_lib/orders';
import { actions, appSettings, demoOrders } from '@/db/schema';
import { DEMO_SHOP_TOKEN_KEY, readDemoOrders, seedDemoShop } from '@/db/seed/demo-shop';
import { listActions } from '@/lib/actions/queries';
import { decryptSecret } from '@/lib/actions/secrets';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

// The shop as the demo content installs it, at a fixed moment so the windows are exact.
const NOW = new Date('2026-12-04T04:00:00Z');
const HOUR = 60 * 60 * 1000;
let app: TestDatabaseContext;

beforeAll(async () => {
  app = await openTestDatabase();
  await seedDemoShop(app.db, {
    appSecret: app.secret,
    deskUrl: 'http://desk.test:3000',
    now: NOW,
  });
});
afterAll(() => app.close());

describe('installing the demo shop', () => {
  it('stores every order of content/demo/orders.json, with times counted back from the install', async () => {
    const expected = await readDemoOrders(NOW);
    const rows = await app.db.select().from(demoOrders);
    expect(rows).toHaveLength(expected.length);
    const byNumber = new Map(rows.map((r) => [r.number, r]));
    for (const order of expected) {
      expect(byNumber.get(order.number)).toMatchObject({
        customer: order.customer,
        status: order.status,
        total: order.total,
        placedAt: order.placedAt,
      });
    }
    // Each demo customer has orders both changeable and not, and delivered ones in and out of the window.
    const statuses = new Set(rows.map((r) => r.status));
    for (const status of ['processing', 'packed', 'dispatched', 'delivered', 'cancelled']) {
      expect(statuses).toContain(status);
    }
  });

  it('stores the demo actions through the actions module, with the token as an encrypted secret header', async () => {
    const [token] = await app.db
      .select({ value: appSettings.value })
      .from(appSettings)
      .where(eq(appSettings.key, DEMO_SHOP_TOKEN_KEY));
    expect(token?.value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const stored = await listActions(app.db);
    expect(stored.map((a) => a.name).sort()).toEqual([
      'cancel_order',
      'change_delivery_address',
      'order_status',
      'start_return',
    ]);
    for (const action of stored) {
      if (action.kind !== 'http') throw new Error('the demo actions are HTTP actions');
      expect(action.http.url.startsWith('http://desk.test:3000/api/demo-shop/orders/')).toBe(true);
      expect(action.http.headers).toEqual([{ name: 'Authorization', secret: true }]);
      expect(decryptSecret(app.secret, 'authorization', action.secrets.authorization!)).toBe(
        `Bearer ${token!.value}`,
      );
      // The customer comes from the verified identity, never from the model.
      expect(action.inputs.find((i) => i.name === 'customer')?.fromCustomer).toBe('site_user_id');
      expect(action.verifiedOnly).toBe(true);
    }
    const rows = await app.db.select({ http: actions.http }).from(actions);
    expect(JSON.stringify(rows)).not.toContain(String(token!.value));
    const byName = new Map(stored.map((a) => [a.name, a]));
    expect(byName.get('order_status')?.effect).toBe('read');
    expect(byName.get('cancel_order')?.effect).toBe('write');
    expect(byName.get('change_delivery_address')?.needsApproval).toBe(true);
  });

  it('installs once, however often it is asked', async () => {
    const before = await app.db.select().from(demoOrders);
    expect(
      await seedDemoShop(app.db, { appSecret: app.secret, deskUrl: 'http://other.test' }),
    ).toBe(false);
    expect(await app.db.select().from(demoOrders)).toHaveLength(before.length);
    expect(await listActions(app.db)).toHaveLength(4);
  });
});

describe('the demo shop’s order rules', () => {
  it('finds only the customer’s own orders, by the number as customers type it', async () => {
    for (const typed of ['PC105120', '#PC105120', 'pc105120', ' #pc105120 ']) {
      expect((await findOrder(app.db, 'demo-alice', typed)).number).toBe('PC105120');
    }
    // Ben's order is "not found" for Alice, exactly like a number that does not exist.
    await expect(findOrder(app.db, 'demo-alice', 'PC105152')).rejects.toMatchObject({
      code: 'not_found:order',
      message: 'There is no order PC105152 on this account.',
    });
    await expect(findOrder(app.db, 'demo-alice', 'PC999999')).rejects.toMatchObject({
      code: 'not_found:order',
    });
    await expect(findOrder(app.db, 'demo-alice', "PC1' OR 1=1")).rejects.toMatchObject({
      code: 'not_found:order',
    });
    expect((await listOrders(app.db, 'demo-alice')).every((o) => o.customer === 'demo-alice')).toBe(
      true,
    );
  });

  it('cancels an order only while it is processing', async () => {
    const cancelled = await cancelOrder(app.db, 'demo-alice', '#PC105120', NOW);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: NOW });
    await expect(cancelOrder(app.db, 'demo-alice', 'PC105120', NOW)).rejects.toMatchObject({
      code: 'conflict:order',
      message: 'Order #PC105120 is already cancelled.',
    });
    await expect(cancelOrder(app.db, 'demo-ben', 'PC105133', NOW)).rejects.toMatchObject({
      code: 'conflict:order',
      message:
        'Order #PC105133 is already packed, so it can no longer be cancelled. Once it arrives, you can return it within 30 days instead.',
    });
    await expect(cancelOrder(app.db, 'demo-alice', 'PC105087', NOW)).rejects.toMatchObject({
      message: expect.stringContaining('is already dispatched'),
    });
  });

  it('changes the delivery address only while the order is processing', async () => {
    const changed = await changeDeliveryAddress(
      app.db,
      'demo-ben',
      'PC105152',
      ' 1 Raffles Place, #20-01, Singapore 048616 ',
    );
    expect(changed.deliveryAddress).toBe('1 Raffles Place, #20-01, Singapore 048616');
    await expect(
      changeDeliveryAddress(app.db, 'demo-ben', 'PC105044', '1 Raffles Place, Singapore 048616'),
    ).rejects.toMatchObject({
      message:
        'Order #PC105044 is already out for delivery, so its delivery address can no longer be changed.',
    });
  });

  it('starts a return within 30 days of delivery, once, with a label link', async () => {
    const order = await startReturn(app.db, 'demo-alice', 'PC104962', 'changed my mind', NOW);
    expect(order.returnNumber).toMatch(/^RT-\d{6}$/);
    expect(order.returnReason).toBe('changed my mind');
    const shown = presentOrder(order, 'http://desk.test', NOW);
    expect(shown.return).toEqual({
      number: order.returnNumber,
      reason: 'changed my mind',
      started_on: '4 December 2026',
      send_by: '11 December 2026',
      label_url: `http://desk.test/api/demo-shop/return-labels/${order.returnLabelKey}`,
    });
    // Asked again, the same return comes back rather than a second one.
    const again = await startReturn(app.db, 'demo-alice', 'PC104962', 'wrong size', NOW);
    expect(again.returnNumber).toBe(order.returnNumber);
  });

  it('refuses a return outside the window, before delivery and for a cancelled order', async () => {
    await expect(
      startReturn(app.db, 'demo-alice', 'PC104518', 'changed my mind', NOW),
    ).rejects.toMatchObject({
      code: 'conflict:order',
      message: expect.stringMatching(
        /more than 30 days ago, so it is outside the returns window\.$/,
      ),
    });
    await expect(
      startReturn(app.db, 'demo-alice', 'PC105087', 'wrong size', NOW),
    ).rejects.toMatchObject({ message: expect.stringContaining('has not been delivered yet') });
    await expect(
      startReturn(app.db, 'demo-ben', 'PC104650', 'wrong size', NOW),
    ).rejects.toMatchObject({
      message: 'Order #PC104650 was cancelled, so there is nothing to return.',
    });
    // The window's last moment is still inside it.
    const ben = await findOrder(app.db, 'demo-ben', 'PC104777');
    const lastMoment = new Date(ben.deliveredAt!.getTime() + 30 * 24 * HOUR);
    expect(
      (await startReturn(app.db, 'demo-ben', 'PC104777', 'wrong colour', lastMoment)).returnNumber,
    ).toMatch(/^RT-/);
  });

  it('tells an order’s state in one sentence, and nothing of the shop’s internals', async () => {
    const dispatched = presentOrder(await findOrder(app.db, 'demo-alice', 'PC105087'), 'x', NOW);
    expect(dispatched).toMatchObject({
      number: '#PC105087',
      status: 'dispatched',
      status_label: 'Dispatched',
      status_detail: 'Dispatched on 3 December 2026 with Ninja Van, tracking number NVSG26118405.',
      can_cancel: false,
      total: 'S$59.00',
    });
    const old = presentOrder(await findOrder(app.db, 'demo-alice', 'PC104518'), 'x', NOW);
    expect(old.returnable_until).toBeNull();
    expect(old.status_detail).toMatch(/its 30-day returns window has closed\.$/);
    expect(JSON.stringify(dispatched)).not.toMatch(/"id"|return_label_key|customer/);
  });
});
