import type { UIMessageChunk } from 'ai';
import { z } from 'zod';
import { type ConsentDecision, recordConsent } from '@/lib/consent/queries';
import type { AppContext } from '@/lib/context';
import type { ChatMessageMetadata } from '@/lib/conversations/chat-message';
import { getCustomerConversationOrThrow, type Message } from '@/lib/conversations/queries';
import { type Customer, upsertCustomerByExternalId } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';
import { getConsentSettings } from '@/lib/settings/settings';
import { handleCustomerMessage } from '@/lib/turn/handle-customer-message';

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
 * A customer message from an external caller, through the same pipeline as the widget. The
 * caller's `customer_id` is the site's own id for the customer (shared with the widget's
 * verified identity), so a conversation can move between the two.
 */
export async function startApiMessage(
  app: AppContext,
  input: ApiMessageInput,
  idempotencyKey?: string,
  stored?: Message,
) {
  const { db } = app.database;
  let customer = await upsertCustomerByExternalId(db, {
    externalId: input.customer_id,
    context: input.customer_context,
    language: input.language,
  });
  if (input.consent) customer = await recordApiConsent(app, customer, input.consent);
  if (input.conversation_id) {
    // Another customer's conversation is simply not found for this one.
    await getCustomerConversationOrThrow(db, input.conversation_id, customer.id).catch((error) => {
      if (error instanceof TandemError && error.code === 'forbidden:conversation') {
        throw new TandemError(
          'not_found:conversation',
          'No conversation of this customer has that id.',
        );
      }
      throw error;
    });
  }
  return handleCustomerMessage(app, {
    customer,
    conversationId: input.conversation_id,
    text: input.message,
    idempotencyKey,
    channel: 'api',
    stored,
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

/** Reads the whole answer stream into the API's JSON reply. */
export async function collectApiReply(
  result: Awaited<ReturnType<typeof startApiMessage>>,
  started: number,
) {
  let replyId: string | null = null;
  let text = '';
  let finish: ChatMessageMetadata = {};
  const reader = result.stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const chunk = next.value as UIMessageChunk<ChatMessageMetadata>;
    if (chunk.type === 'start') replyId = chunk.messageId ?? null;
    if (chunk.type === 'text-delta') text += chunk.delta;
    if (chunk.type === 'finish') finish = chunk.messageMetadata ?? {};
    if (chunk.type === 'error') throw new Error(chunk.errorText);
  }
  const held = finish.held === true;
  return {
    conversation_id: result.conversationId,
    customer_message_id: result.customerMessageId,
    message_id: held ? null : replyId,
    reply: held ? null : text,
    held_for_human: held,
    citations: toApiCitations(finish.citations ?? []),
    classification: result.classification,
    escalated: finish.escalated === true,
    abstained: finish.abstained === true,
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
