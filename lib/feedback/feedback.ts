import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, csatRatings, messageFeedback, messages } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import { emitWebhookEvent } from '@/lib/webhooks/events';

/** Thumbs up or down on an AI answer, by the customer it was given to; a second vote replaces the first. */
export async function recordAnswerFeedback(
  db: Database,
  input: { customerId: string; messageId: string; helpful: boolean },
): Promise<void> {
  const [answer] = await db
    .select({ conversationId: messages.conversationId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.id, input.messageId),
        eq(messages.role, 'ai'),
        eq(conversations.customerId, input.customerId),
      ),
    );
  if (!answer) throw new TandemError('not_found:message', 'No answer of yours has that id.');
  await db
    .insert(messageFeedback)
    .values({
      messageId: input.messageId,
      conversationId: answer.conversationId,
      helpful: input.helpful,
    })
    .onConflictDoUpdate({ target: messageFeedback.messageId, set: { helpful: input.helpful } });
}

/** The customer's 1–5 rating of a resolved conversation, with an optional comment. */
export async function recordCsat(
  db: Database,
  input: { customerId: string; conversationId: string; rating: number; comment?: string },
): Promise<void> {
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.id, input.conversationId),
        eq(conversations.customerId, input.customerId),
      ),
    );
  if (!conversation) {
    throw new TandemError('not_found:conversation', 'No conversation of yours has that id.');
  }
  if (conversation.status !== 'resolved') {
    throw new TandemError('conflict:csat', 'A conversation can be rated once it is resolved.');
  }
  const values = {
    rating: input.rating,
    comment: input.comment || null,
    agentId: conversation.resolvedBy === 'human' ? conversation.assignedAgentId : null,
  };
  await db.transaction(async (tx) => {
    await tx
      .insert(csatRatings)
      .values({ conversationId: conversation.id, customerId: input.customerId, ...values })
      .onConflictDoUpdate({ target: csatRatings.conversationId, set: values });
    await emitWebhookEvent(tx, 'csat.received', {
      conversation_id: conversation.id,
      customer_id: input.customerId,
      rating: values.rating,
      comment: values.comment,
      agent_id: values.agentId,
    });
  });
}
