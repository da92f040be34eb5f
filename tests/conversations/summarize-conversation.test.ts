import { MockLanguageModelV4 } from 'ai/test';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConsoleConversation } from '@/app/api/console/_lib/conversation-detail';
import { conversations, customers } from '@/db/schema';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { refreshSummaryIfDue } from '@/lib/memory/memory';
import {
  chooseSummarizer,
  type SummaryInput,
  summarizeConversation,
  summarizeWithModel,
} from '@/lib/memory/summarize';
import { say as sayAs } from '@/tests/harness/customer-turn';
import { startTestApp } from '../harness/app';

const CONVERSATION: SummaryInput[] = [
  { role: 'customer', content: 'Hi there!' },
  { role: 'ai', content: 'Hello! How can I help?', metadata: { smallTalk: true } },
  { role: 'customer', content: 'The lid of my teapot arrived cracked. Order PX-2211.' },
  {
    role: 'ai',
    content: 'Sorry to hear that! Here is what to do… [1]',
    metadata: {
      citations: [{ documentId: 'd1', slug: 'damaged', title: 'Damaged, missing or wrong item' }],
    },
  },
  { role: 'customer', content: 'Can I get a new lid instead of a refund?' },
  { role: 'ai', content: "I'm sorry, I don't know…", metadata: { abstained: true } },
  { role: 'customer', content: 'I want to talk to a human' },
  {
    role: 'system',
    content: 'Escalated to the support team (customer asked for a person); ticket TKT-1001.',
    metadata: { event: 'escalated' },
  },
  { role: 'system', content: 'Dana joined the conversation', metadata: { event: 'joined' } },
  {
    role: 'agent',
    content: 'Hi, Dana here. A new lid is on its way to you.',
    metadata: { agent: { id: 'a1', name: 'Dana' } },
  },
  { role: 'customer', content: 'ok thanks' },
];

describe('the offline summary of a whole conversation', () => {
  it('says the problem, what the assistant and the team did, and where it stands', () => {
    expect(summarizeConversation(CONVERSATION)).toBe(
      'Customer: The lid of my teapot arrived cracked. Order PX-2211. Can I get a new lid instead of a refund? ' +
        'The assistant answered from “Damaged, missing or wrong item”. The assistant could not answer one message. ' +
        'Escalated to the support team (customer asked for a person); ticket TKT-1001. Dana joined the conversation. ' +
        'Dana last wrote: “Hi, Dana here. A new lid is on its way to you.” ' +
        'Latest from the customer: “ok thanks”.',
    );
  });

  it('is empty for a conversation that has said nothing yet', () => {
    expect(summarizeConversation([])).toBe('');
    expect(summarizeConversation([{ role: 'customer', content: 'hello?' }])).toBe(
      'Latest from the customer: “hello?”',
    );
  });
});

describe('the summary by a language model', () => {
  it('reads the transcript, speakers named, and falls back to the extractive one when silent', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: async () => ({
        content: [{ type: 'text', text: ' The customer’s teapot lid arrived cracked. ' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 1, text: 1, reasoning: 0 },
        },
        warnings: [],
      }),
    });
    expect(await summarizeWithModel({ model }, CONVERSATION)).toBe(
      'The customer’s teapot lid arrived cracked.',
    );
    const [call] = model.doGenerateCalls;
    const system = call!.prompt.find((m) => m.role === 'system')!.content as string;
    expect(system).toMatch(/^You summarise a customer-support chat/);
    const transcript = JSON.stringify(call!.prompt.at(-1));
    for (const line of [
      'Customer: The lid of my teapot arrived cracked. Order PX-2211.',
      'Assistant: Hello! How can I help?',
      'Event: Dana joined the conversation',
      'Agent Dana: Hi, Dana here.',
    ]) {
      expect(transcript).toContain(line);
    }

    const silent = new MockLanguageModelV4({
      doGenerate: async () => ({
        content: [],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 0, text: 0, reasoning: 0 },
        },
        warnings: [],
      }),
    });
    expect(await summarizeWithModel({ model: silent }, CONVERSATION)).toBe(
      summarizeConversation(CONVERSATION),
    );
  });
});

describe('the summary agents read (PGlite)', () => {
  let app: AppContext;
  let stop: () => Promise<void>;
  // No job worker: the test runs the summary refreshes itself.
  beforeAll(async () => {
    ({ app, stop } = await startTestApp({ TANDEM_JOBS_WORKER: 'false' }));
  });
  afterAll(() => stop?.());

  const say = async (customerId: string, text: string, conversationId?: string) =>
    (await sayAs(app, customerId, text, conversationId)).conversationId;

  it('is the stored one while it covers every message, the whole conversation otherwise', async () => {
    const { db } = app.database;
    const customer = await createAnonymousCustomer(db);
    const id = await say(customer.id, 'The lid of my teapot arrived cracked.');
    await say(customer.id, 'I want to talk to a human', id);
    const console = () => getConsoleConversation(db, id).then((d) => d.conversation.summary);
    // Fewer messages than a summary period: nothing stored, the console summarises it all now.
    expect(await console()).toMatch(
      /^Customer: The lid of my teapot arrived cracked\. .*Escalated to the support team/,
    );

    // With the team, every new message makes the summary due, whatever the period.
    const written = (label: string) => () => label;
    await refreshSummaryIfDue(db, id, 100, written('Written summary 1'));
    expect(await console()).toBe('Written summary 1');
    await say(customer.id, 'ok thanks', id);
    expect(await console()).toMatch(/Latest from the customer: “ok thanks”\.$/);
    await refreshSummaryIfDue(db, id, 100, written('Written summary 2'));
    expect(await console()).toBe('Written summary 2');
    await refreshSummaryIfDue(db, id, 100, written('not due: nothing new'));
    expect(await console()).toBe('Written summary 2');
  });

  it('with the assistant answering, waits for the period', async () => {
    const { db } = app.database;
    const customer = await createAnonymousCustomer(db);
    const id = await say(customer.id, 'How do I reset my password?');
    await refreshSummaryIfDue(db, id, 4, () => 'too early');
    const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
    expect(row!.summary).toBeNull();
    await say(customer.id, 'And how do I set up two-factor authentication?', id);
    await refreshSummaryIfDue(db, id, 4, () => 'after four messages');
    const [after] = await db.select().from(conversations).where(eq(conversations.id, id));
    expect(after).toMatchObject({ summary: 'after four messages', summarizedMessages: 4 });
  });

  it('is written by the configured model, never for a customer who declined, never by the built-in one', async () => {
    const { db } = app.database;
    const model = new MockLanguageModelV4();
    const withModel = {
      database: app.database,
      model,
      config: parseConfig({ LOG_LEVEL: 'silent', OPENAI_API_KEY: 'k', OPENAI_MODEL: 'm' }),
    };
    const customer = await createAnonymousCustomer(db);
    const id = await say(customer.id, 'The lid of my teapot arrived cracked.');
    expect(await chooseSummarizer(app, id)).toBe(summarizeConversation);
    expect(await chooseSummarizer(withModel, id)).not.toBe(summarizeConversation);
    await db.update(customers).set({ consent: 'declined' }).where(eq(customers.id, customer.id));
    expect(await chooseSummarizer(withModel, id)).toBe(summarizeConversation);
  });
});
