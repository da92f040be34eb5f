import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Classification } from '@/lib/classify/schema';
import { parseProcedure } from '@/lib/procedures/definition';
import { DEFAULT_ESCALATION_THRESHOLDS } from '@/lib/turn/escalation-policy';
import { needsRetrieval, planTurn, type TurnFacts } from '@/lib/turn/plan';
import { isRequest, matchProcedureOffline } from '@/lib/turn/procedure-match';

const request: Classification = {
  category: 'orders_shipping',
  intent: 'request',
  priority: 'medium',
  sentiment: { polarity: 0, label: 'neutral', frustration: 0 },
  language: 'en',
  summary: 'Wants to return an order',
  requiresHuman: false,
  confidence: 0.9,
};

const facts = (over: Partial<TurnFacts> = {}): TurnFacts => ({
  owner: 'ai',
  consentDeclined: false,
  classification: request,
  signals: {
    intent: 'request',
    priority: 'medium',
    frustration: 0,
    sentimentHistory: [0],
    frustrationHistory: [0],
    lowConfidenceStreak: 0,
  },
  thresholds: DEFAULT_ESCALATION_THRESHOLDS,
  smallTalk: null,
  decline: null,
  retrieval: null,
  answerMinConfidence: 0.35,
  tools: [],
  procedure: {
    active: null,
    leaving: false,
    start: null,
    personAsked: false,
    answersStep: false,
  },
  ...over,
});
const procedure = (over: Partial<NonNullable<TurnFacts['procedure']>>) => ({
  procedure: { ...facts().procedure!, ...over },
});

describe('planning a procedure step', () => {
  it('starts a procedure the message asks for, without retrieving', () => {
    const f = facts(procedure({ start: 'start_a_return' }));
    expect(planTurn(f)).toEqual({ kind: 'procedure', procedure: 'start_a_return', mode: 'start' });
    expect(needsRetrieval(f)).toBe(false);
  });

  it('carries on the procedure in progress, before small talk', () => {
    const f = facts({ ...procedure({ active: 'start_a_return' }), smallTalk: 'Hi!' });
    expect(planTurn(f)).toEqual({
      kind: 'procedure',
      procedure: 'start_a_return',
      mode: 'continue',
    });
  });

  it('answers instead when the message leaves the procedure for another subject', () => {
    const f = facts(procedure({ active: 'start_a_return', leaving: true }));
    expect(planTurn(f).kind).toBe('answer');
  });

  it('stays silent while a person holds the conversation', () => {
    const f = facts({ ...procedure({ active: 'start_a_return' }), owner: 'human' });
    expect(planTurn(f)).toEqual({ kind: 'stay_silent' });
  });

  it('hands off on the customer’s own request for a person, not on the classifier’s guess alone', () => {
    const guessed = {
      signals: { ...facts().signals, intent: 'asks_for_human' as const },
    };
    expect(planTurn(facts({ ...guessed, ...procedure({ start: 'start_a_return' }) })).kind).toBe(
      'procedure',
    );
    expect(
      planTurn(
        facts({ ...guessed, ...procedure({ active: 'start_a_return', personAsked: true }) }),
      ),
    ).toMatchObject({ kind: 'hand_off', reason: 'customer_request' });
    // Without a procedure the guess still hands off, as before.
    expect(planTurn(facts({ ...guessed, procedure: undefined }))).toMatchObject({
      kind: 'hand_off',
    });
  });

  it('does not take an answer to the step as the conversation going badly, but frustration still hands off', () => {
    const declining = {
      signals: { ...facts().signals, sentimentHistory: [0.3, -0.2, -0.7] },
    };
    expect(
      planTurn(
        facts({ ...declining, ...procedure({ active: 'start_a_return', answersStep: true }) }),
      ).kind,
    ).toBe('procedure');
    expect(
      planTurn(facts({ ...declining, ...procedure({ active: 'start_a_return' }) })),
    ).toMatchObject({ kind: 'hand_off', reason: 'declining_sentiment' });
    const furious = { signals: { ...facts().signals, frustration: 0.95 } };
    expect(
      planTurn(
        facts({ ...furious, ...procedure({ active: 'start_a_return', answersStep: true }) }),
      ),
    ).toMatchObject({ kind: 'hand_off', reason: 'high_frustration' });
  });
});

describe('recognising a procedure’s request without a model', () => {
  const read = (file: string) =>
    JSON.parse(readFileSync(path.join(process.cwd(), 'content/demo', file), 'utf8'));
  const returns = {
    id: 'p1',
    version: 1,
    definition: parseProcedure(read('procedures.json').procedures[0]),
  };
  const actions = read('actions.json').actions;
  const match = (text: string) => matchProcedureOffline([returns], actions, text)?.id ?? null;

  it.each([
    'I want to return my order',
    'I would like to send back the jacket I bought',
    'Please start a return for order PC104962',
    'Can I return order #PC104962? It is the wrong size',
    '我想退货',
  ])('starts on a request: %s', (text) => {
    expect(match(text)).toBe('p1');
  });

  it.each([
    // Questions about how returns work are the help center's.
    'Do I have to pay to send a return back?',
    'What is your return policy?',
    'How long do I have to return something?',
    // Another action's request, even in the same words.
    'I want to cancel my order',
    "I'd like to file a support case about a missing item from order #PC104871.",
  ])('does not start on: %s', (text) => {
    expect(match(text)).toBeNull();
  });

  it('tells a request from a question', () => {
    expect(isRequest('I’d like to return this')).toBe(true);
    expect(isRequest('Can I return a bag of coffee I opened but didn’t like?')).toBe(false);
    expect(isRequest('Order PC104962, the mug', [/^#?PC\d{6}$/i])).toBe(true);
  });
});
