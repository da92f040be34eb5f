import { fitTemperature, logLoss, type ValidationScores } from './calibration';
import type { SparseVector } from './features';
import { computeScores, fitSoftmax, type LinearModel } from './linear-model';

/*
 * The optional sentence part: when a sentence encoder is configured (lib/text/sentence-encoder),
 * each message also has a vector whose cosine says how close two meanings are. It adds two scores
 * to the logits — a softmax regression on the vectors, and each likely label's nearest example —
 * and says when to decline: a message whose nearest example (of any likely label) is far is about
 * something the labels do not cover. Words say less about that: "what is the capital of France"
 * shares no topic with a bank's examples, yet the word model may still be sure of its best guess.
 */

/** Labels whose nearest example is looked up per message: the word model's best. */
const NEAREST_CANDIDATES = 5;
/** The weights the trainer tries for the regression's logits and the nearest-example cosine. */
const MODEL_WEIGHTS = [0, 0.5, 1, 2];
const NEAREST_WEIGHTS = [0, 5, 10, 20, 40];

export interface SentenceMemory {
  dimensions: number;
  /** Example e's unit vector, as int8 steps of 1/127, at e × dimensions. */
  steps: Int8Array;
  targets: Int32Array;
}

export interface SentenceParts {
  /** The encoder's id: vectors from another encoder mean nothing to this model. */
  encoder: string;
  model: LinearModel;
  modelWeight: number;
  nearestWeight: number;
  /** Temperature of the probabilities with the sentence scores added. */
  temperature: number;
  /** Declines a message whose nearest example's cosine is below this. */
  novelty: number;
  memory: SentenceMemory;
}

export function toDense(vector: Float32Array): SparseVector {
  return { indices: Int32Array.from(vector.keys()), values: vector };
}

export function buildSentenceMemory(
  vectors: readonly Float32Array[],
  targets: Int32Array,
): SentenceMemory {
  const dimensions = vectors[0]?.length ?? 0;
  const steps = new Int8Array(vectors.length * dimensions);
  vectors.forEach((vector, e) => {
    for (let d = 0; d < dimensions; d++) {
      steps[e * dimensions + d] = Math.max(-127, Math.min(127, Math.round(vector[d]! * 127)));
    }
  });
  return { dimensions, steps, targets };
}

export interface SentenceIndex {
  memory: SentenceMemory;
  byClass: Int32Array[];
}

export function createSentenceIndex(memory: SentenceMemory, classes: number): SentenceIndex {
  const members: number[][] = Array.from({ length: classes }, () => []);
  for (let e = 0; e < memory.targets.length; e++) members[memory.targets[e]!]!.push(e);
  return { memory, byClass: members.map((list) => Int32Array.from(list)) };
}

/** The classes with the highest logits, best first. */
export function nearestCandidates(logits: Float64Array): number[] {
  const order = Array.from(logits.keys());
  order.sort((a, b) => logits[b]! - logits[a]! || a - b);
  return order.slice(0, NEAREST_CANDIDATES);
}

/**
 * Each candidate class's highest cosine between the vector and its examples into `out` (other
 * classes get the lowest of them).
 */
export function nearestScores(
  index: SentenceIndex,
  vector: Float32Array,
  candidates: readonly number[],
  out: Float64Array,
): void {
  const { dimensions, steps } = index.memory;
  let lowest = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    let best = -1;
    for (const e of index.byClass[c]!) {
      let dot = 0;
      for (let d = 0, at = e * dimensions; d < dimensions; d++, at++)
        dot += vector[d]! * steps[at]!;
      if (dot > best) best = dot;
    }
    out[c] = best / 127;
    lowest = Math.min(lowest, out[c]!);
  }
  const isCandidate = new Set(candidates);
  for (let c = 0; c < out.length; c++) if (!isCandidate.has(c)) out[c] = lowest;
}

/**
 * Adds the sentence scores to the logits, looking up the nearest examples of the labels the word
 * model (`wordLogits`) likes best; returns the nearest example's cosine (the novelty).
 */
export function addSentenceScores(
  parts: SentenceParts,
  index: SentenceIndex,
  vector: Float32Array,
  wordLogits: Float64Array,
  logits: Float64Array,
): number {
  const classes = logits.length;
  const modelScores = new Float64Array(classes);
  computeScores(parts.model, toDense(vector), modelScores);
  const nearest = new Float64Array(classes);
  const candidates = nearestCandidates(wordLogits);
  nearestScores(index, vector, candidates, nearest);
  let novelty = -1;
  for (const c of candidates) novelty = Math.max(novelty, nearest[c]!);
  for (let c = 0; c < classes; c++) {
    logits[c]! += parts.modelWeight * modelScores[c]! + parts.nearestWeight * nearest[c]!;
  }
  return novelty;
}

export function fitSentenceModel(
  vectors: readonly Float32Array[],
  targets: Int32Array,
  classes: number,
  settings: { epochs: number; l2: number; seed: number },
): LinearModel {
  const dimensions = vectors[0]?.length ?? 0;
  return fitSoftmax(vectors.map(toDense), targets, dimensions, classes, settings);
}

/**
 * The weights of the regression's logits and of the nearest-example cosine whose calibrated
 * validation log-loss is lowest (ties: the smaller weights).
 */
export function chooseSentenceWeights(
  validation: ValidationScores,
  modelRows: readonly Float64Array[],
  nearestRows: readonly Float64Array[],
): { modelWeight: number; nearestWeight: number } {
  let best = { modelWeight: 0, nearestWeight: 0, loss: Number.POSITIVE_INFINITY };
  for (const modelWeight of MODEL_WEIGHTS) {
    for (const nearestWeight of NEAREST_WEIGHTS) {
      const combined: ValidationScores = {
        logits: validation.logits.map((row, i) =>
          row.map(
            (logit, c) =>
              logit + modelWeight * modelRows[i]![c]! + nearestWeight * nearestRows[i]![c]!,
          ),
        ),
        targets: validation.targets,
      };
      const loss = logLoss(combined, fitTemperature(combined));
      if (loss < best.loss - 1e-9) best = { modelWeight, nearestWeight, loss };
    }
  }
  return { modelWeight: best.modelWeight, nearestWeight: best.nearestWeight };
}
