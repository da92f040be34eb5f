import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, csatRatings, messages } from '@/db/schema';
import { truncateText } from '@/lib/text/truncate';
import { type ChatMessage, isVisibleToCustomer, toChatMessage } from './chat-message';
import { type Conversation, getCustomerConversationOrThrow, listMessages } from './queries';

/** How many of their conversations a customer is shown; older ones stay with the team. */
export const CUSTOMER_CONVERSATIONS_SHOWN = 30;

/** One of the customer's conversations as their widget lists it. */
export interface CustomerConversationSummary {
  id: string;
  status: Conversation['status'];
  createdAt: string;
  lastMessageAt: string;
  /** What they asked first, in their words (shortened); null if they never wrote. */
  firstQuestion: string | null;
  /** The conversation they wrote into after it was resolved, which this one follows. */
  previousConversationId: string | null;
  /** Their rating of it, once resolved and rated. */
  rating: number | null;
}

const FIRST_QUESTION_CHARS = 120;

/** The customer's own conversations, newest first. */
export async function listCustomerConversations(
  db: Database,
  customerId: string,
  { limit = CUSTOMER_CONVERSATIONS_SHOWN }: { limit?: number } = {},
): Promise<CustomerConversationSummary[]> {
  const firstQuestion = sql<string | null>`(select m.content from ${messages} m
    where m.conversation_id = ${conversations.id} and m.role = 'customer'
    order by m.created_at, m.id limit 1)`;
  const rows = await db
    .select({
      id: conversations.id,
      status: conversations.status,
      createdAt: conversations.createdAt,
      lastMessageAt: conversations.lastMessageAt,
      previousConversationId: conversations.previousConversationId,
      firstQuestion,
      rating: csatRatings.rating,
    })
    .from(conversations)
    .leftJoin(csatRatings, eq(csatRatings.conversationId, conversations.id))
    .where(eq(conversations.customerId, customerId))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    lastMessageAt: r.lastMessageAt.toISOString(),
    firstQuestion: r.firstQuestion ? truncateText(r.firstQuestion, FIRST_QUESTION_CHARS) : null,
    previousConversationId: r.previousConversationId,
    rating: r.rating ?? null,
  }));
}

/** One conversation of the customer's, as their widget shows it (read-only once resolved). */
export interface CustomerConversation {
  id: string;
  status: Conversation['status'];
  /** A person has it now. */
  withPerson: boolean;
  createdAt: string;
  previousConversationId: string | null;
  rating: number | null;
  messages: ChatMessage[];
}

/** The conversation and what the customer sees of it, if it is theirs; a typed error otherwise. */
export async function getCustomerConversation(
  db: Database,
  customerId: string,
  conversationId: string,
): Promise<CustomerConversation> {
  const conversation = await getCustomerConversationOrThrow(db, conversationId, customerId);
  const [transcript, [rated]] = await Promise.all([
    listMessages(db, conversation.id),
    db
      .select({ rating: csatRatings.rating })
      .from(csatRatings)
      .where(
        and(
          eq(csatRatings.conversationId, conversation.id),
          eq(csatRatings.customerId, customerId),
        ),
      ),
  ]);
  return {
    id: conversation.id,
    status: conversation.status,
    withPerson: conversation.owner === 'human',
    createdAt: conversation.createdAt.toISOString(),
    previousConversationId: conversation.previousConversationId,
    rating: rated?.rating ?? null,
    messages: transcript.filter(isVisibleToCustomer).map(toChatMessage),
  };
}
