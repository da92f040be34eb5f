import { asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversationNotes, conversations } from '@/db/schema';
import { TandemError } from '@/lib/errors';

/*
 * Agents' internal notes. They live in their own table, never among the conversation's messages:
 * everything that reaches a customer (the widget, its live stream, the public API, transcripts)
 * reads messages, so a note cannot reach one by a missed filter.
 */

export interface ConversationNote {
  id: string;
  authorId: string | null;
  authorName: string;
  content: string;
  createdAt: Date;
}

/** An agent's internal note on a conversation: staff see it, the customer never does. */
export async function addNote(
  db: Database,
  input: { conversationId: string; author: { id: string; name: string }; content: string },
) {
  const [exists] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.id, input.conversationId));
  if (!exists) throw new TandemError('not_found:conversation', 'No conversation has that id.');
  const [note] = await db
    .insert(conversationNotes)
    .values({
      conversationId: input.conversationId,
      authorId: input.author.id,
      authorName: input.author.name,
      content: input.content,
    })
    .returning();
  return note!;
}

/** A conversation's notes, oldest first, for the console's thread. */
export async function listNotes(db: Database, conversationId: string): Promise<ConversationNote[]> {
  return db
    .select({
      id: conversationNotes.id,
      authorId: conversationNotes.authorId,
      authorName: conversationNotes.authorName,
      content: conversationNotes.content,
      createdAt: conversationNotes.createdAt,
    })
    .from(conversationNotes)
    .where(eq(conversationNotes.conversationId, conversationId))
    .orderBy(asc(conversationNotes.createdAt), asc(conversationNotes.id));
}
