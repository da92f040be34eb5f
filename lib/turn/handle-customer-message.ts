import { randomUUID } from 'node:crypto';
import {
  createUIMessageStream,
  isStepCount,
  type ModelMessage,
  streamText,
  type UIMessageChunk,
  type UIMessageStreamWriter,
} from 'ai';
import type { Citation, MessageMetadata, ToolActivity } from '@/db/schema';
import { abstentionReply, answerInstructions, BUSINESS_NAME } from '@/lib/ai/prompts';
import { citedIndexes } from '@/lib/ai/sources';
import { createCustomerTools } from '@/lib/ai/tools';
import type { Classification } from '@/lib/classify/schema';
import { requireConsentAnswer } from '@/lib/consent/consent';
import type { AppContext } from '@/lib/context';
import { type AttachmentUpload, prepareAttachments } from '@/lib/conversations/attachments';
import type { ChatMessage, ChatMessageMetadata } from '@/lib/conversations/chat-message';
import {
  getCustomerConversationOrThrow,
  type Message,
  recordAiMessage,
  recordCustomerMessage,
  recordKnowledgeGap,
} from '@/lib/conversations/queries';
import type { Customer } from '@/lib/customers/queries';
import { publishConversationEvent, toLiveMessage } from '@/lib/events/conversation-events';
import { queueSummaryRefresh } from '@/lib/jobs/maintenance';
import { retrieveAcrossLanguages } from '@/lib/kb/cross-lingual';
import type { Passage } from '@/lib/kb/types';
import { log } from '@/lib/log';
import {
  type ConversationMemory,
  customerProfile,
  loadMemory,
  rememberCustomerFacts,
  rememberMessage,
} from '@/lib/memory/memory';
import { getMetrics, timeStage } from '@/lib/observability/metrics';
import { aiTelemetry } from '@/lib/observability/telemetry';
import { getEscalationThresholds } from '@/lib/settings/settings';
import { streamingTokens } from '@/lib/text/terms';
import { classifyCustomerMessage } from './classify-customer-message';
import { escalateConversation } from './escalate-conversation';
import { decideEscalation } from './escalation-policy';
import { smallTalkReply } from './small-talk';

const MAX_MODEL_STEPS = 3;

export interface CustomerMessageInput {
  /** Whoever the caller authenticated (widget session, API key's customer id), as stored now. */
  customer: Customer;
  conversationId?: string;
  text: string;
  /** The client's id for this message: a retry with the same id is refused, not answered twice. */
  idempotencyKey?: string;
  channel?: 'widget' | 'api';
  /** Files attached to the message: their text is read, and they are kept for agents. */
  attachments?: AttachmentUpload[];
  /**
   * The message, already stored by an earlier run that stopped before answering (a background
   * job whose worker died): it is answered without being stored or announced again.
   */
  stored?: Message;
}

export interface CustomerMessageResult {
  conversationId: string;
  customerMessageId: string;
  classification: Classification;
  /** The answer as a UI message stream (text deltas, then its sources). */
  stream: ReadableStream<UIMessageChunk<ChatMessageMetadata>>;
}

/**
 * The one implementation of "handle a customer message": classify → store → retrieve → load
 * memory → respond (streamed, grounded, with tools) or hand over to a person → store the answer
 * and what was learned → publish events.
 */
export async function handleCustomerMessage(
  app: AppContext,
  input: CustomerMessageInput,
): Promise<CustomerMessageResult> {
  const { db } = app.database;
  const { customer } = input;
  // A customer who declined is answered by people only: nothing of theirs reaches a model.
  const declined = (await requireConsentAnswer(app, customer)) === 'declined';
  const existing = input.conversationId
    ? await getCustomerConversationOrThrow(db, input.conversationId, customer.id)
    : null;
  const files = await prepareAttachments(input.attachments ?? [], {
    maxBytes: app.config.chat.maxAttachmentBytes,
  });

  const loaded = await loadMemory(db, {
    customerId: customer.id,
    conversationId: existing?.id ?? null,
    windowSize: app.config.memory.window,
  });
  const earlier = input.stored
    ? { ...loaded, window: loaded.window.filter((m) => m.id !== input.stored!.id) }
    : loaded;
  const classification =
    input.stored?.metadata.classification ??
    (await timeStage('classify', () =>
      classifyCustomerMessage(app, input.text, {
        history: earlier.window.filter((m) => m.role === 'customer').map((m) => m.content),
        customerContext: customer.context,
        previousLanguage: existing?.language ?? undefined,
        offlineOnly: declined,
      }),
    ));
  getMetrics().messages.inc({ category: classification.category });

  const { conversation, message } =
    input.stored && existing
      ? { conversation: existing, message: input.stored }
      : await recordCustomerAndAnnounce();
  async function recordCustomerAndAnnounce() {
    const recorded = await recordCustomerMessage(db, {
      customerId: customer.id,
      conversationId: existing?.id,
      content: input.text,
      idempotencyKey: input.idempotencyKey,
      channel: input.channel,
      classification,
      attachments: files,
    });
    await rememberCustomerFacts(db, customer, {
      text: input.text,
      category: classification.category,
    });
    void publishConversationEvent(app, recorded.conversation.id, {
      type: 'message.created',
      message: toLiveMessage(recorded.message),
    });
    return recorded;
  }

  const answerId = randomUUID();
  const heldForHuman = conversation.owner !== 'ai';
  const smallTalk =
    heldForHuman || declined ? null : smallTalkReply(input.text, classification.language);
  // Retrieval embeds the question, with an external embedding model when one is configured.
  const retrieval =
    heldForHuman || declined || smallTalk
      ? { passages: [], confidence: 0 }
      : await timeStage('retrieve', () => retrieveAcrossLanguages(app, input.text, { limit: 4 }));
  const grounded = retrieval.confidence >= app.config.chat.answerMinConfidence;
  const memory = rememberMessage(earlier, message, app.config.memory.window);
  const signals = conversationSignals(memory.window, classification);

  const stream = createUIMessageStream<ChatMessage>({
    execute: async ({ writer }) => {
      writer.write({
        type: 'start',
        messageId: answerId,
        messageMetadata: { conversationId: conversation.id, author: 'ai' },
      });
      if (heldForHuman) {
        // A person has (or is about to take) this conversation: the AI stays silent.
        writer.write({
          type: 'finish',
          messageMetadata: { conversationId: conversation.id, author: 'ai', held: true },
        });
        return;
      }
      const metadata: MessageMetadata = smallTalk
        ? { smallTalk: true }
        : { confidence: round(retrieval.confidence) };
      let text = '';

      const thresholds = await getEscalationThresholds(db, app.config.escalation);
      const early = decideEscalation({ ...signals, lowConfidenceStreak: 0 }, thresholds);
      if (declined) {
        const explanation =
          'You chose not to have your messages handled by AI, so a person from our team will answer you.';
        const handOff = await escalateConversation(app, {
          conversationId: conversation.id,
          customerId: customer.id,
          reason: 'consent_declined',
          explanation,
          priority: classification.priority,
          subject: classification.summary,
        });
        text = writeText(writer, 'escalation', handOff.message);
        metadata.escalation = { reason: 'consent_declined', explanation };
      } else if (early.escalate) {
        const handOff = await escalateConversation(app, {
          conversationId: conversation.id,
          customerId: customer.id,
          reason: early.reason!,
          explanation: early.explanation,
          priority: classification.priority,
          subject: classification.summary,
        });
        text = writeText(writer, 'escalation', handOff.message);
        metadata.escalation = { reason: early.reason!, explanation: early.explanation };
      } else if (smallTalk) {
        text = writeText(writer, 'small-talk', smallTalk);
      } else {
        const answer = await timeStage('respond', () =>
          streamAnswer(app, writer, {
            customerId: customer.id,
            conversationId: conversation.id,
            classification,
            passages: grounded ? retrieval.passages : [],
            memory,
            profile: customerProfile(customer, memory),
          }),
        );
        text = answer.text;
        metadata.citations = answer.citations;
        metadata.tools = answer.tools;
        // An answer is weak when nothing grounded it: no citation, no tool result.
        const weak = answer.citations.length === 0 && answer.tools.length === 0;
        metadata.abstained = weak;
        const late = decideEscalation(
          { ...signals, lowConfidenceStreak: weak ? signals.lowConfidenceStreak + 1 : 0 },
          thresholds,
        );
        if (late.escalate) {
          const handOff = await escalateConversation(app, {
            conversationId: conversation.id,
            customerId: customer.id,
            reason: late.reason!,
            explanation: late.explanation,
            priority: classification.priority,
            subject: classification.summary,
          });
          text += `\n\n${writeText(writer, 'escalation', handOff.message)}`;
          metadata.escalation = { reason: late.reason!, explanation: late.explanation };
        }
      }

      // A declined customer's question is not a gap in the knowledge base (and is not drafted from).
      const gap = declined ? null : knowledgeGapReason(metadata, classification);
      if (gap) {
        await recordKnowledgeGap(db, {
          conversationId: conversation.id,
          messageId: message.id,
          question: input.text,
          reason: gap,
          category: classification.category,
          language: classification.language,
        });
      }
      const stored = await recordAiMessage(db, {
        id: answerId,
        conversationId: conversation.id,
        content: text,
        parts: [{ type: 'text', text }],
        metadata,
      });
      writer.write({
        type: 'finish',
        messageMetadata: {
          conversationId: conversation.id,
          author: 'ai',
          abstained: metadata.abstained ?? false,
          citations: metadata.citations ?? [],
          escalated: metadata.escalation !== undefined,
          createdAt: stored.createdAt.toISOString(),
        },
      });
      void publishConversationEvent(app, conversation.id, {
        type: 'message.created',
        message: toLiveMessage(stored),
      });
      // A conversation shorter than a summary period never needs one (the job checks exactly; the
      // window is capped, so a full window also counts). Off the request path, retried if it fails.
      const { window: windowSize, summaryEvery } = app.config.memory;
      if (memory.window.length + 1 >= Math.min(summaryEvery, windowSize)) {
        await queueSummaryRefresh(db, conversation.id);
      }
    },
    onError: (error) => {
      log.error({ err: error, conversationId: conversation.id }, 'answering failed');
      return 'Sorry, something went wrong while answering. Please try again in a moment.';
    },
  });

  return {
    conversationId: conversation.id,
    customerMessageId: message.id,
    classification,
    stream,
  };
}

const round = (n: number) => Number(n.toFixed(3));

/**
 * Whether this message is one the knowledge base failed: the bot was unsure, or handed over for
 * a reason other than the customer simply asking for a person.
 */
function knowledgeGapReason(
  metadata: MessageMetadata,
  classification: Classification,
): 'abstained' | 'escalated' | null {
  if (metadata.escalation) {
    const asked =
      metadata.escalation.reason === 'customer_request' &&
      classification.intent === 'asks_for_human';
    return asked ? null : 'escalated';
  }
  return metadata.abstained ? 'abstained' : null;
}

/** Writes a fixed reply word by word, like a model's, and returns it. */
function writeText(writer: UIMessageStreamWriter<ChatMessage>, id: string, text: string): string {
  writer.write({ type: 'text-start', id });
  for (const token of streamingTokens(text)) writer.write({ type: 'text-delta', id, delta: token });
  writer.write({ type: 'text-end', id });
  return text;
}

/** The sentiment and confidence history the escalation policy reads, this message included. */
function conversationSignals(window: Message[], classification: Classification) {
  const readings = window
    .filter((m) => m.role === 'customer')
    .flatMap((m) => (m.metadata.classification ? [m.metadata.classification] : []));
  let lowConfidenceStreak = 0;
  for (const m of [...window].reverse()) {
    if (m.role !== 'ai') continue;
    if (!m.metadata.abstained) break;
    lowConfidenceStreak++;
  }
  return {
    intent: classification.intent,
    priority: classification.priority,
    frustration: classification.sentiment.frustration,
    sentimentHistory: readings.map((c) => c.sentiment.polarity),
    frustrationHistory: readings.map((c) => c.sentiment.frustration),
    lowConfidenceStreak,
  };
}

interface AnswerInput {
  customerId: string;
  conversationId: string;
  classification: Classification;
  passages: Passage[];
  memory: ConversationMemory;
  profile: Record<string, unknown>;
}

/** The model's grounded answer, with tools, streamed into the writer; then its sources. */
async function streamAnswer(
  app: AppContext,
  writer: UIMessageStreamWriter<ChatMessage>,
  input: AnswerInput,
): Promise<{ text: string; citations: Citation[]; tools: ToolActivity[] }> {
  const tools = createCustomerTools({
    db: app.database.db,
    kb: app.kb,
    customerId: input.customerId,
    conversationId: input.conversationId,
    priority: input.classification.priority,
    escalate: async (reason) => {
      const handOff = await escalateConversation(app, {
        conversationId: input.conversationId,
        customerId: input.customerId,
        reason: 'model_request',
        explanation: "I'm bringing in a member of our team who can help with this.",
        priority: input.classification.priority,
        subject: reason,
      });
      return { explanation: handOff.message };
    },
  });
  const result = streamText({
    model: app.model,
    system: answerInstructions(BUSINESS_NAME, input.passages, {
      profile: input.profile,
      summary: input.memory.summary,
      language: input.classification.language,
    }),
    messages: toModelMessages(input.memory.window),
    tools,
    stopWhen: isStepCount(MAX_MODEL_STEPS),
    telemetry: aiTelemetry(app.config, 'answer'),
  });
  for await (const chunk of result.toUIMessageStream<ChatMessage>({
    sendStart: false,
    sendFinish: false,
  })) {
    writer.write(chunk);
  }
  const steps = await result.steps;
  const text = steps
    .map((step) => step.text)
    .filter(Boolean)
    .join('\n\n');
  const activity: ToolActivity[] = steps.flatMap((step) =>
    step.toolResults.map((r) => ({ tool: r.toolName, input: r.input, output: r.output })),
  );
  const citations = citationsFor(text, input.passages);
  for (const citation of citations) {
    writer.write({
      type: 'source-url',
      sourceId: citation.slug,
      url: `/kb/${citation.slug}`,
      title: citation.title,
    });
  }
  return {
    text: text || abstentionReply(input.classification.language),
    citations,
    tools: activity,
  };
}

function toModelMessages(history: Message[]): ModelMessage[] {
  return history.flatMap((m): ModelMessage[] => {
    if (m.role === 'customer') {
      const files = (m.metadata.attachments ?? []).map((a) =>
        a.excerpt
          ? `[Attached ${a.filename}]\n${a.excerpt}`
          : `[Attached ${a.filename} (${a.mediaType}); its content cannot be read here]`,
      );
      return [{ role: 'user', content: [m.content, ...files].join('\n\n') }];
    }
    if (m.role === 'ai' || m.role === 'agent') return [{ role: 'assistant', content: m.content }];
    return [];
  });
}

/** The articles an answer cites with [n]; sources the answer never cites are not claimed. */
function citationsFor(answer: string, passages: Passage[]): Citation[] {
  const bySlug = new Map<string, Citation>();
  for (const n of citedIndexes(answer)) {
    const p = passages[n - 1];
    if (p && !bySlug.has(p.slug)) {
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
