import type { ToolSet } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoShop } from '@/db/seed/demo-shop';
import {
  deleteAction,
  findActionByName,
  setActionEnabled,
  updateAction,
} from '@/lib/actions/queries';
import type { ToolContext } from '@/lib/ai/tools';
import { actionToolsFor, enabledActions } from '@/lib/turn/action-tools';
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

/** The tools a turn would offer now, as `carryOut` builds them. */
async function toolsOfATurn(): Promise<ToolSet> {
  const toolContext = {
    db: app.db,
    customerId: '00000000-0000-4000-8000-000000000001',
    conversationId: '00000000-0000-4000-8000-000000000002',
    verified: true,
    priority: 'normal',
  } as unknown as ToolContext;
  return actionToolsFor(app, toolContext, await enabledActions(app.db), () => {}, new Set());
}

const offeredSchema = (tools: ToolSet, name: string) =>
  (tools[name]!.inputSchema as { jsonSchema: { properties: Record<string, unknown> } }).jsonSchema;

describe('the action tools a turn offers', () => {
  it('reuse their schemas until an action changes, then offer the new schema on the next turn', async () => {
    const before = await toolsOfATurn();
    const again = await toolsOfATurn();
    // Nothing changed: the schema built for the first turn is offered as it is.
    expect(again.order_status!.inputSchema).toBe(before.order_status!.inputSchema);
    expect(Object.keys(offeredSchema(before, 'order_status').properties)).not.toContain('note');

    const {
      id,
      secrets: _s,
      createdAt: _c,
      updatedAt: _u,
      ...definition
    } = (await findActionByName(app.db, 'order_status'))!;
    await updateAction(app.db, app.secret, id, {
      ...definition,
      inputs: [
        ...definition.inputs,
        { name: 'note', type: 'string', description: 'Anything to add', required: false },
      ],
    });

    const after = await toolsOfATurn();
    expect(after.order_status!.inputSchema).not.toBe(before.order_status!.inputSchema);
    expect(offeredSchema(after, 'order_status').properties).toHaveProperty('note', {
      type: 'string',
      minLength: 1,
      maxLength: 500,
      description: 'Anything to add',
    });
    // The others still offer what they offered.
    expect(offeredSchema(after, 'cancel_order')).toEqual(offeredSchema(before, 'cancel_order'));
  });
});
