import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConsoleConversation } from '@/app/api/console/_lib/conversation-detail';
import { listQueue } from '@/app/api/console/_lib/queue';
import { conversations, customers, messages, tickets } from '@/db/schema';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { handBack, resolve, sendAgentReply, takeOver, transfer } from '@/lib/conversations/handoff';
import { loadCustomerChat } from '@/lib/conversations/load-customer-chat';
import { markRead } from '@/lib/conversations/reads';
import { createAnonymousCustomer, findCustomer } from '@/lib/customers/queries';
import { createCustomerToken } from '@/lib/customers/session';
import { TandemError } from '@/lib/errors';
import { listenToConversationEvents, type PublishedEvent } from '@/lib/events/conversation-events';
import { startApp, stopApp } from '@/lib/server/app';
import { createStaff, type StaffUser } from '@/lib/staff/queries';
import { askTurn } from '@/tests/harness/customer-turn';
import { startTestApp } from '../harness/app';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

async function say(app: AppContext, customerId: string, text: string, conversationId?: string) {
  const customer = (await findCustomer(app.database.db, customerId))!;
  const result = await askTurn(app, { customer, conversationId, text });
  const reader = result.stream.getReader();
  let answer = '';
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    if (next.value.type === 'text-delta') answer += next.value.delta;
  }
  return { conversationId: result.conversationId, answer };
}

async function staffPair(app: AppContext): Promise<[StaffUser, StaffUser]> {
  const suffix = crypto.randomUUID().slice(0, 8);
  return [
    await createStaff(app.database.db, {
      email: `dana-${suffix}@example.com`,
      name: 'Dana',
      role: 'agent',
      password: 'correct horse',
    }),
    await createStaff(app.database.db, {
      email: `sam-${suffix}@example.com`,
      name: 'Sam',
      role: 'agent',
      password: 'correct horse',
    }),
  ];
}

async function rejection(promise: Promise<unknown>): Promise<TandemError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TandemError);
  return error as TandemError;
}

function ownershipSuite(
  name: string,
  open: () => Promise<{ app: AppContext; stop: () => Promise<void> }>,
) {
  describe(`conversation ownership (${name})`, () => {
    let app: AppContext;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      ({ app, stop } = await open());
    });
    afterAll(() => stop?.());

    it('lets exactly one of two agents claiming at once take the conversation', async () => {
      const [dana, sam] = await staffPair(app);
      const customer = await createAnonymousCustomer(app.database.db);
      const { conversationId } = await say(app, customer.id, 'I want to talk to a person');

      for (let round = 0; round < 5; round++) {
        const results = await Promise.allSettled([
          takeOver(app, dana, conversationId),
          takeOver(app, sam, conversationId),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        const winner = results[0]!.status === 'fulfilled' ? dana : sam;
        const error = (lost[0] as PromiseRejectedResult).reason as TandemError;
        expect(error.code).toBe('conflict:conversation');
        expect(error.status).toBe(409);
        expect(error.message).toBe(`${winner.name} has already taken over this conversation.`);
        // The refusal tells the loser who holds it.
        expect(error.details).toMatchObject({
          owner: 'human',
          assignedAgent: { id: winner.id, name: winner.name },
        });

        const [row] = await app.database.db
          .select()
          .from(conversations)
          .where(eq(conversations.id, conversationId));
        expect(row).toMatchObject({ owner: 'human', assignedAgentId: winner.id });
        const joined = await app.database.db
          .select()
          .from(messages)
          .where(eq(messages.conversationId, conversationId));
        // One "joined" per successful claim: the loser left no trace.
        expect(joined.filter((m) => m.metadata.event === 'joined')).toHaveLength(round + 1);
        await handBack(app, winner, conversationId);
      }
    });

    it('keeps the AI silent while a person has the conversation, then hands back', async () => {
      const [dana] = await staffPair(app);
      const customer = await createAnonymousCustomer(app.database.db);
      const first = await say(app, customer.id, 'How long does standard shipping take?');
      expect(first.answer).not.toBe('');
      const { conversationId } = first;

      await takeOver(app, dana, conversationId);
      for (const text of ['hello?', 'HELLO??', 'are you there', 'How do I reset my password?']) {
        expect((await say(app, customer.id, text, conversationId)).answer).toBe('');
      }
      await sendAgentReply(app, dana, conversationId, 'Hi, Dana here — looking at it now.');
      const transcript = await app.database.db
        .select()
        .from(messages)
        .where(eq(messages.conversationId, conversationId));
      const afterTakeOver = transcript.slice(
        transcript.findIndex((m) => m.metadata.event === 'joined'),
      );
      expect(afterTakeOver.map((m) => m.role)).toEqual([
        'system',
        'customer',
        'customer',
        'customer',
        'customer',
        'agent',
      ]);
      expect(afterTakeOver.at(-1)!.metadata.agent).toEqual({ id: dana.id, name: 'Dana' });

      // The customer's widget shows the agent's name and the change of hands, not internal events.
      const chat = await loadCustomerChat(app, createCustomerToken(customer.id, app.secret));
      expect(chat.withPerson).toBe(true);
      expect(chat.messages.map((m) => m.parts[0])).toContainEqual({
        type: 'text',
        text: 'Dana joined the conversation',
      });
      expect(chat.messages.at(-1)!.metadata).toMatchObject({ author: 'agent', agentName: 'Dana' });

      await handBack(app, dana, conversationId);
      const answered = await say(app, customer.id, 'How do I reset my password?', conversationId);
      expect(answered.answer).toMatch(/password/i);
    });

    it('lets only the agent who has it reply, hand back or transfer', async () => {
      const [dana, sam] = await staffPair(app);
      const customer = await createAnonymousCustomer(app.database.db);
      const { conversationId } = await say(app, customer.id, 'Where is my parcel?');

      expect((await rejection(sendAgentReply(app, dana, conversationId, 'hi'))).message).toBe(
        'Take over the conversation before replying.',
      );
      await takeOver(app, dana, conversationId);
      const refused = await rejection(sendAgentReply(app, sam, conversationId, 'hi'));
      expect(refused).toMatchObject({ code: 'conflict:conversation' });
      expect(refused.message).toMatch(/^Dana has this conversation\./);
      expect((await rejection(handBack(app, sam, conversationId))).code).toBe(
        'conflict:conversation',
      );
      expect((await rejection(transfer(app, sam, conversationId, sam.id))).code).toBe(
        'bad_request:transfer',
      );

      await transfer(app, dana, conversationId, sam.id);
      await sendAgentReply(app, sam, conversationId, 'Sam here, I have your order open.');
      expect((await rejection(sendAgentReply(app, dana, conversationId, 'hi'))).message).toMatch(
        /^Sam has this conversation/,
      );
      const events = (
        await app.database.db
          .select()
          .from(messages)
          .where(eq(messages.conversationId, conversationId))
      ).filter((m) => m.role === 'system');
      expect(events.map((m) => m.content)).toEqual([
        'Dana joined the conversation',
        'Dana transferred the conversation to Sam',
      ]);
    });

    it('resolves with an agents-only note, settles the ticket, and starts a follow-up when the customer returns', async () => {
      const [dana] = await staffPair(app);
      const customer = await createAnonymousCustomer(app.database.db);
      const { conversationId } = await say(app, customer.id, 'I want to speak to a human agent');
      await takeOver(app, dana, conversationId);
      await resolve(app, dana, conversationId, 'Refund issued manually, INV-7.');

      const [row] = await app.database.db
        .select()
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      expect(row).toMatchObject({ status: 'resolved', owner: 'ai' });
      expect(row!.resolvedAt).toBeInstanceOf(Date);
      const [ticket] = await app.database.db
        .select()
        .from(tickets)
        .where(eq(tickets.conversationId, conversationId));
      expect(ticket!.status).toBe('resolved');
      expect((await rejection(resolve(app, dana, conversationId))).message).toBe(
        'This conversation is already resolved.',
      );

      // The customer sees that it was resolved, never the note.
      const chat = await loadCustomerChat(app, createCustomerToken(customer.id, app.secret));
      expect(JSON.stringify(chat)).not.toContain('INV-7');
      const detail = await getConsoleConversation(app.database.db, conversationId);
      expect(detail.messages.at(-1)).toMatchObject({
        event: 'resolved',
        note: 'Refund issued manually, INV-7.',
      });

      const back = await say(app, customer.id, 'How do I reset my password?', conversationId);
      expect(back.answer).toMatch(/password/i);
      expect(back.conversationId).not.toBe(conversationId);
      const [resolved, followUp] = await Promise.all(
        [conversationId, back.conversationId].map(
          async (id) =>
            (
              await app.database.db.select().from(conversations).where(eq(conversations.id, id))
            )[0]!,
        ),
      );
      // Still resolved by Dana, so her figures keep it; the new question is a conversation of its own.
      expect(resolved).toMatchObject({
        status: 'resolved',
        resolvedBy: 'human',
        assignedAgentId: dana.id,
      });
      expect(followUp).toMatchObject({
        status: 'open',
        owner: 'ai',
        previousConversationId: conversationId,
      });
    });

    it('queues by priority then waiting time, with unread counts per agent', async () => {
      const [dana, sam] = await staffPair(app);
      const calm = await createAnonymousCustomer(app.database.db);
      const first = await say(
        app,
        calm.id,
        'Could a person help me with a question about my invoice?',
      );
      const urgent = await createAnonymousCustomer(app.database.db);
      const second = await say(
        app,
        urgent.id,
        'Someone hacked my account and made payments! I need a human NOW.',
      );
      const queue = await listQueue(app.database.db, dana, 'unassigned');
      const ids = queue.map((q) => q.id);
      expect(ids.indexOf(second.conversationId)).toBeLessThan(ids.indexOf(first.conversationId));
      const item = queue.find((q) => q.id === second.conversationId)!;
      expect(item).toMatchObject({
        owner: 'none',
        unread: 1,
        lastCustomerMessage: 'Someone hacked my account and made payments! I need a human NOW.',
      });
      expect(item.waitingSince).not.toBeNull();

      await markRead(app.database.db, second.conversationId, dana.id);
      await takeOver(app, dana, second.conversationId);
      await say(app, urgent.id, 'hello?', second.conversationId);
      const mine = await listQueue(app.database.db, dana, 'mine');
      expect(mine.map((q) => q.id)).toEqual([second.conversationId]);
      expect(mine[0]).toMatchObject({ unread: 1, lastCustomerMessage: 'hello?' });
      expect((await listQueue(app.database.db, sam, 'mine')).map((q) => q.id)).not.toContain(
        second.conversationId,
      );
      expect(
        (await listQueue(app.database.db, sam, 'open')).find((q) => q.id === second.conversationId)!
          .unread,
      ).toBe(2);
    });

    it('searches the queue by customer name or email, words, and ticket number', async () => {
      const [dana] = await staffPair(app);
      const suffix = crypto.randomUUID().slice(0, 8);
      const lena = await createAnonymousCustomer(app.database.db);
      await app.database.db
        .update(customers)
        .set({ name: `Lena ${suffix}`, email: `lena-${suffix}@example.com` })
        .where(eq(customers.id, lena.id));
      const asked = await say(app, lena.id, `I need a person: parcel ${suffix}_x is 100% lost`);
      const other = await createAnonymousCustomer(app.database.db);
      const unrelated = await say(app, other.id, 'Please get me a human about my refund');
      const [ticket] = await app.database.db
        .select({ number: tickets.number })
        .from(tickets)
        .where(eq(tickets.conversationId, asked.conversationId));

      const found = async (search: string, filter: 'open' | 'resolved' = 'open') =>
        (await listQueue(app.database.db, dana, filter, search)).map((q) => q.id);
      for (const search of [
        `lena ${suffix}`.toUpperCase(),
        `lena-${suffix}@EXAMPLE`,
        `${suffix}_x is 100%`,
        `TKT-${ticket!.number}`,
      ]) {
        expect(await found(search)).toEqual([asked.conversationId]);
      }
      // LIKE wildcards are the characters themselves, not "anything".
      expect(await found(`${suffix}%x`)).toEqual([]);
      expect(await found(`${suffix}_`)).toEqual([asked.conversationId]);
      // The search narrows the chosen list; it does not widen it.
      expect(await found(`lena ${suffix}`, 'resolved')).toEqual([]);
      expect(await found('')).toEqual(
        expect.arrayContaining([asked.conversationId, unrelated.conversationId]),
      );
    });

    it('publishes every change for consoles and widgets', async () => {
      const [dana] = await staffPair(app);
      const customer = await createAnonymousCustomer(app.database.db);
      const { conversationId } = await say(app, customer.id, 'Where is my parcel?');
      const seen: PublishedEvent[] = [];
      const stopListening = await listenToConversationEvents(app, (e) => {
        // The customer's own message and the AI's answer may still be in flight; they are not under test here.
        const fromPipeline =
          e.type === 'message.created' && ['customer', 'ai'].includes(e.message.role);
        if (e.conversationId === conversationId && !fromPipeline) seen.push(e);
      });
      try {
        await takeOver(app, dana, conversationId);
        await sendAgentReply(app, dana, conversationId, 'On it.');
        await expect
          .poll(() =>
            seen.map((e) =>
              e.type === 'message.created' ? `${e.type}:${e.message.role}` : e.type,
            ),
          )
          .toEqual(['message.created:system', 'conversation.updated', 'message.created:agent']);
        const reply = seen[2] as Extract<PublishedEvent, { type: 'message.created' }>;
        expect(reply.message).toMatchObject({ content: 'On it.', agent: { name: 'Dana' } });
      } finally {
        stopListening();
      }
    });
  });
}

ownershipSuite('PGlite', () => startTestApp());

describe.runIf(testEnv.databaseUrl)('on PostgreSQL', () => {
  let database: TestDatabase;
  ownershipSuite('PostgreSQL', async () => {
    database = await createTestDatabase(testEnv.databaseUrl!);
    const app = await startApp(
      parseConfig({
        DATABASE_URL: database.url,
        TANDEM_DEMO: 'true',
        LOG_LEVEL: 'silent',
        TANDEM_CONSENT_REQUIRED: 'false',
      }),
    );
    return {
      app,
      stop: async () => {
        await stopApp(app);
        await database.drop();
      },
    };
  });
});
