import { randomUUID } from 'node:crypto';
import { CUSTOMER_TOOLS } from '@/lib/ai/tools';
import { asksForPerson } from '@/lib/classify/person-request';
import type { Classification } from '@/lib/classify/schema';
import type { AppContext } from '@/lib/context';
import { retrieveAcrossLanguages } from '@/lib/kb/cross-lingual';
import { ANSWER_PASSAGES } from '@/lib/kb/types';
import { log } from '@/lib/log';
import { timeStage } from '@/lib/observability/metrics';
import { getAssistantIdentity, getEscalationThresholds } from '@/lib/settings/settings';
import { enabledActions } from './action-tools';
import { carryOut, type TurnAnswer } from './carry-out';
import { intake, type TurnRequest } from './intake';
import { conversationSignals, needsRetrieval, planTurn, type TurnPlan } from './plan';
import { NO_PROCEDURE, procedureFacts } from './procedure-step';
import { screenMessage } from './screen-message';
import { smallTalkReply } from './small-talk';
import { type TurnEvent, turnEventChannel } from './turn-events';

export type { TurnAnswer } from './carry-out';
export type { TurnRequest } from './intake';

export interface Turn {
  conversationId: string;
  customerMessageId: string;
  classification: Classification;
  plan: TurnPlan;
  /** The id the AI's answer is stored under (none is stored when the AI stays silent). */
  answerId: string;
  /** What happens as it happens, for a face to relay; the turn finishes whether or not it is read. */
  events: ReadableStream<TurnEvent>;
  /** The stored answer, once carried out; null when a person holds the conversation. */
  answer: Promise<TurnAnswer | null>;
}

/**
 * The one implementation of a customer turn: intake (consent, classify, store, announce), then a
 * plan from what is known (retrieving only when the plan is to answer), then carrying it out.
 * Resolves once the plan is made; the answer streams through `events` and settles `answer`.
 */
export async function runTurn(ctx: AppContext, request: TurnRequest): Promise<Turn> {
  const { db } = ctx.database;
  const taken = await intake(ctx, request);
  const { conversation, classification } = taken;
  const [thresholds, identity, actions] = await Promise.all([
    getEscalationThresholds(db, ctx.config.escalation),
    getAssistantIdentity(db),
    enabledActions(db),
  ]);
  const screen = screenMessage(request.text);
  // A person's conversation gets no procedure step; nor does one whose customer declined AI,
  // beyond ending the run it was in when it is handed off.
  const procedures =
    conversation.owner === 'ai'
      ? await procedureFacts(ctx, {
          conversationId: conversation.id,
          text: request.text,
          history: taken.memory.window
            .filter((m) => m.role === 'customer' && m.id !== taken.message.id)
            .map((m) => m.content),
          actions,
          chooseWithModel: ctx.config.model.provider !== 'offline' && !taken.consentDeclined,
        })
      : NO_PROCEDURE;
  const facts = {
    owner: conversation.owner,
    consentDeclined: taken.consentDeclined,
    classification,
    signals: conversationSignals(taken.memory.window, classification),
    thresholds,
    smallTalk: smallTalkReply(request.text, classification.language, identity),
    decline: screen.decline,
    answerMinConfidence: ctx.config.chat.answerMinConfidence,
    tools: [...CUSTOMER_TOOLS.map((tool) => tool.name), ...actions.map((action) => action.name)],
    procedure: {
      active: procedures.active?.procedure.definition.name ?? null,
      leaving: procedures.leaving,
      start: procedures.start?.definition.name ?? null,
      personAsked: asksForPerson(request.text),
      answersStep: procedures.answersStep,
    },
  };
  // Retrieval embeds the question, with an external embedding model when one is configured;
  // manipulation framing around it is left out of the search.
  const retrieval = needsRetrieval(facts)
    ? await timeStage('retrieve', () =>
        retrieveAcrossLanguages(ctx, screen.question, { limit: ANSWER_PASSAGES }),
      )
    : null;
  const plan = planTurn({ ...facts, retrieval });

  const answerId = randomUUID();
  const channel = turnEventChannel();
  const carried =
    plan.kind === 'stay_silent'
      ? Promise.resolve(null)
      : carryOut(ctx, { ...taken, answerId, identity, actions, procedures }, plan, channel.emit);
  // The customer's facts are written beside the answer, not before it; the turn ends after both.
  const answer = Promise.all([carried, taken.factsSaved]).then(([stored]) => stored);
  answer.then(channel.end, (error) => {
    log.error({ err: error, conversationId: conversation.id }, 'answering failed');
    channel.fail(error);
  });
  return {
    conversationId: conversation.id,
    customerMessageId: taken.message.id,
    classification,
    plan,
    answerId,
    events: channel.stream,
    answer,
  };
}
