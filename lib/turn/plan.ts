import type { Classification } from '@/lib/classify/schema';
import type { EscalationReason } from '@/lib/conversations/escalation-reasons';
import type { Message } from '@/lib/conversations/queries';
import type { Passage, Retrieval } from '@/lib/kb/types';
import {
  decideEscalation,
  type EscalationInput,
  type EscalationThresholds,
} from './escalation-policy';
import { type DeclineReason, declineReply } from './screen-message';

/** Everything a turn's decision depends on, gathered by intake. */
export interface TurnFacts {
  /** Who holds the conversation now: the AI, a person, or no one (a person is on the way). */
  owner: 'ai' | 'human' | 'none';
  /** The customer declined AI handling: people answer them, and nothing reaches a model. */
  consentDeclined: boolean;
  classification: Classification;
  signals: EscalationInput;
  thresholds: EscalationThresholds;
  /** The canned reply when the message is small talk (a greeting, thanks, goodbye). */
  smallTalk: string | null;
  /** Why the message asks for what the assistant never gives (see `screenMessage`); else null. */
  decline: DeclineReason | null;
  /** The knowledge base's passages for the question; null until retrieved. */
  retrieval: Retrieval | null;
  /** Retrieval confidence below which passages are not trusted to ground an answer. */
  answerMinConfidence: number;
  /** The tools this customer may use, by name. */
  tools: readonly string[];
  /**
   * Procedures: the one the conversation is in (unless this message clearly leaves it), or one
   * this message asks for. Absent when none is published or active.
   */
  procedure?: {
    active: string | null;
    leaving: boolean;
    start: string | null;
    /** The message itself asks for a person (lib/classify/person-request), not only the classifier's guess. */
    personAsked: boolean;
    /** The message answers what the procedure in progress asked. */
    answersStep: boolean;
  };
}

export interface HandOff {
  reason: EscalationReason;
  /** The customer-facing sentence saying why a person is joining. */
  explanation: string;
}

/** What a turn does. */
export type TurnPlan =
  | { kind: 'stay_silent' }
  | ({ kind: 'hand_off' } & HandOff)
  | { kind: 'small_talk'; reply: string }
  /** The next step of a procedure: starting one the message asks for, or the one in progress. */
  | { kind: 'procedure'; procedure: string; mode: 'start' | 'continue' }
  /** A polite refusal with the offer of a person: no article, no model, no tool. */
  | { kind: 'decline'; reason: DeclineReason; reply: string }
  | {
      kind: 'answer';
      /** The passages that ground the answer: none when retrieval was not confident. */
      passages: Passage[];
      confidence: number;
      tools: readonly string[];
      /** The hand-off that follows if the answer turns out unanswered (no citation, no tool). */
      ifUnanswered: HandOff | null;
    };

export const CONSENT_DECLINED_EXPLANATION =
  'You chose not to have your messages handled by AI, so a person from our team will answer you.';

/**
 * Decides what this turn does, from facts alone: a person's conversation gets silence; a customer
 * who declined AI, or whom the escalation policy says needs a person, is handed off; a message
 * asking for the assistant's instructions, another customer's data or another persona is
 * declined; a procedure in progress takes the reply (unless it clearly turns elsewhere); small
 * talk is answered in kind; a request a published procedure handles starts it; anything else is
 * answered from the knowledge base and tools. Pure.
 */
export function planTurn(facts: TurnFacts): TurnPlan {
  if (facts.owner !== 'ai') return { kind: 'stay_silent' };
  if (facts.consentDeclined) {
    return {
      kind: 'hand_off',
      reason: 'consent_declined',
      explanation: CONSENT_DECLINED_EXPLANATION,
    };
  }
  const now = decideEscalation({ ...facts.signals, lowConfidenceStreak: 0 }, facts.thresholds);
  const procedure = facts.procedure;
  if (now.reason && !procedureOverrides(now.reason, procedure)) {
    return { kind: 'hand_off', reason: now.reason, explanation: now.explanation };
  }
  if (facts.decline) {
    return {
      kind: 'decline',
      reason: facts.decline,
      reply: declineReply(facts.decline, facts.classification.language),
    };
  }
  if (procedure?.active && !procedure.leaving) {
    return { kind: 'procedure', procedure: procedure.active, mode: 'continue' };
  }
  if (facts.smallTalk) return { kind: 'small_talk', reply: facts.smallTalk };
  if (procedure?.start) return { kind: 'procedure', procedure: procedure.start, mode: 'start' };

  const retrieval = facts.retrieval ?? { passages: [], confidence: 0 };
  const grounded = retrieval.confidence >= facts.answerMinConfidence;
  const unanswered = decideEscalation(
    { ...facts.signals, lowConfidenceStreak: facts.signals.lowConfidenceStreak + 1 },
    facts.thresholds,
  );
  return {
    kind: 'answer',
    passages: grounded ? retrieval.passages : [],
    confidence: retrieval.confidence,
    tools: facts.tools,
    ifUnanswered: unanswered.reason
      ? { reason: unanswered.reason, explanation: unanswered.explanation }
      : null,
  };
}

/**
 * Readings of the classifier that do not hand a procedure's customer off: a request a procedure
 * handles ("I'd like to return an item") is not a request for a person on the classifier's guess
 * alone (the customer's own words for one still are), and answering the procedure's question
 * ("wrong size", "not as described") is not the conversation going badly. Frustration, urgency
 * and a customer's explicit request still hand off.
 */
function procedureOverrides(reason: EscalationReason, procedure: TurnFacts['procedure']): boolean {
  if (!procedure || procedure.personAsked) return false;
  const continuing = procedure.active !== null && !procedure.leaving;
  if (reason === 'customer_request') return continuing || procedure.start !== null;
  return reason === 'declining_sentiment' && continuing && procedure.answersStep;
}

/** Whether the turn's plan depends on retrieval: only an answer reads the knowledge base. */
export const needsRetrieval = (facts: Omit<TurnFacts, 'retrieval'>): boolean =>
  planTurn({ ...facts, retrieval: null }).kind === 'answer';

/**
 * The sentiment and confidence history the escalation policy reads, from the conversation's
 * recent messages (this one included) and this message's classification.
 */
export function conversationSignals(
  window: readonly Message[],
  classification: Classification,
): EscalationInput {
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
