import { describe, expect, it } from 'vitest';
import {
  assignValidationRounds,
  chooseConfidenceThreshold,
  chooseDeclineThreshold,
  chooseScoreThreshold,
} from '@/lib/classify/text-classifier/calibration';

describe('chooseDeclineThreshold', () => {
  const right = (score: number) => ({ score, right: true });
  const wrong = (score: number) => ({ score, right: false });

  it.each([
    {
      name: 'separable: between the stand-ins and the in-scope examples',
      inScope: [right(0.9), right(0.8), right(0.95)],
      standIns: [0.3, 0.4, 0.2],
      share: 0.1,
      expected: (0.4 + 0.8) / 2,
    },
    {
      name: 'nothing expected out of scope: never declines',
      inScope: [right(0.9), right(0.5)],
      standIns: [0.3, 0.6],
      share: 0,
      expected: 0,
    },
    {
      // Declining the 0.5 example costs 0.9/2; catching the stand-in at 0.6 gains only 0.1/2.
      name: 'a stand-in above a right example: not worth declining that example',
      inScope: [right(0.9), right(0.5)],
      standIns: [0.3, 0.6],
      share: 0.1,
      expected: (0.3 + 0.5) / 2,
    },
    {
      // At share 0.5 the stand-in at 0.6 is worth as much as the right example at 0.5: ties keep
      // the lower threshold.
      name: 'equally good thresholds: the lowest',
      inScope: [right(0.9), right(0.5)],
      standIns: [0.3, 0.6],
      share: 0.5,
      expected: (0.3 + 0.5) / 2,
    },
    {
      name: 'wrong in-scope predictions cost nothing to decline',
      inScope: [right(0.9), wrong(0.5), wrong(0.55)],
      standIns: [0.6],
      share: 0.1,
      expected: (0.6 + 0.9) / 2,
    },
    {
      name: 'nothing to learn from',
      inScope: [],
      standIns: [0.2],
      share: 0.1,
      expected: 0,
    },
  ])('$name', ({ inScope, standIns, share, expected }) => {
    expect(chooseDeclineThreshold(inScope, standIns, share)).toBeCloseTo(expected, 12);
  });
});

describe('chooseConfidenceThreshold', () => {
  const rows = (...logits: number[][]) => logits.map((row) => Float64Array.from(row));

  it('declines below the confidence that separates unseen labels from known ones', () => {
    // Known labels' examples are predicted surely and rightly; examples of a label the probe never
    // saw (its logit is -Infinity) spread over the others.
    const inScope = {
      logits: rows([9, 0, -Infinity], [0, 9, -Infinity]),
      targets: Int32Array.from([0, 1]),
    };
    const unseen = {
      logits: rows([1, 0.5, -Infinity], [0.2, 0, -Infinity]),
      targets: Int32Array.from([2, 2]),
    };
    const threshold = chooseConfidenceThreshold(inScope, unseen, 1, 0.1);
    const confidence = (a: number, b: number) => Math.exp(a) / (Math.exp(a) + Math.exp(b));
    expect(threshold).toBeCloseTo((confidence(1, 0.5) + confidence(9, 0)) / 2, 12);
  });

  it('keeps an unseen label as sure as the known ones', () => {
    const inScope = { logits: rows([9, 0, -Infinity]), targets: Int32Array.from([0]) };
    const unseen = { logits: rows([0, 12, -Infinity]), targets: Int32Array.from([2]) };
    expect(chooseConfidenceThreshold(inScope, unseen, 1, 0.1)).toBe(0);
  });
});

describe('chooseScoreThreshold', () => {
  const rows = (...logits: number[][]) => logits.map((row) => Float64Array.from(row));

  it('declines below the top logit that separates unseen labels from known ones', () => {
    // The second known example sits between two close labels: its confidence is low, but its top
    // logit is as high as a sure one's, so a score threshold keeps it where a confidence one
    // would not.
    const inScope = {
      logits: rows([9, 0, -Infinity], [8, 7.9, -Infinity]),
      targets: Int32Array.from([0, 0]),
    };
    const unseen = {
      logits: rows([1, 0.5, -Infinity], [0.2, 0, -Infinity]),
      targets: Int32Array.from([2, 2]),
    };
    expect(chooseScoreThreshold(inScope, unseen, 0.1)).toBeCloseTo((1 + 8) / 2, 12);
    expect(chooseConfidenceThreshold(inScope, unseen, 1, 0.1)).toBe(0);
  });

  it('never declines when the unseen labels score as high as the known ones', () => {
    const inScope = { logits: rows([3, 0, -Infinity]), targets: Int32Array.from([0]) };
    const unseen = { logits: rows([0, 12, -Infinity]), targets: Int32Array.from([2]) };
    expect(chooseScoreThreshold(inScope, unseen, 0.1)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('assignValidationRounds', () => {
  const texts = Array.from({ length: 23 }, (_, i) => `example ${i}`);
  // Class 0: 20 examples, class 1: 2, class 2: 1.
  const targets = Int32Array.from(texts, (_, i) => (i < 20 ? 0 : i < 22 ? 1 : 2));

  it('holds out each example once over several rounds, keeping one of each class to train', () => {
    const rounds = assignValidationRounds(texts, targets, 3, { rounds: 5, share: 0.1 });
    const inRound = (r: number, c: number) =>
      [...rounds].filter((round, i) => round === r && targets[i] === c).length;
    for (let r = 0; r < 5; r++) expect(inRound(r, 0)).toBe(4);
    expect([...rounds].slice(20, 22).sort()).toEqual([0, 1]);
    expect(rounds[22]).toBe(-1);
  });

  it('holds out a share of each class in one round', () => {
    const rounds = assignValidationRounds(texts, targets, 3, { rounds: 1, share: 0.5 });
    expect([...rounds].slice(0, 20).filter((r) => r === 0)).toHaveLength(10);
    expect([...rounds].slice(20).filter((r) => r === 0)).toHaveLength(1);
    expect(assignValidationRounds(texts, targets, 3, { rounds: 1, share: 0.5 })).toEqual(rounds);
  });
});
