import { hashString } from './features';
import { softmaxInPlace } from './linear-model';

/*
 * Calibration on the validation split: the temperature of the probabilities and the threshold
 * below which a message is declined.
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
 * The threshold with the best validation accuracy, where declining is right for out-of-scope
 * examples only; halfway between the last declined and the first kept confidence, for margin.
 */
export function chooseThreshold(
  { logits, targets }: ValidationScores,
  labelCount: number,
  temperature: number,
): number {
  const probabilities = new Float64Array(logits[0]!.length);
  const items = logits.map((row, i) => {
    probabilities.set(row);
    softmaxInPlace(probabilities, temperature);
    let top = 0;
    for (let c = 1; c < labelCount; c++) if (probabilities[c]! > probabilities[top]!) top = c;
    const confidence = probabilities[top]!;
    const declinedAnyway = labelCount < row.length && probabilities[labelCount]! > confidence;
    const outOfScope = targets[i]! === labelCount;
    return {
      confidence,
      keptRight: !declinedAnyway && top === targets[i],
      // Out-of-scope examples the decline class already catches are right at any threshold.
      declinedRight: outOfScope && declinedAnyway,
      gainedByDeclining: outOfScope && !declinedAnyway,
    };
  });
  items.sort((a, b) => a.confidence - b.confidence);
  let score = items.filter((item) => item.keptRight || item.declinedRight).length;
  let best = score;
  let threshold = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.keptRight) score--;
    if (item.gainedByDeclining) score++;
    if (score > best) {
      best = score;
      const next = items[i + 1]?.confidence ?? 1;
      threshold = (item.confidence + next) / 2;
    }
  }
  return threshold;
}

const VALIDATION_SEED = 0x5bd1e995;

/**
 * A stratified hold-out: within each class, the examples whose text hashes last. Classes too
 * small to spare one keep all their examples for training.
 */
export function splitValidation(
  texts: string[],
  targets: Int32Array,
  share: number,
  classes: number,
): boolean[] {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < targets.length; i++) byClass[targets[i]!]!.push(i);
  const held = texts.map(() => false);
  for (const members of byClass) {
    const count = Math.floor(members.length * share);
    if (count === 0 || members.length - count < 2) continue;
    const hashes = new Map(members.map((i) => [i, hashString(texts[i]!, VALIDATION_SEED)]));
    members.sort((a, b) => hashes.get(a)! - hashes.get(b)! || a - b);
    for (const i of members.slice(members.length - count)) held[i] = true;
  }
  return held;
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
