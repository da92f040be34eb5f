import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversationNotes, conversations } from '@/db/schema';
import { TandemError } from '@/lib/errors';

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
