import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, customers } from '@/db/schema';
import { isVisibleToCustomer } from '@/lib/conversations/chat-message';
import { listMessages } from '@/lib/conversations/queries';
import { getCustomerByExternalIdOrThrow } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';

type Conversation = typeof conversations.$inferSelect;

function conversationJson(c: Conversation, externalId: string | null) {
  return {
    id: c.id,
    customer_id: externalId,
    channel: c.channel,
    status: c.status,
    owner: c.owner,
    category: c.category,
    priority: c.priority,
    sentiment: c.sentiment,
    language: c.language,
    escalation_reason: c.escalationReason,
    summary: c.summary,
    created_at: c.createdAt.toISOString(),
    last_message_at: c.lastMessageAt.toISOString(),
    resolved_at: c.resolvedAt?.toISOString() ?? null,
    /** The resolved conversation the customer wrote into, which started this one. */
    previous_conversation_id: c.previousConversationId,
  };
}

/** A conversation and its transcript as the customer saw it (agents' notes are never part of it). */
export async function getApiConversation(db: Database, id: string) {
  const [row] = await db
    .select({ conversation: conversations, externalId: customers.externalId })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .where(eq(conversations.id, id));
  if (!row) throw new TandemError('not_found:conversation', 'No conversation has that id.');
  const messages = (await listMessages(db, id)).filter(isVisibleToCustomer);
  return {
    ...conversationJson(row.conversation, row.externalId),
    messages: messages.map((m) => ({
      id: m.id,
      role: m.role,
      content: m.content,
      agent_name: m.metadata.agent?.name ?? null,
      citations: (m.metadata.citations ?? []).map((c) => ({ slug: c.slug, title: c.title })),
      created_at: m.createdAt.toISOString(),
    })),
  };
}

/** One customer's conversations, newest first, a page at a time (cursor = the last id seen). */
export async function listApiCustomerConversations(
  db: Database,
  externalId: string,
  { limit, cursor }: { limit: number; cursor?: string },
) {
  const customer = await getCustomerByExternalIdOrThrow(db, externalId);
  let before: Conversation | undefined;
  if (cursor) {
    [before] = await db
      .select()
      .from(conversations)
      .where(and(eq(conversations.id, cursor), eq(conversations.customerId, customer.id)));
    if (!before) throw new TandemError('bad_request:api', 'cursor: not a position in this list.');
  }
  const rows = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.customerId, customer.id),
        before
          ? sql`(${conversations.createdAt}, ${conversations.id}) < (${before.createdAt.toISOString()}::timestamptz, ${before.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(conversations.createdAt), desc(conversations.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    data: page.map((c) => conversationJson(c, externalId)),
    next_cursor: rows.length > limit ? page.at(-1)!.id : null,
  };
}
