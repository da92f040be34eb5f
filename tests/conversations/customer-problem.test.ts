import { describe, expect, it } from 'vitest';
import type { Classification } from '@/lib/classify/schema';
import {
  type CustomerLine,
  findCustomerProblem,
  findOpenQuestion,
  sinceLastResolved,
  substantiveText,
} from '@/lib/conversations/customer-problem';
import { formatTicketTitle, titleFromConversation } from '@/lib/tickets/ticket-title';

function reading(overrides: Partial<Classification> = {}): Classification {
  return {
    category: 'orders_shipping',
    intent: 'question',
    priority: 'medium',
    sentiment: { polarity: 0, label: 'neutral', frustration: 0 },
    language: 'en',
    summary: '',
    requiresHuman: false,
    confidence: 0.9,
    ...overrides,
  };
}

describe('the words that say what the customer needs', () => {
  it.each([
    ['ok thanks', ''],
    ['HELLO??', ''],
    ['are you there', ''],
    ['thanks, that fixed it', ''],
    ['I have a question', ''],
    ['Hi, my name is Quinn. I want to talk to a person, please.', ''],
    ['请转人工', ''],
    ['Where is my parcel?', 'Where is my parcel?'],
    ['Thanks! My parcel PX-2211 never arrived.', 'My parcel PX-2211 never arrived.'],
    [
      'Hello, I was charged twice for order 123, can you help?',
      'I was charged twice for order 123',
    ],
    ['I need a person: parcel 7 is lost', 'parcel 7 is lost'],
    ['it is still not fixed', 'it is still not fixed'],
    ['The service is down', 'The service is down'],
    ['你好，我的包裹还没到，请转人工', '我的包裹还没到'],
  ])('%j → %j', (text, expected) => {
    expect(substantiveText(text)).toBe(expected);
  });

  it('keeps a request for a person that also names the matter', () => {
    expect(substantiveText('I want to talk to a human about my refund')).toBe(
      'I want to talk to a human about my refund',
    );
  });
});

describe('the customer’s problem and open question', () => {
  const lines: CustomerLine[] = [
    { content: 'Hi there!', classification: reading({ intent: 'greeting', priority: 'low' }) },
    { content: 'How long does standard shipping take?', classification: reading() },
    {
      content: "My parcel PX-2211 never arrived and I'm furious.",
      classification: reading({
        intent: 'complaint',
        priority: 'high',
        sentiment: { polarity: -0.6, label: 'negative', frustration: 0.7 },
      }),
    },
    { content: 'Order PX-2211, sent on the 3rd.', classification: reading() },
    { content: 'I want to talk to a human', classification: reading({ intent: 'asks_for_human' }) },
    { content: 'ok thanks', classification: reading({ intent: 'feedback', priority: 'low' }) },
  ];

  it('is the most pressing statement, not the routine question before it or the details after', () => {
    expect(findCustomerProblem(lines)).toEqual({
      index: 2,
      text: "My parcel PX-2211 never arrived and I'm furious.",
    });
  });

  it('takes the earliest of equally pressing statements', () => {
    const routine = [lines[1]!, lines[3]!];
    expect(findCustomerProblem(routine)?.index).toBe(0);
  });

  it('asks the latest thing that says what they need, not the "ok thanks" after it', () => {
    expect(findOpenQuestion(lines)).toEqual({ index: 3, text: 'Order PX-2211, sent on the 3rd.' });
    expect(findOpenQuestion(lines.slice(0, 3))?.index).toBe(2);
    expect(findOpenQuestion([lines[0]!, lines[5]!])).toBeNull();
  });

  it('counts only what came after the last resolution', () => {
    const m = (role: string, content: string, event?: 'resolved' | 'joined') => ({
      role,
      content,
      metadata: event ? { event } : {},
    });
    const history = [
      m('customer', 'My card was declined'),
      m('system', 'Dana joined the conversation', 'joined'),
      m('system', 'Dana resolved the conversation', 'resolved'),
      m('customer', 'How do I change my address?'),
    ];
    expect(sinceLastResolved(history).map((x) => x.content)).toEqual([
      'How do I change my address?',
    ]);
    expect(sinceLastResolved(history.slice(0, 2))).toHaveLength(2);
  });
});

describe('ticket titles', () => {
  it('are the problem in the customer’s words, tidied into one short line', () => {
    expect(formatTicketTitle('hi my parcel never arrived.')).toBe('My parcel never arrived');
    expect(formatTicketTitle('  the lid of my teapot\narrived   cracked!! ')).toBe(
      'The lid of my teapot arrived cracked',
    );
    const long =
      'I ordered the large blue enamel kettle with the bamboo handle three weeks ago and it still has not arrived at my flat';
    const title = formatTicketTitle(long);
    expect(title).toBe('I ordered the large blue enamel kettle with the bamboo handle three…');
    expect(title.length).toBeLessThanOrEqual(72);
    expect(formatTicketTitle('我'.repeat(100))).toHaveLength(72);
  });

  it('come from the conversation, else from what the caller said, else nothing', () => {
    const asked: CustomerLine[] = [
      { content: 'Hi, my name is Ana.' },
      { content: 'I want to talk to a human' },
    ];
    expect(titleFromConversation(asked)).toBeNull();
    expect(titleFromConversation(asked, 'Refund for a cracked teapot')).toBe(
      'Refund for a cracked teapot',
    );
    expect(titleFromConversation(asked, 'I want to talk to a human')).toBeNull();
    expect(
      titleFromConversation([{ content: 'The teapot lid arrived cracked' }, ...asked], 'x y'),
    ).toBe('The teapot lid arrived cracked');
  });
});
