import { describe, expect, it } from 'vitest';
import { detectToolIntent } from '@/lib/ai/offline/tool-intents';
import { extractProfileFacts } from '@/lib/memory/extract-profile-facts';
import { summarizeConversation } from '@/lib/memory/summarize';

describe('profile facts', () => {
  it.each([
    ['My name is Alice', 'Alice'],
    ['hi, my name is alice tan and my order is late', 'Alice tan'],
    ['My name is Bob and I prefer email', 'Bob'],
    ["I'm Priya, I can't log in", 'Priya'],
    ['我叫小明', '小明'],
  ])('reads the name in %j', (text, name) => {
    expect(extractProfileFacts(text).name).toBe(name);
  });

  it('does not take ordinary words for names', () => {
    expect(extractProfileFacts("I'm still waiting for my refund").name).toBeUndefined();
    expect(extractProfileFacts('I am not happy').name).toBeUndefined();
  });

  it('keeps stated preferences', () => {
    expect(extractProfileFacts('Please contact me by email, not phone.').preferences).toEqual([
      'Please contact me by email, not phone',
    ]);
  });
});

describe('extractive summary', () => {
  it('keeps the opening request and the most repeated content, with tickets opened', () => {
    const summary = summarizeConversation([
      { role: 'customer', content: 'My blender arrived with a cracked jug.' },
      { role: 'ai', content: 'Sorry to hear that. Here is how returns work.' },
      { role: 'customer', content: 'Thanks. Nice weather today. My cat likes boxes.' },
      { role: 'customer', content: 'The cracked jug leaks water everywhere.' },
      { role: 'customer', content: 'Is a cracked blender jug covered by returns?' },
      { role: 'customer', content: 'The jug crack appeared on arrival.' },
      { role: 'ai', content: "I've opened ticket **TKT-1004** for you." },
    ]);
    // The chatter scores lowest and is dropped; what is kept stays in the order it was said.
    expect(summary).toBe(
      'Customer: My blender arrived with a cracked jug. The cracked jug leaks water everywhere. Is a cracked blender jug covered by returns? The jug crack appeared on arrival. Tickets: TKT-1004.',
    );
  });
});

describe('offline tool intents', () => {
  const all = new Set([
    'create_ticket',
    'get_ticket_status',
    'update_ticket',
    'list_my_tickets',
    'lookup_account',
  ]);
  it.each([
    [
      'Please open a ticket about my blender arriving broken.',
      'create_ticket',
      {
        subject: 'My blender arriving broken',
        description: 'Please open a ticket about my blender arriving broken.',
      },
    ],
    ['where is my ticket TKT-1002?', 'get_ticket_status', { ticket: 'TKT-1002' }],
    [
      'Add to TKT-1002: the box was also wet',
      'update_ticket',
      { ticket: 'TKT-1002', details: 'the box was also wet' },
    ],
    ['show me my tickets', 'list_my_tickets', {}],
    ['What plan am I on?', 'lookup_account', {}],
    [
      '帮我开一个工单，关于退款',
      'create_ticket',
      { subject: '退款', description: '帮我开一个工单，关于退款' },
    ],
  ])('%j calls %s', (text, toolName, input) => {
    expect(detectToolIntent(text, all)).toEqual({ toolName, input });
  });

  it('leaves ordinary questions to the help center', () => {
    expect(detectToolIntent('How do I reset my password?', all)).toBeNull();
    expect(detectToolIntent('What is your refund policy for tickets to events?', all)).toBeNull();
  });
});
