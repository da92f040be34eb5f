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
  /** Accuracy on the messages a label fits (declining one is wrong); null when there were none. */
  inScopeAccuracy: number | null;
  /** Share of the messages a label fits that were declined; null when there were none. */
  declinedInScope: number | null;
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
  let correctInScope = 0;
  let declinedInScope = 0;
  for (const { expected, predicted } of predictions) {
    const inScope = known.has(expected);
    if (!inScope) {
      outOfScope++;
      if (predicted === null) declinedOutOfScope++;
    } else if (predicted === expected) {
      correctInScope++;
    } else if (predicted === null) {
      declinedInScope++;
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
  const inScope = n - outOfScope;
  return {
    n,
    accuracy: n === 0 ? 0 : correct / n,
    macroF1: counts.size === 0 ? 0 : f1Sum / counts.size,
    oosRecall: outOfScope === 0 ? null : declinedOutOfScope / outOfScope,
    inScopeAccuracy: inScope === 0 ? null : correctInScope / inScope,
    declinedInScope: inScope === 0 ? null : declinedInScope / inScope,
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
  const order = hashOrder(rows, seed).map((index) => rows[index]!);
  const cut = Math.floor(share * rows.length);
  return { train: order.slice(0, cut), test: order.slice(cut) };
}

/**
 * Each row's fold (by position) for a cross-validation: in the order of {@link splitTrainTest},
 * fold k holds the k-th of `folds` equal runs, so identical texts share a fold (bar at most one
 * group at each cut), and with 5 folds the last is exactly the fixed 20 % test part.
 */
export function assignFolds(
  rows: readonly { text: string }[],
  folds: number,
  seed = SPLIT_SEED,
): number[] {
  const foldOf = new Array<number>(rows.length);
  // Fold k starts at ⌊k × n / folds⌋, as the fixed split's test part starts at ⌊0.8 × n⌋.
  const startOf = (fold: number) => Math.floor((fold * rows.length) / folds);
  let fold = 0;
  hashOrder(rows, seed).forEach((index, position) => {
    while (fold + 1 < folds && position >= startOf(fold + 1)) fold++;
    foldOf[index] = fold;
  });
  return foldOf;
}

/** Row indexes ordered by a seeded hash of their text, ties by position. */
function hashOrder(rows: readonly { text: string }[], seed: number): number[] {
  const hashSeed = FNV_OFFSET_BASIS ^ seed;
  const hashes = rows.map((row) => hashString(row.text, hashSeed));
  return rows.map((_, index) => index).sort((a, b) => hashes[a]! - hashes[b]! || a - b);
}

const SPLIT_SEED = 20_240_601;
const FNV_OFFSET_BASIS = 0x811c9dc5;
