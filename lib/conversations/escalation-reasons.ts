import { humanizeKey } from '@/lib/text/labels';

/** Why the escalation policy brings in a person; `decideEscalation` picks one of these. */
export const POLICY_ESCALATION_REASONS = [
  'customer_request',
  'high_frustration',
  'repeated_frustration',
  'declining_sentiment',
  'low_confidence',
  'urgent_priority',
] as const;
export type PolicyEscalationReason = (typeof POLICY_ESCALATION_REASONS)[number];

/** Every reason a conversation is handed to the team: the policy's, and the callers' own. */
export const ESCALATION_REASONS = [
  ...POLICY_ESCALATION_REASONS,
  /** The customer declined AI handling. */
  'consent_declined',
  /** The assistant's escalate tool. */
  'model_request',
  /** A caller of the public API. */
  'api_request',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

const LABELS: Record<EscalationReason, string> = {
  customer_request: 'Customer asked for a person',
  urgent_priority: 'Urgent priority',
  high_frustration: 'High frustration',
  repeated_frustration: 'Repeated frustration',
  declining_sentiment: 'Sentiment declining',
  low_confidence: 'Unsure answers in a row',
  consent_declined: 'Consent declined',
  model_request: 'Assistant asked for a person',
  api_request: 'Requested by an integration',
};

/** How the console and the dashboard name a stored reason (one from an older release as is). */
export function escalationReasonLabel(reason: string): string {
  return LABELS[reason as EscalationReason] ?? humanizeKey(reason);
}
