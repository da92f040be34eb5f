import { describe, expect, it } from 'vitest';
import { type DeskTestCase, deskTestCaseSchema } from '@/lib/desk-tests/case';
import type { TurnRecord } from '@/lib/desk-tests/check';
import { runSuite, type SuiteProgress, type TestDesk } from '@/lib/desk-tests/run-suite';

const testCase = (id: string, turns: string[], expect: object, customer = 'new'): DeskTestCase =>
  deskTestCaseSchema.parse({ id, customer, turns, expect });

const answered = (reply: string): TurnRecord => ({
  plan: 'answer',
  reply,
  citations: [{ slug: 'shipping', title: 'Shipping', section: undefined }],
  tools: [],
  handOffs: [],
  abstained: false,
});

/**
 * A desk whose turns are scripted by message text, recording who asked what on which
 * conversation; `reply` may answer differently on each call.
 */
function scriptedDesk(reply: (text: string, call: number) => TurnRecord) {
  const log: { customer: string; conversation: string; text: string }[] = [];
  let customers = 0;
  let calls = 0;
  const desk: TestDesk = {
    async createCustomer(who) {
      if (who === 'ghost') throw new Error('This desk has no site user "ghost".');
      return { id: `${who}-${++customers}` };
    },
    async runTurn({ customerId, conversationId, text }) {
      const conversation = conversationId ?? `conversation-of-${customerId}`;
      log.push({ customer: customerId, conversation, text });
      if (text === 'crash') throw new Error('model server unreachable');
      return { ...reply(text, calls++), conversationId: conversation };
    },
  };
  return { desk, log };
}

describe('running a suite', () => {
  it('sends each case turn by turn on one conversation of a new customer per attempt', async () => {
    const { desk, log } = scriptedDesk((text) => answered(`About ${text}`));
    const { results } = await runSuite(
      desk,
      [testCase('two-turns', ['first', 'second'], { kind: 'answer', facts: ['about second'] })],
      { k: 2 },
    );
    expect(log).toEqual([
      { customer: 'new-1', conversation: 'conversation-of-new-1', text: 'first' },
      { customer: 'new-1', conversation: 'conversation-of-new-1', text: 'second' },
      { customer: 'new-2', conversation: 'conversation-of-new-2', text: 'first' },
      { customer: 'new-2', conversation: 'conversation-of-new-2', text: 'second' },
    ]);
    expect(results[0]!.passes).toBe(2);
    expect(results[0]!.attempts[0]).toMatchObject({
      passed: true,
      reply: 'About second',
      plan: 'answer',
      escalation: null,
      turns: [
        { customer: 'first', reply: 'About first', plan: 'answer', handOffs: [] },
        { customer: 'second', reply: 'About second', plan: 'answer', handOffs: [] },
      ],
    });
  });

  it('scores attempts that disagree as a flaky case, and pass^k below pass@1', async () => {
    const { desk } = scriptedDesk((_text, call) =>
      call % 3 === 1 ? answered('I am not sure') : answered('Delivery takes 2–4 business days'),
    );
    const { results, summary } = await runSuite(
      desk,
      [testCase('delivery', ['How long?'], { kind: 'answer', facts: ['business days'] })],
      { k: 3 },
    );
    expect(results[0]!.attempts.map((a) => a.passed)).toEqual([true, false, true]);
    expect(results[0]!.attempts[1]!.failures).toEqual([
      { code: 'missing_fact', message: 'the reply lacks /business days/' },
    ]);
    expect(summary).toMatchObject({ n: 1, passed: 0, passK: 0, pass1: 0.6667, flaky: 1 });
  });

  it('records a turn that throws, or a customer that cannot be made, as a failed attempt and goes on', async () => {
    const { desk } = scriptedDesk((text) => answered(text));
    const { results, summary } = await runSuite(
      desk,
      [
        testCase('crashes', ['hello', 'crash'], { kind: 'answer' }),
        testCase('unknown-user', ['hello'], { kind: 'answer' }, 'ghost'),
        testCase('fine', ['fine'], { kind: 'answer' }),
      ],
      { k: 1 },
    );
    expect(results.map((r) => r.attempts[0]!.failures)).toEqual([
      [{ code: 'error', message: 'turn 2 of 2 failed: model server unreachable' }],
      [
        {
          code: 'error',
          message: 'could not start as customer "ghost": This desk has no site user "ghost".',
        },
      ],
      [],
    ]);
    expect(summary.passed).toBe(1);
  });

  it('reports progress case by case and keeps the suite order when cases run side by side', async () => {
    const { desk } = scriptedDesk((text) => answered(text));
    const progress: SuiteProgress[] = [];
    const stored: string[] = [];
    const cases = ['a', 'b', 'c', 'd', 'e'].map((id) => testCase(id, [id], { kind: 'answer' }));
    const { results } = await runSuite(desk, cases, {
      k: 1,
      concurrency: 3,
      onProgress: (p) => progress.push(p),
      onResult: async (r) => {
        stored.push(r.case.id);
      },
    });
    expect(results.map((r) => r.case.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(stored.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(progress).toEqual([0, 1, 2, 3, 4, 5].map((done) => ({ done, total: 5 })));
  });
});
