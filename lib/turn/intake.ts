import type { Classification } from '@/lib/classify/schema';
import { requireConsentAnswer } from '@/lib/consent/consent';
import type { AppContext } from '@/lib/context';
import { type AttachmentUpload, prepareAttachments } from '@/lib/conversations/attachments';
import {
  type Conversation,
  conversationToWriteIn,
  findMessageByIdempotencyKey,
  getCustomerConversationOrThrow,
  type Message,
  recordCustomerMessage,
} from '@/lib/conversations/queries';
import type { Customer } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';
import { publishConversationEvent, toLiveMessage } from '@/lib/events/conversation-events';
import { log } from '@/lib/log';
import {
  type ConversationMemory,
  loadMemory,
  rememberCustomerFacts,
  rememberMessage,
} from '@/lib/memory/memory';
import { getMetrics, timeStage } from '@/lib/observability/metrics';
import { classifyCustomerMessage } from './classify-customer-message';

export interface TurnRequest {
  /** Whoever the caller authenticated (widget session, API key's customer id), as stored now. */
  customer: Customer;
  conversationId?: string;
  text: string;
  /**
   * The client's id for this message. A second message with the same id is refused — unless
   * `resume` is set, when the message stored under it is answered instead (a background job whose
   * worker died after storing it).
   */
  idempotencyKey?: string;
  resume?: boolean;
  channel?: 'widget' | 'api';
  /** Files attached to the message: their text is read, and they are kept for agents. */
  attachments?: AttachmentUpload[];
  /** Another customer's conversation is reported as missing rather than forbidden (the API). */
  hideOtherCustomers?: boolean;
}

export interface Intake {
  customer: Customer;
  conversation: Conversation;
  message: Message;
  classification: Classification;
  consentDeclined: boolean;
  /** The conversation's recent messages, this one included. */
  memory: ConversationMemory;
  /**
   * Settles once what the message told about the customer is stored. `customer` has it already,
   * so the turn answers without waiting, and finishes only after it (the next message reads it).
   */
  factsSaved: Promise<void>;
}

/**
 * A customer message taken in: the customer may write here (consent answered, their own
 * conversation), the message is classified, stored with its files and announced to the console.
 * Idempotent under `resume`: a message already stored under its key is taken as it is.
 */
export async function intake(ctx: AppContext, request: TurnRequest): Promise<Intake> {
  const { db } = ctx.database;
  const { customer } = request;
  const { consentDeclined, addressed, existing, stored } = await admit(ctx, request);
  const files = await prepareAttachments(request.attachments ?? [], {
    maxBytes: ctx.config.chat.maxAttachmentBytes,
  });

  const loaded = await loadMemory(db, {
    customerId: customer.id,
    conversationId: existing?.id ?? null,
    windowSize: ctx.config.memory.window,
  });
  const earlier = stored
    ? { ...loaded, window: loaded.window.filter((m) => m.id !== stored.id) }
    : loaded;
  const classification =
    stored?.metadata.classification ??
    (await timeStage('classify', () =>
      classifyCustomerMessage(ctx, request.text, {
        history: earlier.window.filter((m) => m.role === 'customer').map((m) => m.content),
        customerContext: customer.context,
        previousLanguage: existing?.language ?? undefined,
        offlineOnly: consentDeclined,
      }),
    ));
  getMetrics().messages.inc({ category: classification.category });

  let conversation = existing;
  let message = stored;
  let factsSaved = Promise.resolve();
  if (!conversation || !message) {
    const recorded = await recordCustomerMessage(db, {
      customerId: customer.id,
      conversationId: (existing ?? addressed)?.id,
      content: request.text,
      idempotencyKey: request.idempotencyKey,
      channel: request.channel,
      classification,
      attachments: files,
    });
    ({ conversation, message } = recorded);
    factsSaved = rememberCustomerFacts(db, customer, {
      text: request.text,
      category: classification.category,
    }).catch((error) => {
      // Facts are a convenience for later conversations: losing one never costs this answer.
      log.error({ err: error, customerId: customer.id }, 'storing customer facts failed');
    });
    void publishConversationEvent(ctx, conversation.id, {
      type: 'message.created',
      message: toLiveMessage(message),
    });
  }
  return {
    customer,
    conversation,
    message,
    classification,
    consentDeclined,
    memory: rememberMessage(earlier, message, ctx.config.memory.window),
    factsSaved,
  };
}

/**
 * Whether this customer may write here, and where: their consent answer (a customer who declined
 * is answered by people only, and nothing of theirs reaches a model), their own conversation, and
 * under `resume` the message already stored under its key.
 */
async function admit(ctx: AppContext, request: TurnRequest) {
  const consentDeclined = (await requireConsentAnswer(ctx, request.customer)) === 'declined';
  const addressed = request.conversationId
    ? await getCustomerConversationOrThrow(
        ctx.database.db,
        request.conversationId,
        request.customer.id,
      ).catch((error) => {
        if (request.hideOtherCustomers && isOtherCustomers(error)) {
          throw new TandemError(
            'not_found:conversation',
            'No conversation of this customer has that id.',
          );
        }
        throw error;
      })
    : null;
  // A message to a resolved conversation goes to its follow-up: the one still going, or a new one
  // (stored by recordCustomerMessage), which starts with nothing of the resolved one's memory.
  const existing = addressed
    ? (await conversationToWriteIn(ctx.database.db, addressed)).conversation
    : null;
  const stored =
    request.resume && existing && request.idempotencyKey
      ? await findMessageByIdempotencyKey(ctx.database.db, existing.id, request.idempotencyKey)
      : null;
  return { consentDeclined, addressed, existing, stored };
}

const isOtherCustomers = (error: unknown) =>
  error instanceof TandemError && error.code === 'forbidden:conversation';
