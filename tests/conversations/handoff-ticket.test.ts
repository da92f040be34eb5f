import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { escalateConversation } from '@/lib/turn/escalate-conversation';
import { converse } from '@/tests/harness/customer-turn';
import { startTestApp } from '../harness/app';

describe('hand-off tickets are titled by the problem and take the conversation’s priority', () => {
  let app: AppContext;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ app, stop } = await startTestApp());
  });
  afterAll(() => stop?.());

  const chat = async (texts: string[]) => {
    const { conversationId: id, customerId, readings } = await converse(app, texts);
    return { id, customerId, readings };
  };
  const ticketOf = async (conversationId: string) =>
    (
      await app.database.db.select().from(tickets).where(eq(tickets.conversationId, conversationId))
    )[0];

  it('from the customer’s earlier words, not "I want to talk to a human"', async () => {
    const { id, readings } = await chat([
      'Hello!',
      'I was charged twice for my order this morning.',
      'I want to talk to a human',
    ]);
    expect(readings.map((r) => r.priority)).toEqual(['low', 'high', 'medium']);
    expect(await ticketOf(id)).toMatchObject({
      subject: 'I was charged twice for my order this morning',
      priority: 'high',
    });
  });

  it('from the assistant’s own words when its tool asked for the hand-off', async () => {
    const { id, customerId } = await chat(['The lid of my teapot arrived cracked']);
    await escalateConversation(app, {
      conversationId: id,
      customerId,
      reason: 'model_request',
      explanation: 'Bringing in a person.',
      priority: 'medium',
      subject: 'replacement lid for a cracked teapot',
    });
    expect((await ticketOf(id))?.subject).toBe('Replacement lid for a cracked teapot');
  });

  it('by the reason when the customer has not said what the problem is', async () => {
    const { id } = await chat(['Hi, my name is Ana. I want to talk to a person, please.']);
    expect((await ticketOf(id))?.subject).toBe('Chat: Customer asked for a person');
  });
});
