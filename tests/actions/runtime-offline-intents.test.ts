import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { readDemoActions } from '@/db/seed/demo-shop';
import { parseActionDefinition } from '@/lib/actions/definition';
import {
  actionSpecs,
  askForInput,
  detectActionIntent,
  offlineActionOptions,
  replyToActionResult,
} from '@/lib/ai/offline/action-intents';

/*
 * How the built-in model tells a request for one of the demo's actions from a question the help
 * center answers, and completes a request over several messages, from the call alone: the
 * actions as tools with their provider options, and the conversation as a prompt.
 */

const actions = (await readDemoActions('http://desk.test', 'token')).map(parseActionDefinition);
const specs = actionSpecs(
  actions.map((action) => ({
    type: 'function' as const,
    name: action.name,
    inputSchema: {},
    providerOptions: offlineActionOptions(action),
  })),
);

type Line = ['customer' | 'assistant', string];
const prompt = (...lines: Line[]): LanguageModelV4Prompt =>
  lines.map(([role, text]) =>
    role === 'customer'
      ? { role: 'user', content: [{ type: 'text', text }] }
      : { role: 'assistant', content: [{ type: 'text', text }] },
  );
const spec = (name: string) => specs.get(name)!;
const input = (action: string, name: string) => spec(action).inputs.find((i) => i.name === name)!;

describe('the built-in model and the demo actions', () => {
  it('gets each action’s examples, inputs and reply from its tool, and no identity-bound input', () => {
    expect([...specs.keys()]).toEqual([
      'order_status',
      'cancel_order',
      'change_delivery_address',
      'start_return',
    ]);
    for (const each of specs.values()) {
      expect(each.inputs.map((i) => i.name)).not.toContain('customer');
      expect(each.examples.length).toBeGreaterThan(3);
    }
  });

  it.each([
    ['Where is my order #PC105087?', 'order_status', { order_number: '#PC105087' }],
    ['Has my order shipped yet?', 'order_status', {}],
    ['Please cancel my order #PC105120', 'cancel_order', { order_number: '#PC105120' }],
    ['I want to cancel my order', 'cancel_order', {}],
    [
      'Please return the jars from order PC104518, I changed my mind.',
      'start_return',
      { order_number: 'PC104518', reason: 'changed my mind' },
    ],
    [
      "I'd like to return an item from order PC104777, it's the wrong size",
      'start_return',
      { order_number: 'PC104777', reason: 'wrong size' },
    ],
    [
      'Change the delivery address of order #PC105152',
      'change_delivery_address',
      { order_number: '#PC105152' },
    ],
  ])('takes "%s" for %s', (text, toolName, expected) => {
    expect(detectActionIntent(prompt(['customer', text]), specs)).toEqual({
      toolName,
      input: expected,
    });
  });

  it.each([
    'How long do I have to return something?',
    'hw many days do i hav to return smth i bought?',
    "What's the minimum order for free standard delivery on my plan? I'm in Singapore.",
    'If I cancel my plan today, do I get the rest of this month refunded?',
    "What's the difference between Packed and Dispatched on my order?",
    'I forgot to enter my discount code and the order is already placed.',
    'Can you check the status of my Shopee order 2411190042?',
    'How do I cancel an order?',
    'Please change my order',
  ])('leaves "%s" to the help center', (text) => {
    expect(detectActionIntent(prompt(['customer', text]), specs)).toBeNull();
  });

  it('completes a request from the answers to its questions, a free-text one taken whole', () => {
    const askNumber = askForInput(
      spec('change_delivery_address'),
      input('change_delivery_address', 'order_number'),
    );
    const askAddress = askForInput(
      spec('change_delivery_address'),
      input('change_delivery_address', 'new_address'),
    );
    expect(askNumber).toBe(
      'Change the delivery address: what is the order number? The order number, which starts with #PC, e.g. #PC105120.',
    );
    const lines: Line[] = [
      ['customer', 'Please change the delivery address for my order'],
      ['assistant', askNumber],
      ['customer', 'It is PC105152'],
    ];
    expect(detectActionIntent(prompt(...lines), specs)).toEqual({
      toolName: 'change_delivery_address',
      input: { order_number: 'PC105152' },
    });
    expect(
      detectActionIntent(
        prompt(
          ...lines,
          ['assistant', askAddress],
          ['customer', ' 8 Marina View, Singapore 018960 '],
        ),
        specs,
      ),
    ).toEqual({
      toolName: 'change_delivery_address',
      input: { order_number: 'PC105152', new_address: '8 Marina View, Singapore 018960' },
    });
  });

  it('does not take a reply as an answer unless the question before it was its own', () => {
    expect(
      detectActionIntent(
        prompt(
          ['customer', 'I want to cancel my order'],
          ['assistant', 'Sure. Which one do you mean?'],
          ['customer', 'PC105120'],
        ),
        specs,
      ),
    ).toBeNull();
    // Nor is an earlier request taken up again by a later question.
    const ask = askForInput(spec('cancel_order'), input('cancel_order', 'order_number'));
    expect(
      detectActionIntent(
        prompt(
          ['customer', 'How long do refunds take?'],
          ['assistant', ask],
          ['customer', 'PC105120'],
        ),
        specs,
      ),
    ).toBeNull();
  });

  it('words an action’s outcome, question or refusal, and nothing of other tools', () => {
    const cancel = spec('cancel_order');
    expect(
      replyToActionResult(cancel, {
        status: 'awaiting_confirmation',
        callId: 'c1',
        summary: 'Cancel an order (order number: PC105120)',
      }),
    ).toBe('Please confirm: Cancel an order (order number: PC105120).');
    expect(replyToActionResult(cancel, { status: 'needs_input', question: 'Which order?' })).toBe(
      'Which order?',
    );
    expect(replyToActionResult(cancel, { error: 'Please sign in first.' })).toBe(
      'Please sign in first.',
    );
    expect(
      replyToActionResult(spec('order_status'), {
        status: 'completed',
        callId: 'c2',
        input: {},
        result: { order: { number: '#PC1', status_label: 'Packed', status_detail: 'Boxed.' } },
      }),
    ).toBe('Order #PC1 — Packed. Boxed.');
  });
});
