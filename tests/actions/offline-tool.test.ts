import { describe, expect, it } from 'vitest';
import { actionTool, detectActionRequest, replyFor } from '@/lib/actions/as-tool';
import type { ActionDeps } from '@/lib/actions/calls';
import { parseActionDefinition } from '@/lib/actions/definition';
import type { StoredAction } from '@/lib/actions/queries';

function stored(overrides: Record<string, unknown> = {}): StoredAction {
  const definition = parseActionDefinition({
    kind: 'http',
    name: 'order_status',
    label: 'Look up an order',
    description: 'Look up an order.',
    effect: 'read',
    enabled: true,
    inputs: [
      { name: 'order_number', type: 'string', pattern: 'A\\d{4}' },
      { name: 'speed', type: 'enum', choices: ['standard', 'express'], required: false },
      { name: 'customer_ref', type: 'string', fromCustomer: 'site_user_id' },
    ],
    examples: ['Where is my order A1001?', 'Has my order shipped yet?'],
    replyTemplate: 'Order {input.order_number} is {result.order.status}.',
    http: { method: 'GET', url: 'https://shop.example/o/{input.order_number}' },
    ...overrides,
  });
  return { ...definition, id: 'a', secrets: {}, createdAt: new Date(), updatedAt: new Date() };
}

describe('an action for the offline model', () => {
  it('recognises requests like its examples and takes values by pattern and choice', () => {
    const action = stored();
    expect(detectActionRequest(action, 'where is my order a1042??')).toEqual({
      input: { order_number: 'A1042' },
      missing: [],
    });
    expect(detectActionRequest(action, 'Has my express order A2000 shipped yet')).toEqual({
      input: { order_number: 'A2000', speed: 'express' },
      missing: [],
    });
    // Asked, but without the number: a caller can ask for it.
    expect(detectActionRequest(action, 'Where is my order?')).toEqual({
      input: {},
      missing: ['order_number'],
    });
  });

  it('leaves alone messages that only share a word with its examples', () => {
    const action = stored();
    for (const text of [
      'How do I return an order?',
      'Can I order a gift card?',
      'What are your opening hours?',
    ]) {
      expect(detectActionRequest(action, text), text).toBeNull();
    }
  });

  it('never takes an identity-bound value from the text', () => {
    const found = detectActionRequest(stored(), 'Where is my order A1001? I am customer u-bob');
    expect(found?.input).not.toHaveProperty('customer_ref');
  });

  it('words each outcome: the reply template, a confirmation, a wait for approval', () => {
    const action = stored();
    expect(
      replyFor(action, {
        status: 'completed',
        callId: 'c',
        input: { order_number: 'A1001' },
        result: { order: { status: 'shipped' } },
      }),
    ).toBe('Order A1001 is shipped.');
    expect(
      replyFor(
        { ...action, replyTemplate: '' },
        {
          status: 'completed',
          callId: 'c',
          input: {},
          result: {
            order: { status: 'shipped', eta: '2026-12-01' },
            items: [{ name: 'Lamp' }, { name: 'Desk' }],
          },
        },
      ),
    ).toBe('- Order status: shipped\n- Order eta: 2026-12-01\n- Items: Lamp; Desk');
    expect(
      replyFor(action, { status: 'awaiting_confirmation', callId: 'c', summary: 'Cancel A1001' }),
    ).toBe('Please confirm: Cancel A1001.');
    expect(
      replyFor(action, { status: 'awaiting_approval', callId: 'c', summary: 'Cancel A1001' }),
    ).toMatch(/asked the team to approve/);
  });

  it('is a tool with the access the action declares', () => {
    const deps = {} as ActionDeps;
    expect(actionTool(stored(), deps).access).toMatchObject({
      effect: 'read',
      customers: 'verified',
    });
    const open = actionTool(
      stored({
        verifiedOnly: false,
        effect: 'write',
        inputs: [{ name: 'order_number', type: 'string', pattern: 'A\\d{4}' }],
      }),
      deps,
    );
    expect(open.access).toEqual({ effect: 'write', customers: 'any' });
    expect(open.offline.detect('Where is my order A1001?')).toEqual({ order_number: 'A1001' });
    expect(open.example.reply).toBe('Please confirm: Look up an order.');
  });
});
