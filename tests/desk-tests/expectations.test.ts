import { describe, expect, it } from 'vitest';
import { abstentionReply } from '@/lib/ai/prompts';
import { deskTestCaseSchema, type Expectation } from '@/lib/desk-tests/case';
import { checkExpectation, matchesSubset, type TurnRecord } from '@/lib/desk-tests/check';
import { caseStatus, summarize } from '@/lib/desk-tests/score';

const expectation = (expect: object): Expectation =>
  deskTestCaseSchema.parse({ id: 'c', turns: ['?'], expect }).expect;

const shipping = { slug: 'shipping', title: 'Shipping', section: 'Singapore' };

const turn = (over: Partial<TurnRecord> = {}): TurnRecord => ({
  plan: 'answer',
  reply: 'Standard delivery takes 2–4 business days [1].',
  citations: [shipping],
  tools: [],
  handOffs: [],
  abstained: false,
  ...over,
});

/** A procedure step, and where its procedure stood after it. */
const step = (procedure: { name: string; status: string }) =>
  turn({ plan: 'procedure', citations: [], procedure });

const declined = turn({ reply: abstentionReply('en'), citations: [], abstained: true });
const handedOff = turn({
  plan: 'hand_off',
  reply: "You asked to speak with a person, so I'm bringing in a member of our team.",
  citations: [],
  handOffs: ['customer_request'],
});
const silent = turn({ plan: 'stay_silent', reply: null, citations: [] });

const codes = (expect: object, turns: TurnRecord[]) =>
  checkExpectation(expectation(expect), turns).map((f) => f.code);

describe('checking what happened against a case', () => {
  it.each([
    ['an answer citing the article', { kind: 'answer', article: 'shipping' }, [turn()], []],
    [
      'an answer citing another article',
      { kind: 'answer', article: 'refunds' },
      [turn()],
      ['missing_citation'],
    ],
    ['a decline where an answer was due', { kind: 'answer' }, [declined], ['abstained']],
    ['a hand-off where an answer was due', { kind: 'answer' }, [handedOff], ['escalated']],
    [
      'small talk where an answer was due',
      { kind: 'answer' },
      [turn({ plan: 'small_talk', citations: [] })],
      ['not_answered'],
    ],
    ['an honest decline', { kind: 'abstain' }, [declined], []],
    [
      'the abstention text without the flag',
      { kind: 'abstain' },
      [turn({ reply: `Hmm. ${abstentionReply('zh')}`, citations: [] })],
      [],
    ],
    ['an answer where a decline was due', { kind: 'abstain' }, [turn()], ['answered']],
    ['a hand-off where a decline was due', { kind: 'abstain' }, [handedOff], ['escalated']],
    ['a hand-off, any reason', { kind: 'escalate' }, [turn(), handedOff, silent], []],
    [
      'a hand-off for the reason',
      { kind: 'escalate', reason: 'customer_request' },
      [handedOff],
      [],
    ],
    [
      'a hand-off for another reason',
      { kind: 'escalate', reason: 'high_frustration' },
      [handedOff],
      ['wrong_reason'],
    ],
    ['no hand-off', { kind: 'escalate' }, [turn()], ['no_escalation']],
    ['small talk', { kind: 'smalltalk' }, [turn({ plan: 'small_talk', citations: [] })], []],
    ['an answer where small talk was due', { kind: 'smalltalk' }, [turn()], ['not_small_talk']],
    [
      'no procedure step',
      { kind: 'procedure', procedure: { name: 'start_a_return' } },
      [turn()],
      ['not_procedure'],
    ],
    [
      'the procedure, ending as expected',
      { kind: 'procedure', procedure: { name: 'start_a_return', status: 'handed_off' } },
      [
        step({ name: 'start_a_return', status: 'active' }),
        step({ name: 'start_a_return', status: 'handed_off' }),
      ],
      [],
    ],
    [
      'the procedure, left on a turn that answered something else',
      { kind: 'procedure', procedure: { name: 'start_a_return', status: 'left' } },
      [
        step({ name: 'start_a_return', status: 'active' }),
        turn({ procedure: { name: 'start_a_return', status: 'left' } }),
      ],
      [],
    ],
    [
      'another procedure',
      { kind: 'procedure', procedure: { name: 'start_a_return' } },
      [step({ name: 'cancel_a_plan', status: 'completed' })],
      ['wrong_procedure'],
    ],
    [
      'the procedure, still waiting where it should have ended',
      { kind: 'procedure', procedure: { name: 'start_a_return', status: 'completed' } },
      [step({ name: 'start_a_return', status: 'active' })],
      ['procedure_outcome'],
    ],
  ])('%s', (_name, expectation, turns, expected) => {
    expect(codes(expectation, turns as TurnRecord[])).toEqual(expected);
  });

  it('needs the procedure named on a procedure case, and only there', () => {
    expect(() => expectation({ kind: 'procedure' })).toThrow(/procedure/);
    expect(() => expectation({ kind: 'answer', procedure: { name: 'start_a_return' } })).toThrow(
      /procedure cases only/,
    );
    expect(() =>
      expectation({ kind: 'procedure', procedure: { name: 'x', status: 'finished' } }),
    ).toThrow();
  });

  it('checks facts and forbidden patterns on the last reply, ignoring case', () => {
    const earlier = turn({ reply: 'Refunds take 5 to 10 business days.' });
    const last = turn({ reply: 'Express delivery is NEXT business day.' });
    expect(codes({ kind: 'answer', facts: ['next business day'] }, [earlier, last])).toEqual([]);
    expect(codes({ kind: 'answer', facts: ['5 to 10'] }, [earlier, last])).toEqual([
      'missing_fact',
    ]);
    const forbidden = checkExpectation(expectation({ kind: 'answer', forbid: ['express'] }), [
      last,
    ]);
    expect(forbidden).toEqual([
      { code: 'forbidden', message: 'the reply says "Express" (/express/)' },
    ]);
  });

  it('reads the last thing the AI said when it then stayed silent', () => {
    expect(codes({ kind: 'escalate', facts: ['member of our team'] }, [handedOff, silent])).toEqual(
      [],
    );
  });

  it('finds a tool called during any turn, with at least the arguments given', () => {
    const called = turn({
      tools: [{ tool: 'get_ticket_status', input: { ticket: 'TKT-1002', extra: 1 }, output: {} }],
    });
    const tool = (args: object) => ({ kind: 'tool', tool: { name: 'get_ticket_status', args } });
    expect(codes(tool({ ticket: 'tkt-1002' }), [called, turn()])).toEqual([]);
    expect(codes(tool({ ticket: 'TKT-1003' }), [called])).toEqual(['tool_args']);
    expect(
      checkExpectation(expectation({ kind: 'tool', tool: { name: 'lookup_account' } }), [called]),
    ).toEqual([
      {
        code: 'tool_not_called',
        message: 'lookup_account was not called (called get_ticket_status)',
      },
    ]);
  });

  it('checks the language of the reply', () => {
    const chinese = turn({ reply: '退款会在 5 到 10 个工作日内退回到您的银行卡。' });
    expect(codes({ kind: 'answer', language: 'zh' }, [chinese])).toEqual([]);
    expect(codes({ kind: 'answer', language: 'en' }, [chinese])).toEqual(['wrong_language']);
  });

  it('reports every shortfall, not only the first', () => {
    expect(
      codes({ kind: 'answer', article: 'refunds', facts: ['refund'], language: 'zh' }, [declined]),
    ).toEqual(['abstained', 'missing_citation', 'missing_fact', 'wrong_language']);
  });
});

describe('matching tool arguments', () => {
  it.each([
    [{}, { a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, true],
    [{ a: { b: 'X' } }, { a: { b: ' x ', c: 3 } }, true],
    [{ a: [1] }, { a: [2, 1] }, true],
    [{ a: 1 }, { a: '1' }, false],
    [{ a: 1 }, {}, false],
    [{ a: { b: 1 } }, { a: [1] }, false],
    [{ a: null }, { a: null }, true],
  ])('%j within %j: %s', (expected, actual, result) => {
    expect(matchesSubset(expected, actual)).toBe(result);
  });
});

describe('scoring a suite', () => {
  it('calls a case flaky when its attempts disagree', () => {
    expect(caseStatus(3, 3)).toBe('pass');
    expect(caseStatus(0, 3)).toBe('fail');
    expect(caseStatus(2, 3)).toBe('flaky');
  });

  it('passes a case only when all k attempts pass, and counts single attempts for pass@1', () => {
    const summary = summarize([
      { kind: 'answer', passes: 3, attempts: 3 },
      { kind: 'answer', passes: 2, attempts: 3 },
      { kind: 'abstain', passes: 0, attempts: 3 },
      { kind: 'escalate', passes: 3, attempts: 3 },
    ]);
    expect(summary).toEqual({
      n: 4,
      passed: 2,
      passK: 0.5,
      pass1: Number(((1 + 2 / 3 + 0 + 1) / 4).toFixed(4)),
      flaky: 1,
      byKind: {
        answer: { passed: 1, n: 2 },
        abstain: { passed: 0, n: 1 },
        escalate: { passed: 1, n: 1 },
      },
    });
  });

  it('gives pass^1 and pass@1 alike with one attempt per case', () => {
    const summary = summarize([
      { kind: 'answer', passes: 1, attempts: 1 },
      { kind: 'answer', passes: 0, attempts: 1 },
    ]);
    expect([summary.passK, summary.pass1, summary.flaky]).toEqual([0.5, 0.5, 0]);
  });
});
