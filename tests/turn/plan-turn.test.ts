import { describe, expect, it } from 'vitest';
import type { Classification } from '@/lib/classify/schema';
import { ESCALATION_REASONS, type EscalationReason } from '@/lib/conversations/escalation-reasons';
import type { Message } from '@/lib/conversations/queries';
import type { Passage } from '@/lib/kb/types';
import { DEFAULT_ESCALATION_THRESHOLDS } from '@/lib/turn/escalation-policy';
import {
  CONSENT_DECLINED_EXPLANATION,
  conversationSignals,
  needsRetrieval,
  planTurn,
  type TurnFacts,
  type TurnPlan,
} from '@/lib/turn/plan';
import { declineReply } from '@/lib/turn/screen-message';

const question: Classification = {
  category: 'shipping',
  intent: 'question',
  priority: 'medium',
  sentiment: { polarity: 0, label: 'neutral', frustration: 0 },
  language: 'en',
  summary: 'Where is my parcel?',
  requiresHuman: false,
  confidence: 0.9,
};

const passage: Passage = {
  id: 'c1',
  documentId: 'd1',
  slug: 'tracking',
  title: 'Tracking your parcel',
  category: 'shipping',
  sectionPath: 'Where is my parcel?',
  content: 'Open the tracking link in your confirmation email.',
  score: 3,
  coverage: 0.8,
};

// A calm customer asking a question the knowledge base answers with confidence.
const calm: TurnFacts = {
  owner: 'ai',
  consentDeclined: false,
  classification: question,
  signals: {
    intent: 'question',
    priority: 'medium',
    frustration: 0,
    sentimentHistory: [0],
    frustrationHistory: [0],
    lowConfidenceStreak: 0,
  },
  thresholds: DEFAULT_ESCALATION_THRESHOLDS,
  smallTalk: null,
  decline: null,
  retrieval: { passages: [passage], confidence: 0.8 },
  answerMinConfidence: 0.35,
  tools: ['search_knowledge_base', 'create_ticket'],
};

type Change = (facts: TurnFacts) => TurnFacts;
const signals =
  (change: Partial<TurnFacts['signals']>): Change =>
  (facts) => ({ ...facts, signals: { ...facts.signals, ...change } });

interface Row {
  name: string;
  change: Change;
  expected: TurnPlan | { kind: TurnPlan['kind']; reason?: EscalationReason };
}

const rows: Row[] = [
  {
    name: 'a person holds the conversation: the AI stays silent',
    change: (f) => ({ ...f, owner: 'human' }),
    expected: { kind: 'stay_silent' },
  },
  {
    name: 'a person is on the way (no owner yet): still silent, even when frustrated',
    change: (f) => signals({ frustration: 1, intent: 'asks_for_human' })({ ...f, owner: 'none' }),
    expected: { kind: 'stay_silent' },
  },
  {
    name: 'the customer declined AI handling: handed to the team',
    change: (f) => ({ ...f, consentDeclined: true, smallTalk: 'Hi!' }),
    expected: {
      kind: 'hand_off',
      reason: 'consent_declined',
      explanation: CONSENT_DECLINED_EXPLANATION,
    },
  },
  {
    name: 'the customer asks for a person',
    change: signals({ intent: 'asks_for_human' }),
    expected: { kind: 'hand_off', reason: 'customer_request' },
  },
  {
    name: 'an urgent message',
    change: signals({ priority: 'urgent' }),
    expected: { kind: 'hand_off', reason: 'urgent_priority' },
  },
  {
    name: 'one very frustrated message',
    change: signals({ frustration: 0.9, frustrationHistory: [0.9] }),
    expected: { kind: 'hand_off', reason: 'high_frustration' },
  },
  {
    name: 'frustration that keeps coming back',
    change: signals({ frustration: 0.6, frustrationHistory: [0.6, 0.5, 0.6] }),
    expected: { kind: 'hand_off', reason: 'repeated_frustration' },
  },
  {
    name: 'sentiment falling into the negative',
    change: signals({ sentimentHistory: [0.5, 0, -0.6] }),
    expected: { kind: 'hand_off', reason: 'declining_sentiment' },
  },
  {
    name: 'a request for another customer’s details: declined in the customer’s language, nothing retrieved',
    change: (f) => ({
      ...f,
      decline: 'other_customer',
      classification: { ...f.classification, language: 'zh' },
      retrieval: null,
    }),
    expected: {
      kind: 'decline',
      reason: 'other_customer',
      reply: declineReply('other_customer', 'zh'),
    },
  },
  {
    name: 'a greeting: answered in kind, nothing retrieved',
    change: (f) => ({ ...f, smallTalk: 'Hi! How can I help?', retrieval: null }),
    expected: { kind: 'small_talk', reply: 'Hi! How can I help?' },
  },
  {
    name: 'a question: answered from the confident passages with the customer’s tools',
    change: (f) => f,
    expected: {
      kind: 'answer',
      passages: [passage],
      confidence: 0.8,
      tools: ['search_knowledge_base', 'create_ticket'],
      ifUnanswered: null,
    },
  },
  {
    name: 'retrieval below the confidence floor: answered without passages (tools may still help)',
    change: (f) => ({ ...f, retrieval: { passages: [passage], confidence: 0.2 } }),
    expected: {
      kind: 'answer',
      passages: [],
      confidence: 0.2,
      tools: ['search_knowledge_base', 'create_ticket'],
      ifUnanswered: null,
    },
  },
  {
    name: 'after an unsure answer: answered, and handed off if this one is unsure too',
    change: signals({ lowConfidenceStreak: 1 }),
    expected: {
      kind: 'answer',
      passages: [passage],
      confidence: 0.8,
      tools: ['search_knowledge_base', 'create_ticket'],
      ifUnanswered: {
        reason: 'low_confidence',
        explanation:
          "I'm not sure I can answer this correctly, so I'm bringing in a member of our team.",
      },
    },
  },
];

describe('planTurn', () => {
  it.each(rows)('$name', ({ change, expected }) => {
    expect(planTurn(change(calm))).toMatchObject(expected);
  });

  it('hands off before small talk: a frustrated "hello?" gets a person, not a greeting', () => {
    const facts = signals({ frustration: 0.95 })({ ...calm, smallTalk: 'Hello!' });
    expect(planTurn(facts)).toMatchObject({ kind: 'hand_off', reason: 'high_frustration' });
  });

  it('covers every outcome and every reason a plan can give', () => {
    const plans = rows.map((row) => planTurn(row.change(calm)));
    const kinds = new Set(plans.map((p) => p.kind));
    expect([...kinds].sort()).toEqual([
      'answer',
      'decline',
      'hand_off',
      'small_talk',
      'stay_silent',
    ]);
    const planned = new Set(
      plans.flatMap((p) =>
        p.kind === 'hand_off'
          ? [p.reason]
          : p.kind === 'answer' && p.ifUnanswered
            ? [p.ifUnanswered.reason]
            : [],
      ),
    );
    // The two reasons a plan never gives come from elsewhere in a turn: the model's escalate tool
    // (carry-out) and an API caller's escalate request (app/api/v1/_lib/conversation-actions.ts).
    const fromElsewhere: EscalationReason[] = ['model_request', 'api_request'];
    expect([...planned, ...fromElsewhere].sort()).toEqual([...ESCALATION_REASONS].sort());
  });

  it('declines before small talk and answering, but a person asked for still comes', () => {
    expect(planTurn({ ...calm, decline: 'instructions', smallTalk: 'Hi!' })).toMatchObject({
      kind: 'decline',
      reason: 'instructions',
    });
    const asked = signals({ intent: 'asks_for_human' })({ ...calm, decline: 'persona' });
    expect(planTurn(asked)).toMatchObject({ kind: 'hand_off', reason: 'customer_request' });
  });

  it('is pure: the same facts give the same plan, and the facts are not changed', () => {
    const facts = structuredClone(calm);
    expect(planTurn(facts)).toEqual(planTurn(facts));
    expect(facts).toEqual(calm);
  });
});

describe('needsRetrieval', () => {
  it('reads the knowledge base only for a turn that may answer', () => {
    const { retrieval: _, ...facts } = calm;
    expect(needsRetrieval(facts)).toBe(true);
    expect(needsRetrieval({ ...facts, owner: 'human' })).toBe(false);
    expect(needsRetrieval({ ...facts, consentDeclined: true })).toBe(false);
    expect(needsRetrieval({ ...facts, smallTalk: 'Thanks!' })).toBe(false);
    expect(needsRetrieval({ ...facts, decline: 'instructions' })).toBe(false);
    expect(needsRetrieval(signals({ intent: 'asks_for_human' })({ ...calm }))).toBe(false);
  });
});

describe('conversationSignals', () => {
  const message = (role: Message['role'], metadata: Message['metadata']) =>
    ({ role, metadata, content: '' }) as Message;

  it('reads sentiment from customer messages and counts unsure answers since the last sure one', () => {
    const frustrated = {
      ...question,
      sentiment: { polarity: -0.5, label: 'negative', frustration: 0.6 },
    } as Classification;
    const window = [
      message('customer', { classification: question }),
      message('ai', { abstained: false }),
      message('customer', { classification: frustrated }),
      message('ai', { abstained: true }),
      message('system', {}),
      message('ai', { abstained: true }),
      message('customer', { classification: frustrated }),
    ];
    expect(conversationSignals(window, frustrated)).toEqual({
      intent: 'question',
      priority: 'medium',
      frustration: 0.6,
      sentimentHistory: [0, -0.5, -0.5],
      frustrationHistory: [0, 0.6, 0.6],
      lowConfidenceStreak: 2,
    });
  });
});
