import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, type MessageMetadata, messages } from '@/db/schema';
import { TandemError } from '@/lib/errors';

export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;

/** The conversation if this customer owns it; a typed error otherwise. */
export async function getCustomerConversationOrThrow(
  db: Database,
  conversationId: string,
  customerId: string | null,
): Promise<Conversation> {
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  if (!conversation) {
    throw new TandemError('not_found:conversation', 'No conversation has that id.');
  }
  if (conversation.customerId !== customerId) {
    throw new TandemError('forbidden:conversation', 'That conversation belongs to someone else.');
  }
  return conversation;
}

/** The customer's most recent conversation that is still going, to resume it after a reload. */
export async function findActiveConversation(
  db: Database,
  customerId: string,
): Promise<Conversation | null> {
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.customerId, customerId),
        inArray(conversations.status, ['open', 'waiting']),
      ),
    )
    .orderBy(desc(conversations.lastMessageAt))
    .limit(1);
  return conversation ?? null;
}

export async function listMessages(db: Database, conversationId: string): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

/**
 * Stores a customer's message, opening a conversation for it when none is given, in one
 * transaction: a failure leaves neither behind. A repeated idempotency key is a conflict.
 */
export async function recordCustomerMessage(
  db: Database,
  input: {
    customerId: string;
    conversationId?: string;
    content: string;
    idempotencyKey?: string;
    channel?: 'widget' | 'api';
  },
): Promise<{ conversation: Conversation; message: Message }> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const [conversation] = input.conversationId
      ? await tx
          .update(conversations)
          .set({ lastMessageAt: now })
          .where(eq(conversations.id, input.conversationId))
          .returning()
      : await tx
          .insert(conversations)
          .values({ customerId: input.customerId, channel: input.channel ?? 'widget' })
          .returning();
    if (!conversation)
      throw new TandemError('not_found:conversation', 'No conversation has that id.');

    const [message] = await tx
      .insert(messages)
      .values({
        conversationId: conversation.id,
        role: 'customer',
        content: input.content,
        parts: [{ type: 'text', text: input.content }],
        idempotencyKey: input.idempotencyKey,
      })
      .onConflictDoNothing()
      .returning();
    if (!message) {
      throw new TandemError(
        'conflict:message',
        'This message was already received (same idempotency key).',
      );
    }
    return { conversation, message };
  });
}

export async function recordAiMessage(
  db: Database,
  input: {
    id: string;
    conversationId: string;
    content: string;
    parts: unknown[];
    metadata: MessageMetadata;
  },
): Promise<Message> {
  return db.transaction(async (tx) => {
    const [message] = await tx
      .insert(messages)
      .values({ ...input, role: 'ai' })
      .returning();
    await tx
      .update(conversations)
      .set({ lastMessageAt: new Date() })
      .where(eq(conversations.id, input.conversationId));
    if (!message) throw new Error('Could not store the answer');
    return message;
  });
}
