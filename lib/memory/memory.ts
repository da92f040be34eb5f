import { and, asc, count, desc, eq, ne } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { type CustomerProfile, conversations, customers, messages, tickets } from '@/db/schema';
import type { Message } from '@/lib/conversations/queries';
import type { Customer } from '@/lib/customers/queries';
import { formatTicketNumber } from '@/lib/tickets/queries';
import { extractProfileFacts } from './extract-profile-facts';
import { type ConversationSummarizer, summarizeConversation } from './summarize';

export interface ConversationMemory {
  /** The latest messages, oldest first. */
  window: Message[];
  /** Rolling summary of what came before the window, once the conversation is long. */
  summary: string | null;
  /** The customer's tickets that are not closed, newest first. */
  openTickets: { ticket: string; subject: string; status: string }[];
}

const MAX_TOPICS = 5;

/** What is remembered for a conversation (none yet for a new one) and its customer. */
export async function loadMemory(
  db: Database,
  input: { customerId: string; conversationId: string | null; windowSize: number },
): Promise<ConversationMemory> {
  const { conversationId } = input;
  const [recent, [conversation], openTickets] = await Promise.all([
    conversationId
      ? db
          .select()
          .from(messages)
          .where(eq(messages.conversationId, conversationId))
          .orderBy(desc(messages.createdAt), desc(messages.id))
          .limit(input.windowSize)
      : [],
    conversationId
      ? db
          .select({ summary: conversations.summary })
          .from(conversations)
          .where(eq(conversations.id, conversationId))
      : [],
    db
      .select({ number: tickets.number, subject: tickets.subject, status: tickets.status })
      .from(tickets)
      .where(and(eq(tickets.customerId, input.customerId), ne(tickets.status, 'closed')))
      .orderBy(desc(tickets.createdAt))
      .limit(5),
  ]);
  return {
    window: recent.reverse(),
    summary: conversation?.summary ?? null,
    openTickets: openTickets.map((t) => ({
      ticket: formatTicketNumber(t.number),
      subject: t.subject,
      status: t.status,
    })),
  };
}

/** The memory once a new message has joined the conversation, without reading it all again. */
export function rememberMessage(
  memory: ConversationMemory,
  message: Message,
  windowSize: number,
): ConversationMemory {
  return { ...memory, window: [...memory.window, message].slice(-windowSize) };
}

/** What the model may know about the customer, across conversations. */
export function customerProfile(
  customer: Customer,
  memory: ConversationMemory,
): Record<string, unknown> {
  const { preferences, topics, name } = customer.profile;
  return {
    ...(name || customer.name ? { name: name ?? customer.name } : {}),
    ...(preferences?.length ? { preferences } : {}),
    ...(topics?.length ? { pastTopics: topics } : {}),
    ...(Object.keys(customer.context).length ? { siteContext: customer.context } : {}),
    ...(memory.openTickets.length ? { openTickets: memory.openTickets } : {}),
  };
}

/**
 * Keeps what the customer says about themselves, and the topic, for later conversations. `customer`
 * has them as soon as this is called, so a turn can answer with them before the write has landed.
 */
export async function rememberCustomerFacts(
  db: Database,
  customer: Customer,
  input: { text: string; category?: string },
): Promise<void> {
  const facts = extractProfileFacts(input.text);
  const current = customer.profile;
  const topics = input.category
    ? [input.category, ...(current.topics ?? []).filter((t) => t !== input.category)].slice(
        0,
        MAX_TOPICS,
      )
    : current.topics;
  const preferences = facts.preferences
    ? [...new Set([...(current.preferences ?? []), ...facts.preferences])].slice(-10)
    : current.preferences;
  const next: CustomerProfile = {
    ...current,
    ...(facts.name ? { name: facts.name } : {}),
    ...(preferences ? { preferences } : {}),
    ...(topics ? { topics } : {}),
  };
  // An address the site verified is kept; one the customer types only fills a gap.
  const email = facts.email && !customer.email ? facts.email : undefined;
  if (JSON.stringify(next) === JSON.stringify(current) && !email) return;
  customer.profile = next;
  if (email) customer.email = email;
  await db
    .update(customers)
    .set({
      profile: next,
      ...(facts.name ? { name: facts.name } : {}),
      ...(email ? { email } : {}),
    })
    .where(eq(customers.id, customer.id));
}

/**
 * Re-summarises a conversation once it passes `every` messages, and every `every` after that —
 * or at any new message once it is with the team, whose people read the summary to take over.
 */
export async function refreshSummaryIfDue(
  db: Database,
  conversationId: string,
  every: number,
  summarize: ConversationSummarizer = summarizeConversation,
): Promise<void> {
  const [row] = await db
    .select({
      total: count(),
      summarized: conversations.summarizedMessages,
      owner: conversations.owner,
    })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(eq(messages.conversationId, conversationId))
    .groupBy(conversations.summarizedMessages, conversations.owner);
  if (!row) return;
  const due = row.owner === 'ai' ? every : 1;
  if (row.total < due || row.total - row.summarized < due) return;
  const history = await db
    .select({ role: messages.role, content: messages.content, metadata: messages.metadata })
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  await db
    .update(conversations)
    .set({ summary: await summarize(history), summarizedMessages: history.length })
    .where(eq(conversations.id, conversationId));
}
