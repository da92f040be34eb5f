import type { DeskTestSummary } from '@/db/schema';

/** A case passes when every attempt passed, fails when none did, and is flaky in between. */
export type CaseStatus = 'pass' | 'fail' | 'flaky';

export function caseStatus(passes: number, attempts: number): CaseStatus {
  if (attempts > 0 && passes === attempts) return 'pass';
  return passes === 0 ? 'fail' : 'flaky';
}

/** What a case scored: its kind, and how many of its attempts passed. */
export interface CaseScore {
  kind: string;
  passes: number;
  attempts: number;
}

/**
 * A suite's score. pass^k counts the cases all of whose k attempts passed (a case is `passed`
 * only then); pass@1 is the share of single attempts that passed, i.e. what one run of each case
 * is expected to score. With one attempt per case the two are the same.
 */
export function summarize(scores: readonly CaseScore[]): DeskTestSummary {
  const byKind: DeskTestSummary['byKind'] = {};
  let passed = 0;
  let flaky = 0;
  let attemptShare = 0;
  for (const score of scores) {
    const status = caseStatus(score.passes, score.attempts);
    byKind[score.kind] ??= { passed: 0, n: 0 };
    const kind = byKind[score.kind]!;
    kind.n++;
    if (status === 'pass') {
      passed++;
      kind.passed++;
    }
    if (status === 'flaky') flaky++;
    attemptShare += score.attempts > 0 ? score.passes / score.attempts : 0;
  }
  const n = scores.length;
  return {
    n,
    passed,
    passK: n ? round(passed / n) : 0,
    pass1: n ? round(attemptShare / n) : 0,
    flaky,
    byKind,
  };
}

const round = (value: number) => Number(value.toFixed(4));
