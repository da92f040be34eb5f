import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoShop } from '@/db/seed/demo-shop';
import { deleteAction, findActionByName, setActionEnabled } from '@/lib/actions/queries';
import { enabledActions } from '@/lib/turn/action-tools';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

let app: TestDatabaseContext;

beforeAll(async () => {
  app = await openTestDatabase();
  await seedDemoShop(app.db, { appSecret: app.secret, deskUrl: 'http://desk.test' });
});
afterAll(() => app.close());

const names = async () => (await enabledActions(app.db)).map((a) => a.name);

describe('the actions a turn offers', () => {
  it('are read once, and again only after any action changed', async () => {
    const first = await enabledActions(app.db);
    expect(first.map((a) => a.name)).toEqual([
      'cancel_order',
      'change_delivery_address',
      'order_status',
      'start_return',
    ]);
    // Nothing changed: the same list, not a new read.
    expect(await enabledActions(app.db)).toBe(first);

    const cancel = (await findActionByName(app.db, 'cancel_order'))!;
    await setActionEnabled(app.db, cancel.id, false);
    expect(await names()).toEqual(['change_delivery_address', 'order_status', 'start_return']);
    await setActionEnabled(app.db, cancel.id, true);
    expect(await names()).toContain('cancel_order');

    const returns = (await findActionByName(app.db, 'start_return'))!;
    await deleteAction(app.db, returns.id);
    expect(await names()).not.toContain('start_return');
  });
});
