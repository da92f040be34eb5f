import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '@/db/schema';
import {
  getCustomerConversation,
  listCustomerConversations,
} from '@/lib/conversations/customer-conversations';
import { resolve, resolveUnheld, takeOver } from '@/lib/conversations/handoff';
import { findLinkedConversations } from '@/lib/conversations/linked-conversations';
import { recordAiMessage, recordCustomerMessage } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { recordCsat } from '@/lib/feedback/feedback';
import { createStaff, type StaffUser } from '@/lib/staff/queries';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

let app: TestDatabaseContext;
let dana: StaffUser;

beforeAll(async () => {
  app = await openTestDatabase();
  dana = await createStaff(app.db, {
    email: 'dana@example.com',
    name: 'Dana',
    role: 'agent',
    password: 'correct horse',
  });
}, 60_000);
afterAll(() => app?.close());

async function started(text = 'Where is my parcel?') {
  const customerId = (await createAnonymousCustomer(app.db)).id;
  const { conversation } = await recordCustomerMessage(app.db, { customerId, content: text });
  await recordAiMessage(app.db, {
    id: randomUUID(),
    conversationId: conversation.id,
    content: 'It is on its way.',
    parts: [],
    metadata: {},
  });
  return { customerId, id: conversation.id };
}

const row = async (id: string) =>
  (await app.db.select().from(conversations).where(eq(conversations.id, id)))[0]!;

describe('a customer writing after their conversation was resolved', () => {
  it('starts a new conversation linked to the resolved one, which stays resolved by its agent', async () => {
    const { customerId, id } = await started();
    await takeOver(app, dana, id);
    await resolve(app, dana, id);

    const { conversation } = await recordCustomerMessage(app.db, {
      customerId,
      conversationId: id,
      content: 'Another question: can I change the address?',
    });
    expect(conversation.id).not.toBe(id);
    expect(conversation.previousConversationId).toBe(id);
    expect(conversation.status).toBe('open');
    expect(conversation.owner).toBe('ai');
    expect(conversation.customerId).toBe(customerId);

    const resolved = await row(id);
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedBy).toBe('human');
    // The agent dashboard counts conversations their agent resolved: the return takes nothing away.
    expect(resolved.assignedAgentId).toBe(dana.id);
    expect(resolved.resolvedAt).not.toBeNull();

    // More messages to the resolved conversation continue the same follow-up.
    const again = await recordCustomerMessage(app.db, {
      customerId,
      conversationId: id,
      content: 'And the phone number?',
    });
    expect(again.conversation.id).toBe(conversation.id);
  });

  it('follows the chain: once the follow-up is resolved too, the next one follows it', async () => {
    const { customerId, id } = await started();
    await resolveUnheld(app, id, { by: 'api' });
    const first = await recordCustomerMessage(app.db, {
      customerId,
      conversationId: id,
      content: 'One more thing.',
    });
    await resolveUnheld(app, first.conversation.id, { by: 'api' });

    const second = await recordCustomerMessage(app.db, {
      customerId,
      conversationId: id,
      content: 'And another.',
    });
    expect(second.conversation.id).not.toBe(first.conversation.id);
    expect(second.conversation.previousConversationId).toBe(first.conversation.id);

    expect(await findLinkedConversations(app.db, first.conversation)).toMatchObject({
      previous: { id, status: 'resolved' },
      next: [{ id: second.conversation.id, status: 'open' }],
    });
    expect(await findLinkedConversations(app.db, await row(id))).toMatchObject({
      previous: null,
      next: [{ id: first.conversation.id }],
    });
  });

  it('starts one follow-up when two messages arrive at once', async () => {
    const { customerId, id } = await started();
    await resolveUnheld(app, id, { by: 'api' });
    const results = await Promise.all(
      ['First at once', 'Second at once'].map((content) =>
        recordCustomerMessage(app.db, { customerId, conversationId: id, content }),
      ),
    );
    expect(new Set(results.map((r) => r.conversation.id)).size).toBe(1);
    const followUps = await app.db
      .select()
      .from(conversations)
      .where(eq(conversations.previousConversationId, id));
    expect(followUps).toHaveLength(1);
  });

  it('keeps an idempotency key working across the follow-up: a repeat is a conflict', async () => {
    const { customerId, id } = await started();
    await resolveUnheld(app, id, { by: 'api' });
    const input = { customerId, conversationId: id, content: 'Retry me', idempotencyKey: 'k-1' };
    await recordCustomerMessage(app.db, input);
    await expect(recordCustomerMessage(app.db, input)).rejects.toMatchObject({
      code: 'conflict:message',
    });
  });
});

describe("a customer's own conversations, as their widget shows them", () => {
  it('lists them newest first with the first question, status and rating; nobody else sees them', async () => {
    const { customerId, id } = await started('How do refunds work?');
    await resolveUnheld(app, id, { by: 'api' });
    await recordCsat(app.db, { customerId, conversationId: id, rating: 4 });
    const { conversation: next } = await recordCustomerMessage(app.db, {
      customerId,
      conversationId: id,
      content: 'Can I change my address?',
    });

    const listed = await listCustomerConversations(app.db, customerId);
    expect(listed.map((c) => [c.id, c.status, c.firstQuestion, c.rating])).toEqual([
      [next.id, 'open', 'Can I change my address?', null],
      [id, 'resolved', 'How do refunds work?', 4],
    ]);
    expect(listed[0]!.previousConversationId).toBe(id);

    const stranger = (await createAnonymousCustomer(app.db)).id;
    expect(await listCustomerConversations(app.db, stranger)).toEqual([]);
    await expect(getCustomerConversation(app.db, stranger, id)).rejects.toMatchObject({
      code: 'forbidden:conversation',
    });

    const past = await getCustomerConversation(app.db, customerId, id);
    expect(past).toMatchObject({ id, status: 'resolved', rating: 4, withPerson: false });
    expect(past.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'system']);
  });
});
