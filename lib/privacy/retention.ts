import { and, inArray, isNotNull, lt, notInArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@/db/client';
import {
  attachments,
  conversationNotes,
  conversations,
  customers,
  knowledgeGaps,
  messages,
  webhookDeliveries,
} from '@/db/schema';
import { readSetting, type SettingDefinition, writeSetting } from '@/lib/settings/settings';

const days = (fallback: number) => z.number().int().min(1).max(3650).default(fallback);

export const retentionSchema = z.object({
  /** Messages, attachments, agents' notes and unanswered questions of conversations quiet this long. */
  transcriptsDays: days(30),
  /** Rolling summaries of conversations quiet this long. */
  summariesDays: days(30),
  /** What Tandem remembers about a customer (profile, site context) after this long without contact. */
  memoryDays: days(365),
  /** Webhook delivery logs (they carry copies of events). */
  webhookLogDays: days(30),
  /** Keep the conversation rows, with no text, so the dashboard's figures survive; else delete them. */
  keepAnonymousAnalytics: z.boolean().default(true),
});

export type RetentionSettings = z.infer<typeof retentionSchema>;

const RETENTION: SettingDefinition<RetentionSettings> = {
  key: 'settings:retention',
  schema: retentionSchema,
  fallback: retentionSchema.parse({}),
};

export const getRetention = (db: Database) => readSetting(db, RETENTION);
export const saveRetention = (db: Database, value: RetentionSettings) =>
  writeSetting(db, RETENTION, value);

const DAY_MS = 86_400_000;
const ago = (now: number, n: number) => new Date(now - n * DAY_MS);

/**
 * Deletes or anonymises what is past its retention period, in every table that holds it.
 * Conversations still open (waiting for or held by a person) are left alone. Runs from the
 * hourly maintenance job; `now` is a parameter so it can be tested with any clock.
 */
export async function applyRetention(db: Database, settings: RetentionSettings, now = Date.now()) {
  return db.transaction(async (tx) => {
    const expired = (
      await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(
          and(
            lt(conversations.lastMessageAt, ago(now, settings.transcriptsDays)),
            notInArray(conversations.owner, ['human', 'none']),
          ),
        )
    ).map((c) => c.id);
    let transcripts = 0;
    let conversationsDeleted = 0;
    if (expired.length > 0) {
      transcripts = (
        await tx
          .delete(messages)
          .where(inArray(messages.conversationId, expired))
          .returning({ id: messages.id })
      ).length;
      await tx.delete(attachments).where(inArray(attachments.conversationId, expired));
      await tx.delete(conversationNotes).where(inArray(conversationNotes.conversationId, expired));
      await tx.delete(knowledgeGaps).where(inArray(knowledgeGaps.conversationId, expired));
      if (settings.keepAnonymousAnalytics) {
        await tx
          .update(conversations)
          .set({ summary: null, topic: null })
          .where(inArray(conversations.id, expired));
      } else {
        conversationsDeleted = (
          await tx
            .delete(conversations)
            .where(inArray(conversations.id, expired))
            .returning({ id: conversations.id })
        ).length;
      }
    }
    const summaries = (
      await tx
        .update(conversations)
        .set({ summary: null, topic: null })
        .where(
          and(
            // The topic is the customer's words too, so it goes with the summary.
            or(isNotNull(conversations.summary), isNotNull(conversations.topic)),
            lt(conversations.lastMessageAt, ago(now, settings.summariesDays)),
          ),
        )
        .returning({ id: conversations.id })
    ).length;
    const memories = (
      await tx
        .update(customers)
        .set({ profile: {}, context: {} })
        .where(
          and(
            lt(customers.updatedAt, ago(now, settings.memoryDays)),
            sql`not exists (select 1 from conversations c where c.customer_id = ${customers.id} and c.last_message_at >= ${ago(now, settings.memoryDays).toISOString()}::timestamptz)`,
            sql`(${customers.profile} <> '{}'::jsonb or ${customers.context} <> '{}'::jsonb)`,
          ),
        )
        .returning({ id: customers.id })
    ).length;
    const webhookLogs = (
      await tx
        .delete(webhookDeliveries)
        .where(lt(webhookDeliveries.createdAt, ago(now, settings.webhookLogDays)))
        .returning({ id: webhookDeliveries.id })
    ).length;
    return {
      conversations: expired.length,
      messages: transcripts,
      conversationsDeleted,
      summaries,
      memories,
      webhookLogs,
    };
  });
}
