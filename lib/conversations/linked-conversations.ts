import { asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations } from '@/db/schema';
import type { Conversation } from './queries';

/** A conversation linked to another one, as an agent sees the link. */
export interface LinkedConversation {
  id: string;
  status: Conversation['status'];
  topic: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

const linkedColumns = {
  id: conversations.id,
  status: conversations.status,
  topic: conversations.topic,
  createdAt: conversations.createdAt,
  resolvedAt: conversations.resolvedAt,
};

const toLinked = (row: {
  id: string;
  status: LinkedConversation['status'];
  topic: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}): LinkedConversation => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  resolvedAt: row.resolvedAt?.toISOString() ?? null,
});

/**
 * The resolved conversation this one follows (the customer wrote into it after it was resolved)
 * and the follow-ups this one had, oldest first.
 */
export async function findLinkedConversations(
  db: Database,
  conversation: { id: string; previousConversationId: string | null },
): Promise<{ previous: LinkedConversation | null; next: LinkedConversation[] }> {
  const [previous, next] = await Promise.all([
    conversation.previousConversationId
      ? db
          .select(linkedColumns)
          .from(conversations)
          .where(eq(conversations.id, conversation.previousConversationId))
      : [],
    db
      .select(linkedColumns)
      .from(conversations)
      .where(eq(conversations.previousConversationId, conversation.id))
      .orderBy(asc(conversations.createdAt), asc(conversations.id)),
  ]);
  return { previous: previous[0] ? toLinked(previous[0]) : null, next: next.map(toLinked) };
}
