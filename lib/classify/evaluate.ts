import { hashString } from './text-classifier/features';

/** Metrics for a classifier's predictions, shared by `npm run eval` and the admin UI. */

export interface ScoredPrediction {
  /** The true label. */
  expected: string;
  /** The predicted label; null when the classifier declined. */
  predicted: string | null;
}

export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Share of out-of-scope messages that were declined; null when there were none. */
  oosRecall: number | null;
}

/**
 * Scores predictions. A message is out of scope when its label is not one the classifier knows
 * (it never appeared in training); declining it is correct, and declining an in-scope message is
 * wrong. Macro-F1 averages F1 over the known labels that occur in the expected or predicted
 * labels, with every out-of-scope message counted as a single "declined" class.
 */
export function scorePredictions(
  predictions: ScoredPrediction[],
  knownLabels: Iterable<string>,
): ClassificationMetrics {
  const known = new Set(knownLabels);
  const counts = new Map<string, { truePositives: number; expected: number; predicted: number }>();
  const countsOf = (label: string) => {
    let entry = counts.get(label);
    if (!entry) {
      entry = { truePositives: 0, expected: 0, predicted: 0 };
      counts.set(label, entry);
    }
    return entry;
  };
  let correct = 0;
  let outOfScope = 0;
  let declinedOutOfScope = 0;
  for (const { expected, predicted } of predictions) {
    const inScope = known.has(expected);
    if (!inScope) {
      outOfScope++;
      if (predicted === null) declinedOutOfScope++;
    }
    const truth = inScope ? expected : null;
    if (truth === predicted) correct++;
    const truthClass = truth ?? DECLINED;
    const predictedClass = predicted ?? DECLINED;
    countsOf(truthClass).expected++;
    countsOf(predictedClass).predicted++;
    if (truthClass === predictedClass) countsOf(truthClass).truePositives++;
  }
  let f1Sum = 0;
  for (const { truePositives, expected, predicted } of counts.values()) {
    f1Sum += expected + predicted === 0 ? 0 : (2 * truePositives) / (expected + predicted);
  }
  const n = predictions.length;
  return {
    n,
    accuracy: n === 0 ? 0 : correct / n,
    macroF1: counts.size === 0 ? 0 : f1Sum / counts.size,
    oosRecall: outOfScope === 0 ? null : declinedOutOfScope / outOfScope,
  };
}

// Not a valid label from any data set: the class of declined messages in macro-F1.
const DECLINED = '\u0000declined';

/**
 * Splits rows into a fixed train and test part: rows are ordered by a seeded FNV-1a hash of their
 * text (ties by position) and the first ⌊share × n⌋ rows train. The same file always splits the
 * same way, and identical texts sit next to each other, so they land on one side (bar at most one
 * group at the cut).
 */
export function splitTrainTest<T extends { text: string }>(
  rows: readonly T[],
  share = 0.8,
  seed = SPLIT_SEED,
): { train: T[]; test: T[] } {
  const hashSeed = FNV_OFFSET_BASIS ^ seed;
  const order = rows
    .map((row, index) => ({ row, index, hash: hashString(row.text, hashSeed) }))
    .sort((a, b) => a.hash - b.hash || a.index - b.index);
  const cut = Math.floor(share * rows.length);
  return {
    train: order.slice(0, cut).map((entry) => entry.row),
    test: order.slice(cut).map((entry) => entry.row),
  };
}

const SPLIT_SEED = 20_240_601;
const FNV_OFFSET_BASIS = 0x811c9dc5;
