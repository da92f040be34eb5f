import { hashString } from './features';
import { softmaxInPlace } from './linear-model';

/*
 * Calibration on held-out examples: the temperature of the probabilities and the confidence
 * below which a message is declined ("none of these").
 */

export interface ValidationScores {
  /** Raw scores (logits), one row of classes per example. */
  logits: Float64Array[];
  targets: Int32Array;
}

/** The temperature that minimises the validation log-loss (golden-section search on log T). */
export function fitTemperature(scores: ValidationScores): number {
  const lossAt = (logTemperature: number) => logLoss(scores, Math.exp(logTemperature));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let low = Math.log(0.05);
  let high = Math.log(20);
  for (let i = 0; i < 40; i++) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (lossAt(a) < lossAt(b)) high = b;
    else low = a;
  }
  return Math.exp((low + high) / 2);
}

/**
 * The confidence below which a message is declined, learnt from labelled examples alone: a desk's
 * labels never include "none of these", so nothing shows what an out-of-scope message looks like.
 * Examples of labels the probe never saw stand in for such messages (see
 * {@link chooseDeclineThreshold}).
 */
export function chooseConfidenceThreshold(
  inScope: ValidationScores,
  unseen: ValidationScores,
  temperature: number,
  outOfScopeShare: number,
): number {
  return chooseDeclineThreshold(
    topConfidences(inScope, temperature).map(({ top, score }, i) => ({
      score,
      right: top === inScope.targets[i],
    })),
    topConfidences(unseen, temperature).map(({ score }) => score),
    outOfScopeShare,
  );
}

/**
 * The top raw score (logit) below which a message is declined, learnt as
 * {@link chooseConfidenceThreshold} is. The top logit sets messages no label fits apart from
 * in-scope ones better than the top probability: between two close labels the probability is
 * split although the message matches both well, while a message about something else matches
 * every label weakly.
 */
export function chooseScoreThreshold(
  inScope: ValidationScores,
  unseen: ValidationScores,
  outOfScopeShare: number,
): number {
  return chooseDeclineThreshold(
    inScope.logits.map((row, i) => {
      const top = topClass(row);
      return { score: row[top]!, right: top === inScope.targets[i] };
    }),
    unseen.logits.map((row) => row[topClass(row)]!),
    outOfScopeShare,
    Number.NEGATIVE_INFINITY,
  );
}

function topClass(row: Float64Array): number {
  let top = 0;
  for (let c = 1; c < row.length; c++) if (row[c]! > row[top]!) top = c;
  return top;
}

/** Each row's most likely class and its probability. */
export function topConfidences(
  { logits }: ValidationScores,
  temperature: number,
): { top: number; score: number }[] {
  const probabilities = new Float64Array(logits[0]?.length ?? 0);
  return logits.map((row) => {
    probabilities.set(row);
    softmaxInPlace(probabilities, temperature);
    let top = 0;
    for (let c = 1; c < row.length; c++) if (probabilities[c]! > probabilities[top]!) top = c;
    return { top, score: probabilities[top]! };
  });
}

export interface ScoredExample {
  /** What the threshold applies to: below it, the message is declined. */
  score: number;
  /** Whether the classifier's label for it is right. */
  right: boolean;
}

/**
 * The score below which to decline, from held-out in-scope examples and stand-ins for messages
 * no label fits: the threshold that maximises accuracy on a stream where a share
 * `outOfScopeShare` of messages is like the stand-ins (declining one is right) and the rest like
 * the in-scope examples (keeping a right label is right); between equally good thresholds, the
 * lowest.
 */
export function chooseDeclineThreshold(
  inScope: readonly ScoredExample[],
  standIns: readonly number[],
  outOfScopeShare: number,
  /** The threshold that declines nothing, for scores that can be negative. */
  never = 0,
): number {
  if (inScope.length === 0 || standIns.length === 0) return never;
  // Points where the accuracy changes as the threshold rises past them.
  const events: { at: number; change: number }[] = [];
  const keptWeight = (1 - outOfScopeShare) / inScope.length;
  const declinedWeight = outOfScopeShare / standIns.length;
  let accuracy = 0;
  for (const { score, right } of inScope) {
    if (!right) continue;
    accuracy += keptWeight;
    events.push({ at: score, change: -keptWeight });
  }
  for (const score of standIns) events.push({ at: score, change: declinedWeight });
  events.sort((a, b) => a.at - b.at);
  let best = accuracy;
  let threshold = never;
  for (let i = 0; i < events.length; i++) {
    accuracy += events[i]!.change;
    const next = events[i + 1]?.at;
    // A threshold only separates distinct scores.
    if (next === events[i]!.at) continue;
    if (accuracy > best + 1e-12) {
      best = accuracy;
      threshold = next === undefined ? events[i]!.at + 1e-6 : (events[i]!.at + next) / 2;
    }
  }
  return threshold;
}

const VALIDATION_SEED = 0x5bd1e995;

/**
 * Which examples are held out in which calibration round (-1: never), stratified by class: within
 * each class the examples are ordered by a hash of their text and dealt to the rounds in turn,
 * so each round holds out about `share` of every class. With `rounds` > 1 every example is held
 * out once (cross-fitting), for data too small to spare one split. A class keeps at least one
 * example in training in every round; classes of one example are never held out.
 */
export function assignValidationRounds(
  texts: readonly string[],
  targets: Int32Array,
  classes: number,
  { rounds, share }: { rounds: number; share: number },
): Int32Array {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < targets.length; i++) byClass[targets[i]!]!.push(i);
  const roundOf = new Int32Array(texts.length).fill(-1);
  for (const members of byClass) {
    if (members.length < 2) continue;
    const hashes = new Map(members.map((i) => [i, hashString(texts[i]!, VALIDATION_SEED)]));
    members.sort((a, b) => hashes.get(b)! - hashes.get(a)! || a - b);
    if (rounds > 1) {
      members.forEach((i, k) => {
        roundOf[i] = k % rounds;
      });
    } else {
      const count = Math.min(Math.floor(members.length * share), members.length - 1);
      for (const i of members.slice(0, count)) roundOf[i] = 0;
    }
  }
  return roundOf;
}

export function logLoss({ logits, targets }: ValidationScores, temperature: number): number {
  const probabilities = new Float64Array(logits[0]!.length);
  let loss = 0;
  for (let i = 0; i < logits.length; i++) {
    probabilities.set(logits[i]!);
    softmaxInPlace(probabilities, temperature);
    loss -= Math.log(Math.max(probabilities[targets[i]!]!, 1e-12));
  }
  return loss;
}
