import type { DeskTestAttempt } from '@/db/schema';
import type { DeskTestCase } from './case';
import { checkExpectation, lastReply, type TurnRecord } from './check';
import { type CaseScore, summarize } from './score';

/**
 * The desk a suite runs on, as the runner needs it. The composition root gives it (a sandbox
 * copy of the desk and its real turn), so this module knows nothing of how a turn is carried out.
 */
export interface TestDesk {
  /** A customer for one attempt: a new anonymous one (`new`), or a fresh copy of that site user. */
  createCustomer(who: string): Promise<{ id: string }>;
  /** One customer message on the conversation (a new one when none is given), carried out to the end. */
  runTurn(input: {
    customerId: string;
    conversationId?: string;
    text: string;
  }): Promise<TurnRecord & { conversationId: string }>;
}

export interface CaseResult {
  case: DeskTestCase;
  /** How many of the attempts passed. */
  passes: number;
  attempts: DeskTestAttempt[];
}

export interface SuiteProgress {
  /** Cases finished (all their attempts), of `total`. */
  done: number;
  total: number;
}

export interface RunSuiteOptions {
  /** Attempts per case. */
  k: number;
  /** Cases run at once; attempts of one case run one after another. */
  concurrency?: number;
  onProgress?: (progress: SuiteProgress) => void;
  /** Each case's result, with its place in the suite, as soon as it is known (e.g. to store it). */
  onResult?: (result: CaseResult, position: number) => Promise<void>;
}

/**
 * Runs each case k times on the desk and scores the suite. Cases run independently (each attempt
 * is a new customer's conversation), so a failing or crashing case never stops the others.
 */
export async function runSuite(
  desk: TestDesk,
  cases: readonly DeskTestCase[],
  options: RunSuiteOptions,
) {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  let done = 0;
  options.onProgress?.({ done, total: cases.length });
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const result = await runCase(desk, cases[index]!, options.k);
      results[index] = result;
      await options.onResult?.(result, index);
      options.onProgress?.({ done: ++done, total: cases.length });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 1, cases.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { results, summary: summarize(results.map(scoreOf)) };
}

export async function runCase(
  desk: TestDesk,
  testCase: DeskTestCase,
  k: number,
): Promise<CaseResult> {
  const attempts: DeskTestAttempt[] = [];
  for (let i = 0; i < k; i++) attempts.push(await attemptCase(desk, testCase));
  return { case: testCase, passes: attempts.filter((a) => a.passed).length, attempts };
}

const scoreOf = (result: Pick<CaseResult, 'case' | 'passes' | 'attempts'>): CaseScore => ({
  kind: result.case.expect.kind,
  passes: result.passes,
  attempts: result.attempts.length,
});

/** One scripted conversation, sent turn by turn as a new customer, then checked. */
async function attemptCase(desk: TestDesk, testCase: DeskTestCase): Promise<DeskTestAttempt> {
  const started = performance.now();
  const records: TurnRecord[] = [];
  let error: string | null = null;
  let customer: { id: string } | null = null;
  try {
    customer = await desk.createCustomer(testCase.customer);
    let conversationId: string | undefined;
    for (const text of testCase.turns) {
      const record = await desk.runTurn({ customerId: customer.id, conversationId, text });
      conversationId = record.conversationId;
      records.push(record);
    }
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    error = customer
      ? `turn ${records.length + 1} of ${testCase.turns.length} failed: ${message}`
      : `could not start as customer "${testCase.customer}": ${message}`;
  }
  const failures = error
    ? [{ code: 'error', message: error }]
    : checkExpectation(testCase.expect, records);
  const last = lastReply(records);
  const handOffs = records.flatMap((r) => r.handOffs);
  return {
    passed: failures.length === 0,
    failures,
    reply: last.reply,
    citations: last.citations,
    tools: records.flatMap((r) => r.tools),
    plan: records.at(-1)?.plan ?? 'none',
    escalation: handOffs[0] ?? null,
    turns: records.map((r, i) => ({
      customer: testCase.turns[i]!,
      reply: r.reply,
      plan: r.plan,
      handOffs: r.handOffs,
    })),
    ms: Math.round(performance.now() - started),
  };
}
