import type { Intent, Priority } from '@/lib/classify/schema';
import { fitSlope } from '@/lib/classify/slope';
import type { EscalationThresholds } from '@/lib/config';
import type { PolicyEscalationReason } from '@/lib/conversations/escalation-reasons';

export type { EscalationThresholds } from '@/lib/config';

export {
  ESCALATION_REASONS,
  type EscalationReason,
  escalationReasonLabel,
  POLICY_ESCALATION_REASONS,
  type PolicyEscalationReason,
} from '@/lib/conversations/escalation-reasons';

export interface EscalationInput {
  intent: Intent;
  priority: Priority;
  /** This message's frustration, 0 … 1. */
  frustration: number;
  /** Polarity of this conversation's customer messages, oldest first, including this one. */
  sentimentHistory: readonly number[];
  /** Frustration of the same messages, oldest first, including this one. */
  frustrationHistory: readonly number[];
  /** Consecutive answers, this turn's included, whose confidence fell below the answer threshold. */
  lowConfidenceStreak: number;
}

export interface EscalationDecision {
  escalate: boolean;
  reason: PolicyEscalationReason | null;
  /** Customer-facing sentence saying why a person is joining; empty when not escalating. */
  explanation: string;
}

export const DEFAULT_ESCALATION_THRESHOLDS: Readonly<EscalationThresholds> = {
  frustration: 0.8,
  frustratedMessages: 3,
  frustratedAt: 0.5,
  lowConfidenceStreak: 2,
  decliningWindow: 3,
};

/*
 * The least-squares slope, in polarity per message, at or below which the window counts as
 * declining. A strictly decreasing run qualifies only when it falls at least this fast, so
 * wobbles between near-neutral messages (−0.05, −0.08, −0.1) do not page a person; over the
 * default window of three that is a fitted fall of at least 0.3.
 */
export const DECLINING_SLOPE = -0.15;

const EXPLANATIONS: Record<PolicyEscalationReason, string> = {
  customer_request: "You asked to speak with a person, so I'm bringing in a member of our team.",
  urgent_priority: "This needs urgent attention, so I'm bringing in a member of our team now.",
  high_frustration: "I can see this has been frustrating, so I'm bringing in a member of our team.",
  repeated_frustration:
    "This has been frustrating for a while now, so I'm bringing in a member of our team.",
  declining_sentiment:
    "I can tell this isn't going well, so I'm bringing in a member of our team to help.",
  low_confidence:
    "I'm not sure I can answer this correctly, so I'm bringing in a member of our team.",
};

/**
 * Whether a person should take over this conversation now. Rules are checked in order and the
 * first that matches wins: the customer asks for a human; the message is urgent; this message's
 * frustration reaches `thresholds.frustration`; `frustratedMessages` messages so far reach
 * `frustratedAt`; sentiment is declining into negative (see `isSentimentDeclining`); or the
 * answer has been unsure `lowConfidenceStreak` times in a row.
 */
export function decideEscalation(
  input: EscalationInput,
  thresholds: EscalationThresholds = DEFAULT_ESCALATION_THRESHOLDS,
): EscalationDecision {
  const reason = findEscalationReason(input, thresholds);
  if (!reason) return { escalate: false, reason: null, explanation: '' };
  return { escalate: true, reason, explanation: EXPLANATIONS[reason] };
}

function findEscalationReason(
  input: EscalationInput,
  thresholds: EscalationThresholds,
): PolicyEscalationReason | null {
  if (input.intent === 'asks_for_human') return 'customer_request';
  if (input.priority === 'urgent') return 'urgent_priority';
  if (input.frustration >= thresholds.frustration) return 'high_frustration';
  const frustrated = input.frustrationHistory.filter((f) => f >= thresholds.frustratedAt).length;
  if (thresholds.frustratedMessages >= 1 && frustrated >= thresholds.frustratedMessages) {
    return 'repeated_frustration';
  }
  if (isSentimentDeclining(input.sentimentHistory, thresholds.decliningWindow)) {
    return 'declining_sentiment';
  }
  if (
    thresholds.lowConfidenceStreak >= 1 &&
    input.lowConfidenceStreak >= thresholds.lowConfidenceStreak
  ) {
    return 'low_confidence';
  }
  return null;
}

/**
 * True when the last `window` polarities (window ≥ 2, and at least that many messages) have a
 * least-squares slope at or below `DECLINING_SLOPE` and the latest polarity is negative (< 0):
 * the conversation is getting worse and has arrived somewhere bad. A strictly decreasing run
 * always has a negative slope, so it qualifies exactly when it falls that fast.
 */
export function isSentimentDeclining(history: readonly number[], window: number): boolean {
  const size = Math.floor(window);
  if (size < 2 || history.length < size) return false;
  const recent = history.slice(-size);
  if (recent[recent.length - 1]! >= 0) return false;
  return fitSlope(recent) <= DECLINING_SLOPE;
}
