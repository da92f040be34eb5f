import { describe, expect, it } from 'vitest';
import { assignFolds, scorePredictions, splitTrainTest } from '@/lib/classify/evaluate';

describe('scorePredictions', () => {
  it('computes accuracy and macro-F1 by hand', () => {
    const metrics = scorePredictions(
      [
        { expected: 'a', predicted: 'a' },
        { expected: 'a', predicted: 'b' },
        { expected: 'b', predicted: 'b' },
        { expected: 'b', predicted: 'b' },
      ],
      ['a', 'b'],
    );
    // a: P 1/1, R 1/2 → F1 2/3; b: P 2/3, R 2/2 → F1 4/5.
    expect(metrics.n).toBe(4);
    expect(metrics.accuracy).toBe(0.75);
    expect(metrics.macroF1).toBeCloseTo((2 / 3 + 4 / 5) / 2, 10);
    expect(metrics.oosRecall).toBeNull();
  });

  it('counts declining right for unseen labels and wrong for known ones', () => {
    const metrics = scorePredictions(
      [
        { expected: 'a', predicted: 'a' },
        { expected: 'a', predicted: null },
        { expected: 'oos', predicted: null },
        { expected: 'oos', predicted: 'a' },
        { expected: 'weather', predicted: null },
      ],
      ['a'],
    );
    expect(metrics.accuracy).toBe(3 / 5);
    expect(metrics.oosRecall).toBe(2 / 3);
    expect(metrics.inScopeAccuracy).toBe(1 / 2);
    expect(metrics.declinedInScope).toBe(1 / 2);
    // a: tp 1, expected 2, predicted 2 → F1 1/2; declined: tp 2, expected 3, predicted 3 → 2/3.
    expect(metrics.macroF1).toBeCloseTo((1 / 2 + 2 / 3) / 2, 10);
  });

  it('handles no predictions', () => {
    expect(scorePredictions([], ['a'])).toEqual({
      n: 0,
      accuracy: 0,
      macroF1: 0,
      oosRecall: null,
      inScopeAccuracy: null,
      declinedInScope: null,
    });
  });
});

describe('splitTrainTest', () => {
  const rows = Array.from({ length: 1003 }, (_, i) => ({ text: `message ${i}`, label: 'x' }));

  it('splits exactly ⌊share × n⌋ rows into train, without overlap or loss', () => {
    const { train, test } = splitTrainTest(rows);
    expect(train).toHaveLength(802);
    expect(test).toHaveLength(201);
    expect(new Set([...train, ...test])).toEqual(new Set(rows));
  });

  it('splits the same way every time and regardless of row order', () => {
    const first = splitTrainTest(rows);
    const again = splitTrainTest([...rows].reverse());
    expect(new Set(again.test)).toEqual(new Set(first.test));
  });

  it('keeps identical texts on one side', () => {
    const duplicated = [...rows, ...rows.slice(0, 100).map((row) => ({ ...row }))];
    const { test } = splitTrainTest(duplicated);
    const trainTexts = new Set(splitTrainTest(duplicated).train.map((row) => row.text));
    const split = test.filter((row) => trainTexts.has(row.text));
    expect(split.length).toBeLessThanOrEqual(1);
  });
});

describe('assignFolds', () => {
  const rows = Array.from({ length: 1003 }, (_, i) => ({ text: `message ${i}`, label: 'x' }));

  it('deals every row to one of k folds of nearly equal size', () => {
    const folds = assignFolds(rows, 5);
    const sizes = [0, 1, 2, 3, 4].map((k) => folds.filter((fold) => fold === k).length);
    expect(sizes.reduce((a, b) => a + b)).toBe(1003);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("makes the last of five folds exactly the fixed split's test part", () => {
    const folds = assignFolds(rows, 5);
    const { test } = splitTrainTest(rows);
    expect(new Set(rows.filter((_, i) => folds[i] === 4))).toEqual(new Set(test));
  });

  it('keeps identical texts in one fold', () => {
    const duplicated = [...rows, ...rows.slice(0, 100).map((row) => ({ ...row }))];
    const folds = assignFolds(duplicated, 5);
    const foldsOf = new Map<string, Set<number>>();
    duplicated.forEach((row, i) => {
      foldsOf.set(row.text, (foldsOf.get(row.text) ?? new Set()).add(folds[i]!));
    });
    const split = [...foldsOf.values()].filter((set) => set.size > 1);
    expect(split.length).toBeLessThanOrEqual(4);
  });
});
