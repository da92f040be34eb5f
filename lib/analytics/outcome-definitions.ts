// The outcome names and definitions alone, without the SQL, so a browser component can show them.

/**
 * Hours with no message from the customer, the AI or a person after which a conversation has ended.
 * The outcome-facts trigger (db/migrations/0010_outcome_facts.sql) counts the same 24 hours.
 */
export const QUIET_HOURS = 24;
/** Days a first resolution must hold, the customer not writing again, to count as durable. */
export const DURABLE_DAYS = 7;

export const OUTCOMES = [
  'ai_resolved',
  'assisted',
  'escalated',
  'abandoned',
  'in_progress',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Each outcome's name and one-line definition, as the dashboard and the API show them. */
export const OUTCOME_DEFINITIONS: Record<
  Outcome | 'durable',
  { label: string; definition: string }
> = {
  ai_resolved: {
    label: 'Resolved by the AI alone',
    definition: `Resolved, or quiet for ${QUIET_HOURS} h (or closed for inactivity) after the AI's answer, with no person taking part and no escalation.`,
  },
  assisted: {
    label: 'Assisted',
    definition: `Resolved, or quiet for ${QUIET_HOURS} h after an answer, after a person took part or it was escalated.`,
  },
  escalated: {
    label: 'Escalated',
    definition: 'Waiting for a person or held by one, and not resolved yet.',
  },
  abandoned: {
    label: 'Abandoned',
    definition: `With the AI, quiet for ${QUIET_HOURS} h or closed for inactivity, and the customer never got an answer: the last reply abstained, handed off or was thumbed down, or went unanswered.`,
  },
  in_progress: {
    label: 'In progress',
    definition: `With the AI and active in the last ${QUIET_HOURS} h: not judged yet.`,
  },
  durable: {
    label: 'Durable',
    definition: `The customer did not write again, in it or in a follow-up conversation, within ${DURABLE_DAYS} days of the first resolution; judged ${DURABLE_DAYS} days after it.`,
  },
};

/** How many conversations of a desk test run's sandbox ended each way. */
export interface SettledOutcomes {
  conversations: number;
  outcomes: Record<Outcome, number>;
}
