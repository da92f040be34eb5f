import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import {
  attachments,
  conversations,
  kbDocuments,
  knowledgeGaps,
  type MessageMetadata,
  messageCitations,
  messages,
} from '@/db/schema';
import type { Classification } from '@/lib/classify/schema';
import { TandemError } from '@/lib/errors';
import { truncateText } from '@/lib/text/truncate';
import { emitWebhookEvent, messageEventData } from '@/lib/webhooks/events';
import { ATTACHMENT_EXCERPT_CHARS, type PreparedAttachment } from './attachments';
import { refreshConversationLabels } from './conversation-labels';

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

/** The message a client sent under this idempotency key in this conversation, if it was stored. */
export async function findMessageByIdempotencyKey(
  db: Database,
  conversationId: string,
  idempotencyKey: string,
): Promise<Message | null> {
  const [message] = await db
    .select()
    .from(messages)
    .where(
      and(eq(messages.conversationId, conversationId), eq(messages.idempotencyKey, idempotencyKey)),
    );
  return message ?? null;
}

/** Follow-ups are followed this far at most; a chain is one per return of the customer. */
const MAX_FOLLOW_UPS = 100;

/** The newest conversation started by writing into `conversationId` after it was resolved. */
async function latestFollowUp(db: Database, conversationId: string, lock: boolean) {
  const query = db
    .select()
    .from(conversations)
    .where(eq(conversations.previousConversationId, conversationId))
    .orderBy(desc(conversations.createdAt), desc(conversations.id))
    .limit(1);
  const [next] = lock ? await query.for('update') : await query;
  return next ?? null;
}

/**
 * Where a customer's message to `addressed` goes. A resolved conversation is not reopened by its
 * customer: their message continues the follow-up it already has, if that is still going, or
 * starts a new one linked to the last resolved conversation of the chain (`followUpOf`).
 */
export async function conversationToWriteIn(
  db: Database,
  addressed: Conversation,
  { lock = false }: { lock?: boolean } = {},
): Promise<
  | { conversation: Conversation; followUpOf: null }
  | { conversation: null; followUpOf: Conversation }
> {
  let current = addressed;
  for (let depth = 0; current.status === 'resolved'; depth++) {
    const next = depth < MAX_FOLLOW_UPS ? await latestFollowUp(db, current.id, lock) : null;
    if (!next) return { conversation: null, followUpOf: current };
    current = next;
  }
  return { conversation: current, followUpOf: null };
}

/**
 * Stores a customer's message, opening a conversation for it when none is given — or when the
 * one given is resolved (see `conversationToWriteIn`) — in one transaction: a failure leaves
 * neither behind. A repeated idempotency key is a conflict.
 */
export async function recordCustomerMessage(
  db: Database,
  input: {
    customerId: string;
    conversationId?: string;
    content: string;
    idempotencyKey?: string;
    channel?: 'widget' | 'api';
    classification?: Classification;
    attachments?: PreparedAttachment[];
  },
): Promise<{ conversation: Conversation; message: Message }> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const c = input.classification;
    let conversation: Conversation | undefined;
    if (input.conversationId) {
      // Locked, so two messages to a resolved conversation start one follow-up, not two.
      const [addressed] = await tx
        .select()
        .from(conversations)
        .where(eq(conversations.id, input.conversationId))
        .for('update');
      if (!addressed) {
        throw new TandemError('not_found:conversation', 'No conversation has that id.');
      }
      const target = await conversationToWriteIn(tx, addressed, { lock: true });
      [conversation] = target.conversation
        ? await tx
            .update(conversations)
            .set({ lastMessageAt: now })
            .where(eq(conversations.id, target.conversation.id))
            .returning()
        : await tx
            .insert(conversations)
            .values({
              customerId: addressed.customerId,
              channel: input.channel ?? addressed.channel,
              previousConversationId: target.followUpOf.id,
            })
            .returning();
    } else {
      [conversation] = await tx
        .insert(conversations)
        .values({ customerId: input.customerId, channel: input.channel ?? 'widget' })
        .returning();
    }
    if (!conversation) throw new Error('Could not store the conversation');

    const files = (input.attachments ?? []).map((a) => ({ ...a, id: randomUUID() }));
    const [message] = await tx
      .insert(messages)
      .values({
        conversationId: conversation.id,
        role: 'customer',
        content: input.content,
        parts: [
          { type: 'text', text: input.content },
          ...files.map((f) => ({
            type: 'attachment',
            id: f.id,
            filename: f.filename,
            mediaType: f.mediaType,
          })),
        ],
        metadata: {
          ...(c ? { classification: c } : {}),
          ...(files.length
            ? {
                attachments: files.map((f) => ({
                  id: f.id,
                  filename: f.filename,
                  mediaType: f.mediaType,
                  sizeBytes: f.bytes.length,
                  excerpt:
                    f.extractedText === null
                      ? null
                      : truncateText(f.extractedText, ATTACHMENT_EXCERPT_CHARS, ''),
                })),
              }
            : {}),
        },
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
    await emitWebhookEvent(tx, 'message.created', messageEventData(message));
    // The conversation carries labels for all of it, so queues can sort and filter on them.
    conversation = (await refreshConversationLabels(tx, conversation.id)) ?? conversation;
    if (files.length > 0) {
      await tx.insert(attachments).values(
        files.map((f) => ({
          id: f.id,
          conversationId: conversation.id,
          messageId: message.id,
          filename: f.filename,
          mediaType: f.mediaType,
          sizeBytes: f.bytes.length,
          data: f.bytes,
          extractedText: f.extractedText,
        })),
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
    if (!message) throw new Error('Could not store the answer');
    await emitWebhookEvent(tx, 'message.created', messageEventData(message));
    await tx
      .update(conversations)
      .set({
        lastMessageAt: message.createdAt,
        firstAiReplyAt: sql`coalesce(${conversations.firstAiReplyAt}, ${message.createdAt})`,
      })
      .where(eq(conversations.id, input.conversationId));
    const cited = [...new Set((input.metadata.citations ?? []).map((c) => c.documentId))];
    if (cited.length > 0) {
      // Only articles that still exist: one deleted while the answer streamed must not lose it.
      await tx.execute(sql`insert into ${messageCitations} (message_id, conversation_id, document_id, created_at)
        select ${message.id}::uuid, ${input.conversationId}::uuid, d.id, ${message.createdAt.toISOString()}::timestamptz
        from ${kbDocuments} d where d.id in (${sql.join(
          cited.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
        on conflict do nothing`);
    }
    return message;
  });
}

/** A question the knowledge base could not answer, for the admins' content-gap report. */
export async function recordKnowledgeGap(
  db: Database,
  input: {
    conversationId: string;
    messageId: string;
    question: string;
    reason: 'abstained' | 'escalated';
    category?: string;
    language?: string;
  },
): Promise<void> {
  await db.insert(knowledgeGaps).values(input);
}
