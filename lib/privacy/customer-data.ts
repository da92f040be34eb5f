import { createHmac } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';
import {
  actionCalls,
  apiIdempotency,
  attachments,
  auditLog,
  categories,
  conversationNotes,
  conversations,
  csatRatings,
  customerAccounts,
  customers,
  erasureReceipts,
  jobs,
  knowledgeGaps,
  messageFeedback,
  messages,
  tickets,
  webhookDeliveries,
} from '@/db/schema';
import { classificationCacheKey } from '@/lib/classify/classify-message';
import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import { type Actor, audit } from './audit';

/**
 * A customer's stand-in in receipts and the audit trail once they are erased: keyed with the
 * instance secret, so a repeat request finds the receipt, yet nothing left names the customer.
 */
export const pseudonym = (ctx: Pick<AppContext, 'secret'>, customerId: string) =>
  createHmac('sha256', ctx.secret)
    .update(`erased-customer:${customerId}`)
    .digest('hex')
    .slice(0, 32);

async function customerOrThrow(db: Database, customerId: string) {
  const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
  if (!customer) throw new TandemError('not_found:customer', 'No customer has that id.');
  return customer;
}

/** Everything Tandem holds about a customer, as one JSON document (right of access). */
export async function exportCustomerData(
  ctx: Pick<AppContext, 'database'>,
  customerId: string,
  actor: Actor,
) {
  const { db } = ctx.database;
  const customer = await customerOrThrow(db, customerId);
  const convs = await db
    .select()
    .from(conversations)
    .where(eq(conversations.customerId, customerId))
    .orderBy(asc(conversations.createdAt));
  const ids = convs.map((c) => c.id);
  const none = ids.length === 0;
  const [allMessages, notes, files, ticketRows, csat, account, feedback, gaps, calls] =
    await Promise.all([
      none
        ? []
        : db
            .select()
            .from(messages)
            .where(inArray(messages.conversationId, ids))
            .orderBy(asc(messages.createdAt)),
      none
        ? []
        : db.select().from(conversationNotes).where(inArray(conversationNotes.conversationId, ids)),
      none ? [] : db.select().from(attachments).where(inArray(attachments.conversationId, ids)),
      db.select().from(tickets).where(eq(tickets.customerId, customerId)),
      db.select().from(csatRatings).where(eq(csatRatings.customerId, customerId)),
      db.select().from(customerAccounts).where(eq(customerAccounts.customerId, customerId)),
      none
        ? []
        : db.select().from(messageFeedback).where(inArray(messageFeedback.conversationId, ids)),
      none ? [] : db.select().from(knowledgeGaps).where(inArray(knowledgeGaps.conversationId, ids)),
      db
        .select()
        .from(actionCalls)
        .where(eq(actionCalls.customerId, customerId))
        .orderBy(asc(actionCalls.createdAt)),
    ]);
  await audit(db, actor, 'customer.exported', { type: 'customer', id: customerId });
  return {
    exported_at: new Date().toISOString(),
    customer: {
      id: customer.id,
      external_id: customer.externalId,
      name: customer.name,
      email: customer.email,
      language: customer.language,
      profile: customer.profile,
      context: customer.context,
      consent: customer.consent
        ? { decision: customer.consent, at: customer.consentAt, version: customer.consentVersion }
        : null,
      created_at: customer.createdAt,
    },
    account: account[0] ?? null,
    conversations: convs.map((c) => ({
      id: c.id,
      channel: c.channel,
      status: c.status,
      category: c.category,
      priority: c.priority,
      language: c.language,
      summary: c.summary,
      topic: c.topic,
      escalation_reason: c.escalationReason,
      created_at: c.createdAt,
      resolved_at: c.resolvedAt,
      messages: allMessages
        .filter((m) => m.conversationId === c.id)
        .map((m) => ({
          id: m.id,
          role: m.role,
          content: m.content,
          created_at: m.createdAt,
          metadata: m.metadata,
        })),
      agent_notes: notes
        .filter((n) => n.conversationId === c.id)
        .map((n) => ({ author: n.authorName, content: n.content, created_at: n.createdAt })),
    })),
    attachments: files.map((f) => ({
      id: f.id,
      conversation_id: f.conversationId,
      filename: f.filename,
      media_type: f.mediaType,
      size_bytes: f.sizeBytes,
      extracted_text: f.extractedText,
      data_base64: Buffer.from(f.data).toString('base64'),
    })),
    tickets: ticketRows,
    csat,
    answer_feedback: feedback,
    // What was done for them in the business's systems: the request is left out, as its
    // headers carry the business's credentials (masked or not); the answer is only what the
    // action's allowlist let through.
    action_calls: calls.map((c) => ({
      id: c.id,
      conversation_id: c.conversationId,
      action: c.actionName,
      summary: c.summary,
      status: c.status,
      input: c.input,
      result: c.response?.data ?? null,
      error: c.error,
      created_at: c.createdAt,
      confirmed_at: c.confirmedAt,
      decided_at: c.decidedAt,
      finished_at: c.finishedAt,
    })),
    unanswered_questions: gaps.map((g) => ({
      question: g.question,
      reason: g.reason,
      created_at: g.createdAt,
    })),
  };
}

export interface ErasureReceipt {
  receipt_id: string;
  /** Stands for the customer; the customer's id is not kept. */
  subject: string;
  erased_at: string;
  requested_by: string;
  counts: Record<string, number>;
  /** True when this request found the customer already erased. */
  repeated: boolean;
}

/**
 * Erases a customer everywhere: their rows (conversations, messages, attachments, notes, tickets,
 * ratings, memory and summaries, unanswered questions), copies of their data in jobs, webhook
 * deliveries and idempotency records, and cached classifications of their messages. The audit trail
 * keeps only a pseudonym. Idempotent: asking again returns the first receipt.
 */
export async function eraseCustomer(
  ctx: Pick<AppContext, 'database' | 'cache' | 'secret'>,
  customerId: string,
  actor: Actor,
): Promise<ErasureReceipt> {
  const { db } = ctx.database;
  const subject = pseudonym(ctx, customerId);
  const [earlier] = await db
    .select()
    .from(erasureReceipts)
    .where(eq(erasureReceipts.subject, subject));
  if (earlier) return toReceipt(earlier, true);
  const customer = await customerOrThrow(db, customerId);

  const convIds = (
    await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.customerId, customerId))
  ).map((c) => c.id);
  const customerTexts = convIds.length
    ? (
        await db
          .select({ content: messages.content })
          .from(messages)
          .where(
            sql`${inArray(messages.conversationId, convIds)} and ${messages.role} = 'customer'`,
          )
      ).map((m) => m.content)
    : [];

  const receipt = await db.transaction(async (tx) => {
    const counts: Record<string, number> = {};
    const countOf = async (table: string, where: ReturnType<typeof sql>) =>
      Number(
        rowsOf<{ n: number }>(
          await tx.execute(sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`),
        )[0]!.n,
      );
    const inConvs = convIds.length
      ? sql`conversation_id in (${sql.join(
          convIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`
      : sql`false`;
    counts.conversations = convIds.length;
    counts.messages = await countOf('messages', inConvs);
    counts.attachments = await countOf('attachments', inConvs);
    counts.agent_notes = await countOf('conversation_notes', inConvs);
    counts.unanswered_questions = await countOf('knowledge_gaps', inConvs);
    counts.answer_feedback = await countOf('message_feedback', inConvs);
    counts.tickets = await countOf('tickets', sql`customer_id = ${customerId}::uuid`);
    counts.csat_ratings = await countOf('csat_ratings', sql`customer_id = ${customerId}::uuid`);
    counts.accounts = await countOf('customer_accounts', sql`customer_id = ${customerId}::uuid`);

    // Copies of their data outside their own rows.
    const mentions = (column: ReturnType<typeof sql>) =>
      sql`(${column}::text like ${`%${customerId}%`} ${
        customer.externalId ? sql`or ${column}::text like ${`%"${customer.externalId}"%`}` : sql``
      } ${sql.join(
        convIds.map((id) => sql`or ${column}::text like ${`%${id}%`}`),
        sql` `,
      )})`;
    counts.jobs = (
      await tx
        .delete(jobs)
        .where(
          sql`${mentions(sql`${jobs.payload}`)} or ${mentions(sql`coalesce(${jobs.result}, 'null'::jsonb)`)}`,
        )
        .returning({ id: jobs.id })
    ).length;
    counts.webhook_deliveries = (
      await tx
        .delete(webhookDeliveries)
        .where(mentions(sql`${webhookDeliveries.payload}`))
        .returning({ id: webhookDeliveries.id })
    ).length;
    counts.idempotency_records = (
      await tx
        .delete(apiIdempotency)
        .where(mentions(sql`coalesce(${apiIdempotency.response}, 'null'::jsonb)`))
        .returning({ key: apiIdempotency.idempotencyKey })
    ).length;

    // The audit trail keeps what staff did, but under the pseudonym: whether its subject was the
    // customer or one of their conversations, tickets, messages or attachments.
    await tx
      .update(auditLog)
      .set({ subjectId: subject })
      .where(
        sql`${auditLog.subjectId} = ${customerId}
          or ${auditLog.subjectId} in (select id::text from conversations where customer_id = ${customerId}::uuid)
          or ${auditLog.subjectId} in (select id::text from tickets where customer_id = ${customerId}::uuid)
          or ${auditLog.subjectId} in (select id::text from messages where ${inConvs})
          or ${auditLog.subjectId} in (select id::text from attachments where ${inConvs})`,
      );

    // Conversations cascade to messages, attachments, notes, reads, feedback, citations and gaps;
    // the customer to tickets, ratings and the account.
    if (convIds.length) await tx.delete(conversations).where(inArray(conversations.id, convIds));
    await tx.delete(customers).where(eq(customers.id, customerId));
    const [row] = await tx
      .insert(erasureReceipts)
      .values({ subject, requestedBy: actor.name, counts })
      .returning();
    await audit(tx, actor, 'customer.erased', { type: 'customer', id: subject }, { counts });
    return row!;
  });

  // Cached model classifications hold a summary of each message.
  const taxonomy = (
    await db.select({ slug: categories.slug }).from(categories).orderBy(asc(categories.slug))
  ).map((c) => c.slug);
  await Promise.all(
    customerTexts.map((text) =>
      ctx.cache.delete(classificationCacheKey(taxonomy, text)).catch(() => {}),
    ),
  );
  return toReceipt(receipt, false);
}

function toReceipt(row: typeof erasureReceipts.$inferSelect, repeated: boolean): ErasureReceipt {
  return {
    receipt_id: row.id,
    subject: row.subject,
    erased_at: row.erasedAt.toISOString(),
    requested_by: row.requestedBy,
    counts: row.counts,
    repeated,
  };
}
