import type { Database } from '@/db/client';
import { conversationReads } from '@/db/schema';

/** Marks everything in the conversation so far as read by this agent. */
export async function markRead(db: Database, conversationId: string, userId: string) {
  const now = new Date();
  await db
    .insert(conversationReads)
    .values({ conversationId, userId, lastReadAt: now })
    .onConflictDoUpdate({
      target: [conversationReads.conversationId, conversationReads.userId],
      set: { lastReadAt: now },
    });
}
