import type { ToolSet } from 'ai';
import type { MessageMetadata } from '@/db/schema';
import type { StoredAction } from '@/lib/actions/queries';
import { createCustomerTools, type ToolContext } from '@/lib/ai/tools';
import type { AppContext } from '@/lib/context';
import type { EscalationReason } from '@/lib/conversations/escalation-reasons';
import { type Message, recordAiMessage, recordKnowledgeGap } from '@/lib/conversations/queries';
import { publishConversationEvent, toLiveMessage } from '@/lib/events/conversation-events';
import { queueSummaryRefresh } from '@/lib/jobs/maintenance';
import { customerProfile } from '@/lib/memory/memory';
import { timeStage } from '@/lib/observability/metrics';
import type { AssistantIdentity } from '@/lib/settings/settings';
import { actionToolsFor } from './action-tools';
import { emitText, streamAnswer } from './answer';
import { escalateConversation } from './escalate-conversation';
import type { Intake } from './intake';
import type { HandOff, TurnPlan } from './plan';
import {
  closeRun,
  continueProcedureTurn,
  emitProcedureText,
  type ProcedureFacts,
  type ProcedureScene,
  startProcedureTurn,
} from './procedure-step';
import type { TurnEventSink } from './turn-events';

/** The stored answer of a turn the AI answered (not one a person holds). */
export interface TurnAnswer {
  message: Message;
  abstained: boolean;
  escalated: boolean;
}

/** A tool's own hand-off, told to the customer by the model in its words. */
const MODEL_HAND_OFF = "I'm bringing in a member of our team who can help with this.";

type CarriedTurn = Intake & {
  answerId: string;
  identity: AssistantIdentity;
  /** The admin's enabled actions, offered beside the built-in tools. */
  actions: readonly StoredAction[];
  /** The procedure the conversation is in, and one the message asks for. */
  procedures?: ProcedureFacts;
};

/**
 * Carries out a turn's plan: hands off, answers small talk, or answers from the knowledge base
 * and tools (handing off after all when the answer turns out unanswered); then stores the answer.
 * Emits what happens as it goes.
 */
export async function carryOut(
  ctx: AppContext,
  turn: CarriedTurn,
  plan: Exclude<TurnPlan, { kind: 'stay_silent' }>,
  emit: TurnEventSink,
): Promise<TurnAnswer> {
  const ended = await endProcedureElsewhere(ctx, turn, plan);
  const { text, metadata } = await respond(ctx, turn, plan, emit);
  if (ended) metadata.procedure = ended;
  // A declined request is not a question the knowledge base failed to answer, nor a step.
  const mayBeGap = plan.kind !== 'decline' && plan.kind !== 'procedure';
  const message = await storeAnswer(ctx, turn, text, metadata, mayBeGap);
  return {
    message,
    abstained: metadata.abstained ?? false,
    escalated: metadata.escalation !== undefined,
  };
}

async function respond(
  ctx: AppContext,
  turn: CarriedTurn,
  plan: Exclude<TurnPlan, { kind: 'stay_silent' }>,
  emit: TurnEventSink,
): Promise<{ text: string; metadata: MessageMetadata }> {
  const handOff = async (to: HandOff) => {
    const done = await escalateConversation(ctx, {
      conversationId: turn.conversation.id,
      customerId: turn.customer.id,
      reason: to.reason,
      explanation: to.explanation,
      language: turn.classification.language,
      priority: turn.classification.priority,
      subject: turn.classification.summary,
    });
    emit({ type: 'hand-off', ...to, ticket: done.ticket });
    return emitText(emit, 'escalation', done.message);
  };
  if (plan.kind === 'hand_off') {
    const escalation = { reason: plan.reason, explanation: plan.explanation };
    return { text: await handOff(escalation), metadata: { escalation } };
  }
  if (plan.kind === 'small_talk') {
    return { text: emitText(emit, 'small-talk', plan.reply), metadata: { smallTalk: true } };
  }
  if (plan.kind === 'decline') {
    return { text: emitText(emit, 'decline', plan.reply), metadata: { abstained: true } };
  }
  if (plan.kind === 'procedure') {
    const scene: ProcedureScene = {
      conversationId: turn.conversation.id,
      customer: turn.customer,
      actions: turn.actions,
      language: turn.classification.language,
      priority: turn.classification.priority,
      subject: turn.classification.summary,
      emit,
    };
    const facts = turn.procedures!;
    const outcome =
      plan.mode === 'continue'
        ? await continueProcedureTurn(ctx, scene, facts.active!, turn.message.content)
        : await startProcedureTurn(ctx, scene, facts, turn.message.content);
    return { text: emitProcedureText(emit, outcome.text), metadata: outcome.metadata };
  }
  const answer = await timeStage('respond', () =>
    streamAnswer(ctx, emit, {
      identity: turn.identity,
      classification: turn.classification,
      passages: plan.passages,
      memory: turn.memory,
      profile: customerProfile(turn.customer, turn.memory),
      tools: toolsOnOffer(ctx, turn, plan.tools, emit),
    }),
  );
  // An answer is unanswered when nothing grounded it: no citation, no tool result.
  const abstained = answer.citations.length === 0 && answer.tools.length === 0;
  const metadata: MessageMetadata = {
    confidence: round(plan.confidence),
    citations: answer.citations,
    tools: answer.tools,
    abstained,
  };
  if (!abstained || !plan.ifUnanswered) return { text: answer.text, metadata };
  metadata.escalation = plan.ifUnanswered;
  return { text: `${answer.text}\n\n${await handOff(plan.ifUnanswered)}`, metadata };
}

/**
 * A run the turn does not carry on ends: the conversation goes to a person (handed off), or the
 * customer turned to something else (left). A declined message leaves it as it is.
 */
async function endProcedureElsewhere(
  ctx: AppContext,
  turn: CarriedTurn,
  plan: Exclude<TurnPlan, { kind: 'stay_silent' }>,
) {
  const active = turn.procedures?.active;
  if (!active || plan.kind === 'procedure' || plan.kind === 'decline') return null;
  const scene = { conversationId: turn.conversation.id, customer: turn.customer };
  return closeRun(ctx, scene, active.run, plan.kind === 'hand_off' ? 'handed_off' : 'left');
}

/**
 * Stores the answer, notes a knowledge gap, announces the answer to the console and keeps the
 * conversation's summary fresh.
 */
async function storeAnswer(
  ctx: AppContext,
  turn: CarriedTurn,
  text: string,
  metadata: MessageMetadata,
  mayBeGap: boolean,
): Promise<Message> {
  const { db } = ctx.database;
  const { conversation, classification } = turn;
  // A declined customer's question is not a gap in the knowledge base (and is not drafted from).
  const gap = turn.consentDeclined || !mayBeGap ? null : knowledgeGapReason(metadata, turn);
  if (gap) {
    await recordKnowledgeGap(db, {
      conversationId: conversation.id,
      messageId: turn.message.id,
      question: turn.message.content,
      reason: gap,
      category: classification.category,
      language: classification.language,
    });
  }
  const message = await recordAiMessage(db, {
    id: turn.answerId,
    conversationId: conversation.id,
    content: text,
    parts: [{ type: 'text', text }],
    metadata,
  });
  void publishConversationEvent(ctx, conversation.id, {
    type: 'message.created',
    message: toLiveMessage(message),
  });
  // A conversation shorter than a summary period never needs one (the job checks exactly; the
  // window is capped, so a full window also counts). Off the request path, retried if it fails.
  const { window: windowSize, summaryEvery } = ctx.config.memory;
  if (turn.memory.window.length + 1 >= Math.min(summaryEvery, windowSize)) {
    await queueSummaryRefresh(db, conversation.id);
  }
  return message;
}

/** The plan's tools and actions, closed over this customer and conversation. */
function toolsOnOffer(
  ctx: AppContext,
  turn: CarriedTurn,
  names: readonly string[],
  emit: TurnEventSink,
): ToolSet {
  const reason: EscalationReason = 'model_request';
  const toolContext: ToolContext = {
    db: ctx.database.db,
    kb: ctx.kb,
    customerId: turn.customer.id,
    conversationId: turn.conversation.id,
    // The site vouched for them: a signed widget identity or an API caller's own customer id.
    verified: turn.customer.externalId !== null,
    priority: turn.classification.priority,
    escalate: async (subject) => {
      const done = await escalateConversation(ctx, {
        conversationId: turn.conversation.id,
        customerId: turn.customer.id,
        reason,
        explanation: MODEL_HAND_OFF,
        language: turn.classification.language,
        priority: turn.classification.priority,
        subject,
      });
      emit({ type: 'hand-off', reason, explanation: MODEL_HAND_OFF, ticket: done.ticket });
      return { explanation: done.message };
    },
  };
  const builtIn: ToolSet = createCustomerTools(toolContext);
  const all: ToolSet = {
    ...actionToolsFor(ctx, toolContext, turn.actions, emit, new Set(Object.keys(builtIn))),
    ...builtIn,
  };
  return Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name)));
}

const round = (n: number) => Number(n.toFixed(3));

/**
 * Whether this message is one the knowledge base failed: the bot was unsure, or handed over for
 * a reason other than the customer simply asking for a person.
 */
function knowledgeGapReason(
  metadata: MessageMetadata,
  turn: Intake,
): 'abstained' | 'escalated' | null {
  if (metadata.escalation) {
    const asked =
      metadata.escalation.reason === 'customer_request' &&
      turn.classification.intent === 'asks_for_human';
    return asked ? null : 'escalated';
  }
  return metadata.abstained ? 'abstained' : null;
}
