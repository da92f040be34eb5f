import { randomUUID } from 'node:crypto';
import { createUIMessageStream, type ModelMessage, streamText, type UIMessageChunk } from 'ai';
import type { Citation } from '@/db/schema';
import { abstentionReply, answerInstructions } from '@/lib/ai/prompts';
import { citedIndexes } from '@/lib/ai/sources';
import type { App } from '@/lib/app';
import type { ChatMessage, ChatMessageMetadata } from '@/lib/conversations/chat-message';
import {
  getCustomerConversationOrThrow,
  listMessages,
  type Message,
  recordAiMessage,
  recordCustomerMessage,
} from '@/lib/conversations/queries';
import { type Passage, retrievePassages } from '@/lib/kb/retrieve';
import { log } from '@/lib/log';

const BUSINESS_NAME = 'Parcelly';
const HISTORY_WINDOW = 12;

export interface CustomerMessageInput {
  customerId: string;
  conversationId?: string;
  text: string;
  /** The client's id for this message: a retry with the same id is refused, not answered twice. */
  idempotencyKey?: string;
  channel?: 'widget' | 'api';
}

export interface CustomerMessageResult {
  conversationId: string;
  customerMessageId: string;
  /** The answer as a UI message stream (text deltas, then its sources). */
  stream: ReadableStream<UIMessageChunk<ChatMessageMetadata>>;
}

/**
 * The one implementation of "handle a customer message": check the conversation belongs to the
 * customer → store the message → retrieve from the knowledge base → load the conversation
 * window → answer grounded in the passages (or abstain) → store the answer.
 */
export async function handleCustomerMessage(
  app: App,
  input: CustomerMessageInput,
): Promise<CustomerMessageResult> {
  const { db } = app.database;
  if (input.conversationId) {
    await getCustomerConversationOrThrow(db, input.conversationId, input.customerId);
  }
  const { conversation, message } = await recordCustomerMessage(db, {
    customerId: input.customerId,
    conversationId: input.conversationId,
    content: input.text,
    idempotencyKey: input.idempotencyKey,
    channel: input.channel,
  });

  const retrieval = await retrievePassages(db, input.text);
  const grounded = retrieval.confidence >= app.config.chat.answerMinConfidence;
  // A conversation opened by this message has no history to load beyond the message itself.
  const history = !grounded
    ? []
    : input.conversationId
      ? await listMessages(db, conversation.id)
      : [message];
  const answerId = randomUUID();

  const stream = createUIMessageStream<ChatMessage>({
    execute: async ({ writer }) => {
      writer.write({
        type: 'start',
        messageId: answerId,
        messageMetadata: { conversationId: conversation.id, author: 'ai' },
      });

      let text = '';
      if (grounded) {
        const result = streamText({
          model: app.model,
          system: answerInstructions(BUSINESS_NAME, retrieval.passages),
          messages: toModelMessages(history.slice(-HISTORY_WINDOW)),
        });
        for await (const chunk of result.toUIMessageStream<ChatMessage>({
          sendStart: false,
          sendFinish: false,
        })) {
          writer.write(chunk);
        }
        text = await result.text;
      } else {
        text = abstentionReply();
        writer.write({ type: 'text-start', id: 'abstention' });
        for (const token of text.match(/\s*\S+/g) ?? []) {
          writer.write({ type: 'text-delta', id: 'abstention', delta: token });
        }
        writer.write({ type: 'text-end', id: 'abstention' });
      }

      const citations = grounded ? citationsFor(text, retrieval.passages) : [];
      for (const citation of citations) {
        writer.write({
          type: 'source-url',
          sourceId: citation.slug,
          url: `/kb/${citation.slug}`,
          title: citation.title,
        });
      }
      const stored = await recordAiMessage(db, {
        id: answerId,
        conversationId: conversation.id,
        content: text,
        parts: [{ type: 'text', text }],
        metadata: {
          citations,
          abstained: !grounded,
          confidence: Number(retrieval.confidence.toFixed(3)),
        },
      });
      writer.write({
        type: 'finish',
        messageMetadata: {
          conversationId: conversation.id,
          author: 'ai',
          abstained: !grounded,
          citations,
          createdAt: stored.createdAt.toISOString(),
        },
      });
    },
    onError: (error) => {
      log.error({ err: error, conversationId: conversation.id }, 'answering failed');
      return 'Sorry, something went wrong while answering. Please try again in a moment.';
    },
  });

  return { conversationId: conversation.id, customerMessageId: message.id, stream };
}

function toModelMessages(history: Message[]): ModelMessage[] {
  return history.flatMap((m): ModelMessage[] => {
    if (m.role === 'customer') return [{ role: 'user', content: m.content }];
    if (m.role === 'ai' || m.role === 'agent') return [{ role: 'assistant', content: m.content }];
    return [];
  });
}

/** The articles an answer cites with [n]; an answer that cites none is credited to its best source. */
function citationsFor(answer: string, passages: Passage[]): Citation[] {
  const cited = citedIndexes(answer)
    .map((n) => passages[n - 1])
    .filter((p): p is Passage => p !== undefined);
  const used = cited.length > 0 ? cited : passages.slice(0, 1);
  const bySlug = new Map<string, Citation>();
  for (const p of used) {
    if (!bySlug.has(p.slug)) {
      bySlug.set(p.slug, {
        documentId: p.documentId,
        slug: p.slug,
        title: p.title,
        section: p.sectionPath || undefined,
      });
    }
  }
  return [...bySlug.values()];
}
