import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, messages } from '@/db/schema';
import { worstPriority } from '@/lib/classify/priority';
import type { Priority } from '@/lib/classify/schema';
import { conversationSentiment, type SentimentTrend } from '@/lib/classify/sentiment';
import { titleFromConversation } from '@/lib/tickets/ticket-title';
import { type CustomerLine, substantiveText } from './customer-problem';

/** What queues and the console show for a conversation, read from all of it. */
export interface ConversationLabels {
  category: string;
  priority: Priority;
  sentiment: number;
  frustration: number;
  sentimentTrend: SentimentTrend;
  language: string;
  /** The customer's problem in their words, as a short title; null while they have not said. */
  topic: string | null;
}

/**
 * A conversation's labels from its customer's messages since it was last resolved (oldest
 * first): the worst priority and sentiment with the sentiment's trend, the topic of the latest
 * message that says what the customer needs (not "ok thanks", which reads as "other"), their
 * problem as a title, and the language they write in now. Null before any message is classified.
 */
export function labelConversation(lines: readonly CustomerLine[]): ConversationLabels | null {
  const readings = lines.flatMap((line) =>
    line.classification ? [{ ...line, classification: line.classification }] : [],
  );
  const latest = readings.at(-1)?.classification;
  const priority = worstPriority(readings.map((r) => r.classification.priority));
  const sentiment = conversationSentiment(readings.map((r) => r.classification.sentiment));
  if (!latest || !priority || !sentiment) return null;
  const topical = readings.filter((r) => substantiveText(r.content) !== '');
  const topic =
    topical.findLast((r) => r.classification.category !== 'other') ?? topical.at(-1) ?? null;
  return {
    category: topic?.classification.category ?? latest.category,
    priority,
    sentiment: sentiment.polarity,
    frustration: sentiment.frustration,
    sentimentTrend: sentiment.trend,
    language: latest.language,
    topic: titleFromConversation(lines),
  };
}

/**
 * Recomputes and stores a conversation's labels inside `tx` (the caller holds its row) and
 * returns the row as stored. Labels only: status and owner are the lifecycle's.
 */
export async function refreshConversationLabels(tx: Database, conversationId: string) {
  const lastResolved = sql`(select max(r.created_at) from ${messages} r
    where r.conversation_id = ${conversationId} and r.role = 'system'
      and r.metadata->>'event' = 'resolved')`;
  const rows = await tx
    .select({ content: messages.content, metadata: messages.metadata })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        eq(messages.role, 'customer'),
        gt(messages.createdAt, sql`coalesce(${lastResolved}, '-infinity'::timestamptz)`),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const labels = labelConversation(
    rows.map((r) => ({ content: r.content, classification: r.metadata.classification })),
  );
  const [conversation] = labels
    ? await tx
        .update(conversations)
        .set(labels)
        .where(eq(conversations.id, conversationId))
        .returning()
    : await tx.select().from(conversations).where(eq(conversations.id, conversationId));
  return conversation;
}
