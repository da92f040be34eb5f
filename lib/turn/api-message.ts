import { z } from 'zod';
import { type ConsentDecision, recordConsent } from '@/lib/consent/queries';
import type { AppContext } from '@/lib/context';
import { type Customer, upsertCustomerByExternalId } from '@/lib/customers/queries';
import { getConsentSettings } from '@/lib/settings/settings';
import { runTurn, type Turn } from './turn';

export const apiMessageSchema = (maxChars: number) =>
  z.object({
    customer_id: z.string().trim().min(1, 'must not be empty').max(200),
    message: z.string().trim().min(1, 'must not be empty').max(maxChars),
    conversation_id: z.uuid().optional(),
    customer_context: z.record(z.string(), z.unknown()).optional(),
    language: z.string().trim().min(2).max(8).optional(),
    /**
     * The customer's answer to the workspace's current consent notice, as the caller obtained it.
     * Required for a customer with none recorded while the workspace requires consent.
     */
    consent: z
      .enum(['granted', 'declined'], { message: "must be 'granted' or 'declined'" })
      .optional(),
  });

export type ApiMessageInput = z.infer<ReturnType<typeof apiMessageSchema>>;

/**
 * A customer message from an external caller, through the same turn as the widget's. The
 * caller's `customer_id` is the site's own id for the customer (shared with the widget's
 * verified identity), so a conversation can move between the two. Under `resume`, a message
 * already stored under `idempotencyKey` is answered instead of stored again.
 */
export async function startApiMessage(
  app: AppContext,
  input: ApiMessageInput,
  options: { idempotencyKey?: string; resume?: boolean } = {},
): Promise<Turn> {
  let customer = await upsertCustomerByExternalId(app.database.db, {
    externalId: input.customer_id,
    context: input.customer_context,
    language: input.language,
  });
  if (input.consent) customer = await recordApiConsent(app, customer, input.consent);
  return runTurn(app, {
    customer,
    conversationId: input.conversation_id,
    text: input.message,
    idempotencyKey: options.idempotencyKey,
    resume: options.resume,
    channel: 'api',
    hideOtherCustomers: true,
  });
}

/** Records the caller's statement of consent when it is news: a new answer, or a newer notice. */
async function recordApiConsent(app: AppContext, customer: Customer, decision: ConsentDecision) {
  const { version } = await getConsentSettings(
    app.database.db,
    app.config.consent.requiredByDefault,
  );
  if (customer.consent === decision && customer.consentVersion === version) return customer;
  return recordConsent(app.database.db, { customerId: customer.id, decision, version });
}

/** The API's JSON reply to a turn, once its answer is stored. */
export async function collectApiReply(turn: Turn, started: number) {
  const answer = await turn.answer;
  return {
    conversation_id: turn.conversationId,
    customer_message_id: turn.customerMessageId,
    message_id: answer?.message.id ?? null,
    reply: answer?.message.content ?? null,
    held_for_human: answer === null,
    citations: toApiCitations(answer?.message.metadata.citations ?? []),
    classification: turn.classification,
    escalated: answer?.escalated ?? false,
    abstained: answer?.abstained ?? false,
    processing_ms: Date.now() - started,
  };
}

export const toApiCitations = (citations: { documentId: string; slug: string; title: string }[]) =>
  citations.map((c) => ({
    document_id: c.documentId,
    slug: c.slug,
    title: c.title,
    url: `/kb/${c.slug}`,
  }));

export type ApiReply = Awaited<ReturnType<typeof collectApiReply>>;
