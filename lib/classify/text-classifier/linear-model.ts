import type { SparseVector } from './features';

/*
 * The linear model: multinomial logistic regression (softmax) trained by SGD.
 */

// SGD step size at the start; it decays as 1 / (1 + rate × l2 × step).
const INITIAL_RATE = 2;

export interface LinearModel {
  classes: number;
  /** Feature-major: weights[feature × classes + class]. */
  weights: Float32Array;
  bias: Float64Array;
}

/** Mulberry32: small and seeded, so training is reproducible. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffleInPlace(items: Int32Array, random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i]!;
    items[i] = items[j]!;
    items[j] = swap;
  }
}

export function computeScores(
  model: LinearModel,
  vector: SparseVector,
  scores: Float64Array,
): void {
  const { classes, weights, bias } = model;
  for (let c = 0; c < classes; c++) scores[c] = bias[c]!;
  for (let k = 0; k < vector.indices.length; k++) {
    const row = vector.indices[k]! * classes;
    const value = vector.values[k]!;
    for (let c = 0; c < classes; c++) scores[c]! += value * weights[row + c]!;
  }
}

export function softmaxInPlace(scores: Float64Array, temperature: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const score of scores) if (score > max) max = score;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const value = Math.exp((scores[c]! - max) / temperature);
    scores[c] = value;
    sum += value;
  }
  for (let c = 0; c < scores.length; c++) scores[c]! /= sum;
}

/**
 * Softmax regression by SGD with exact L2 decay: the weights are a scale × the stored values, so
 * decaying all of them costs one multiplication per step and only the example's features change.
 */
export function fitSoftmax(
  vectors: SparseVector[],
  targets: Int32Array,
  features: number,
  classes: number,
  settings: { epochs: number; l2: number; seed: number },
): LinearModel {
  const weights = new Float32Array(features * classes);
  const bias = new Float64Array(classes);
  const random = createRandom(settings.seed);
  const order = Int32Array.from(vectors.keys());
  const gradient = new Float64Array(classes);
  const { l2 } = settings;
  let scale = 1;
  let step = 0;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const index of order) {
      const vector = vectors[index]!;
      const rate = INITIAL_RATE / (1 + INITIAL_RATE * l2 * step++);
      for (let c = 0; c < classes; c++) gradient[c] = bias[c]!;
      for (let k = 0; k < vector.indices.length; k++) {
        const row = vector.indices[k]! * classes;
        const value = vector.values[k]! * scale;
        for (let c = 0; c < classes; c++) gradient[c]! += value * weights[row + c]!;
      }
      softmaxInPlace(gradient, 1);
      gradient[targets[index]!]! -= 1;
      scale *= 1 - rate * l2;
      const scaledRate = rate / scale;
      for (let k = 0; k < vector.indices.length; k++) {
        const row = vector.indices[k]! * classes;
        const factor = scaledRate * vector.values[k]!;
        for (let c = 0; c < classes; c++) {
          const g = gradient[c]!;
          // Classes the example gives ~0 probability barely move: skipping them halves the time.
          if (g > 1e-7 || g < -1e-7) weights[row + c]! -= factor * g;
        }
      }
      for (let c = 0; c < classes; c++) bias[c]! -= rate * gradient[c]!;
      if (scale < 1e-6) {
        for (let i = 0; i < weights.length; i++) weights[i]! *= scale;
        scale = 1;
      }
    }
  }
  for (let i = 0; i < weights.length; i++) weights[i]! *= scale;
  return { classes, weights, bias };
}
