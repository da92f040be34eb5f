import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Tandem's offline text classifier: hashed word and character n-gram TF-IDF features and a
 * multinomial logistic regression trained by SGD, with its probabilities calibrated (temperature
 * scaling) and its decline threshold chosen on an internal validation split. Pure TypeScript,
 * deterministic, and small enough to store as JSON.
 */

export interface LabelledText {
  text: string;
  label: string;
}

export interface TrainTextClassifierOptions {
  /**
   * Examples with this label show what to decline (out of scope, e.g. CLINC150's `oos`). The label
   * is never predicted: a message that looks most like these examples gets `label: null`.
   */
  declineLabel?: string;
  /**
   * Declines a message when its top probability is below this. By default the trainer picks the
   * threshold that scores best on its validation split, counting a declined out-of-scope example
   * as right and a declined in-scope one as wrong; with no out-of-scope examples that is 0.
   */
  threshold?: number;
  /** Passes over the training data. */
  epochs?: number;
  /** L2 penalty, per example seen. */
  l2?: number;
  /** Share of each label's examples held out to calibrate confidence and the threshold. */
  validationShare?: number;
  seed?: number;
}

export interface RankedLabel {
  label: string;
  score: number;
}

export interface TextPrediction {
  /** null when declined: the confidence is below the threshold or the message is out of scope. */
  label: string | null;
  /** Calibrated probability of the most likely label. */
  confidence: number;
  /** Every label with its probability, most likely first. */
  ranked: RankedLabel[];
}

export interface TextClassifier {
  /** The labels it can predict, sorted. */
  readonly labels: readonly string[];
  readonly threshold: number;
  predict(text: string): TextPrediction;
  toJSON(): SerializedTextClassifier;
}

export interface SerializedTextClassifier {
  format: typeof FORMAT;
  labels: string[];
  /** Whether the model has an extra, last class for out-of-scope messages. */
  declineClass: boolean;
  threshold: number;
  temperature: number;
  /** Feature keys ascending, as deltas in LEB128 varints; deflated, base64. */
  keys: string;
  /** Per feature its IDF, float32 little-endian; deflated, base64. */
  idf: string;
  /** Per class its bias. */
  bias: number[];
  /** Per class the weight of one quantisation step. */
  scales: number[];
  /** Weights as int8, feature-major (the classes of feature 0, then of feature 1 …); deflated, base64. */
  weights: string;
}

const FORMAT = 'tandem-text-classifier/1';

const DEFAULTS = { epochs: 12, l2: 3e-6, validationShare: 0.1, seed: 1 };
// SGD step size at the start; it decays as 1 / (1 + rate × l2 × step).
const INITIAL_RATE = 2;
// Fewer validation examples than this calibrate noise (a few lucky hits make every answer look
// certain): below it the temperature stays 1 and the threshold its given value or 0.
const MIN_VALIDATION = 100;
// Rare n-grams are mostly typos and IDs: with enough data they cost memory and add noise.
const MIN_DF_FROM_EXAMPLES = 2000;

// ---------------------------------------------------------------------------------------------
// Features

// Two groups, each L2-normalised on its own so that both weigh the same in short and long
// messages: words (unigrams and adjacent pairs, with start and end markers) and character
// 2–5-grams inside word boundaries, which carry typos, inflections and compounds.
const WORD_GROUP = 0;
const CHAR_GROUP = 1;
const KEY_BITS = 29;
const KEY_MASK = (1 << KEY_BITS) - 1;
const MIN_CHAR_GRAM = 2;
const MAX_CHAR_GRAM = 5;
const WORD_SEED = 0x811c9dc5;
const PAIR_SEED = 0x2545f491;
const CHAR_SEED = 0x01000193;
const BOUNDARY = '\u0001';
const FNV_PRIME = 16777619;

const WORD = /[\p{L}\p{N}]+/gu;
const HAN = /\p{Script=Han}/u;
const HAN_OR_OTHER = /\p{Script=Han}|[^\p{Script=Han}]+/gu;
const DIGIT = /\p{N}/gu;

/**
 * Lower-cased word tokens, apostrophes dropped and digits folded to 0 (order numbers and amounts
 * vary, their shape doesn't). Chinese has no spaces: each Han character is a token, so word pairs
 * become character bigrams.
 */
export function tokenizeForClassifier(text: string): string[] {
  const normalized = text.normalize('NFKC').toLowerCase().replace(/['’]/g, '').replace(DIGIT, '0');
  const tokens: string[] = [];
  for (const match of normalized.matchAll(WORD)) {
    const word = match[0];
    if (HAN.test(word)) tokens.push(...word.match(HAN_OR_OTHER)!);
    else tokens.push(word);
  }
  return tokens;
}

function mixHash(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function hashString(text: string, seed: number): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return mixHash(hash);
}

function toKey(hash: number, group: number): number {
  return ((hash & KEY_MASK) | (group << KEY_BITS)) >>> 0;
}

/** The hashed features of a message, one key per occurrence. */
function extractKeys(text: string): number[] {
  const tokens = tokenizeForClassifier(text);
  const keys: number[] = [];
  const wordHashes = [hashString(BOUNDARY, WORD_SEED)];
  for (const token of tokens) {
    const hash = hashString(token, WORD_SEED);
    wordHashes.push(hash);
    keys.push(toKey(hash, WORD_GROUP));
  }
  wordHashes.push(hashString(BOUNDARY, PAIR_SEED));
  for (let i = 0; i + 1 < wordHashes.length; i++) {
    const pair = mixHash(Math.imul(wordHashes[i]!, 0x9e3779b1) ^ wordHashes[i + 1]! ^ PAIR_SEED);
    keys.push(toKey(pair, WORD_GROUP));
  }
  for (const token of tokens) {
    const padded = ` ${token} `;
    for (let start = 0; start + MIN_CHAR_GRAM <= padded.length; start++) {
      let hash = CHAR_SEED;
      const end = Math.min(padded.length, start + MAX_CHAR_GRAM);
      for (let i = start; i < end; i++) {
        hash = Math.imul(hash ^ padded.charCodeAt(i), FNV_PRIME);
        if (i - start + 1 >= MIN_CHAR_GRAM) keys.push(toKey(mixHash(hash), CHAR_GROUP));
      }
    }
  }
  return keys;
}

interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

interface Vocabulary {
  /** Feature key → feature index. */
  index: Map<number, number>;
  idf: Float32Array;
}

/** Sublinear TF × IDF over the known features, each group L2-normalised. */
function vectorize(keys: number[], vocabulary: Vocabulary): SparseVector {
  keys.sort((a, b) => a - b);
  const indices: number[] = [];
  const values: number[] = [];
  const groups: number[] = [];
  const norms = [0, 0];
  for (let i = 0; i < keys.length; ) {
    const key = keys[i]!;
    let count = 0;
    for (; i < keys.length && keys[i] === key; i++) count++;
    const feature = vocabulary.index.get(key);
    if (feature === undefined) continue;
    const value = (1 + Math.log(count)) * vocabulary.idf[feature]!;
    const group = key >>> KEY_BITS;
    indices.push(feature);
    values.push(value);
    groups.push(group);
    norms[group]! += value * value;
  }
  for (let k = 0; k < values.length; k++) values[k]! /= Math.sqrt(norms[groups[k]!]!);
  return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

function buildVocabulary(keyLists: number[][], minDf: number): Vocabulary {
  const frequencies = new Map<number, number>();
  for (const keys of keyLists) {
    for (const key of new Set(keys)) frequencies.set(key, (frequencies.get(key) ?? 0) + 1);
  }
  const keys = [...frequencies.keys()].filter((key) => frequencies.get(key)! >= minDf);
  keys.sort((a, b) => a - b);
  const documents = keyLists.length;
  return {
    index: new Map(keys.map((key, feature) => [key, feature])),
    idf: Float32Array.from(
      keys,
      (key) => Math.log((1 + documents) / (1 + frequencies.get(key)!)) + 1,
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Model

interface LinearModel {
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

function computeScores(model: LinearModel, vector: SparseVector, scores: Float64Array): void {
  const { classes, weights, bias } = model;
  for (let c = 0; c < classes; c++) scores[c] = bias[c]!;
  for (let k = 0; k < vector.indices.length; k++) {
    const row = vector.indices[k]! * classes;
    const value = vector.values[k]!;
    for (let c = 0; c < classes; c++) scores[c]! += value * weights[row + c]!;
  }
}

function softmaxInPlace(scores: Float64Array, temperature: number): void {
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
function fitSoftmax(
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

// ---------------------------------------------------------------------------------------------
// Calibration

interface ValidationScores {
  /** Raw scores (logits), one row of classes per example. */
  logits: Float64Array[];
  targets: Int32Array;
}

/** The temperature that minimises the validation log-loss (golden-section search on log T). */
function fitTemperature({ logits, targets }: ValidationScores): number {
  const probabilities = new Float64Array(logits[0]!.length);
  const logLoss = (logTemperature: number) => {
    const temperature = Math.exp(logTemperature);
    let loss = 0;
    for (let i = 0; i < logits.length; i++) {
      probabilities.set(logits[i]!);
      softmaxInPlace(probabilities, temperature);
      loss -= Math.log(Math.max(probabilities[targets[i]!]!, 1e-12));
    }
    return loss;
  };
  const ratio = (Math.sqrt(5) - 1) / 2;
  let low = Math.log(0.05);
  let high = Math.log(20);
  for (let i = 0; i < 40; i++) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (logLoss(a) < logLoss(b)) high = b;
    else low = a;
  }
  return Math.exp((low + high) / 2);
}

/**
 * The threshold with the best validation accuracy, where declining is right for out-of-scope
 * examples only; halfway between the last declined and the first kept confidence, for margin.
 */
function chooseThreshold(
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
function splitValidation(
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

// ---------------------------------------------------------------------------------------------
// Classifier

interface ClassifierParts {
  labels: string[];
  declineClass: boolean;
  threshold: number;
  temperature: number;
  vocabulary: Vocabulary;
  model: LinearModel;
}

function createClassifier(parts: ClassifierParts): TextClassifier {
  const { labels, declineClass, threshold, temperature, vocabulary, model } = parts;
  const scores = new Float64Array(model.classes);
  return {
    labels,
    threshold,
    predict(text) {
      computeScores(model, vectorize(extractKeys(text), vocabulary), scores);
      softmaxInPlace(scores, temperature);
      const ranked = labels.map((label, c) => ({ label, score: scores[c]! }));
      ranked.sort((a, b) => b.score - a.score);
      const confidence = ranked[0]!.score;
      const declined =
        confidence < threshold || (declineClass && scores[labels.length]! > confidence);
      return { label: declined ? null : ranked[0]!.label, confidence, ranked };
    },
    toJSON: () => serializeClassifier(parts),
  };
}

export function trainTextClassifier(
  examples: LabelledText[],
  options: TrainTextClassifierOptions = {},
): TextClassifier {
  const settings = {
    epochs: options.epochs ?? DEFAULTS.epochs,
    l2: options.l2 ?? DEFAULTS.l2,
    seed: options.seed ?? DEFAULTS.seed,
  };
  const labels = [...new Set(examples.map((example) => example.label))]
    .filter((label) => label !== options.declineLabel)
    .sort();
  if (labels.length === 0) throw new Error('Training needs examples of at least one label');
  const declineClass = examples.some((example) => example.label === options.declineLabel);
  const classes = labels.length + (declineClass ? 1 : 0);
  const classOf = new Map(labels.map((label, index) => [label, index]));
  const targets = Int32Array.from(examples, (e) => classOf.get(e.label) ?? labels.length);
  const texts = examples.map((example) => example.text);

  const keyLists = texts.map(extractKeys);
  const vocabulary = buildVocabulary(keyLists, examples.length >= MIN_DF_FROM_EXAMPLES ? 2 : 1);
  const vectors = keyLists.map((keys) => vectorize(keys, vocabulary));
  const features = vocabulary.idf.length;

  let temperature = 1;
  let threshold = options.threshold ?? 0;
  const held = splitValidation(
    texts,
    targets,
    options.validationShare ?? DEFAULTS.validationShare,
    classes,
  );
  const heldCount = held.filter(Boolean).length;
  if (heldCount >= MIN_VALIDATION) {
    const trainIndexes = held.flatMap((isHeld, i) => (isHeld ? [] : [i]));
    const heldIndexes = held.flatMap((isHeld, i) => (isHeld ? [i] : []));
    const probe = fitSoftmax(
      trainIndexes.map((i) => vectors[i]!),
      Int32Array.from(trainIndexes, (i) => targets[i]!),
      features,
      classes,
      settings,
    );
    const validation: ValidationScores = {
      logits: heldIndexes.map((i) => {
        const scores = new Float64Array(classes);
        computeScores(probe, vectors[i]!, scores);
        return scores;
      }),
      targets: Int32Array.from(heldIndexes, (i) => targets[i]!),
    };
    temperature = fitTemperature(validation);
    threshold = options.threshold ?? chooseThreshold(validation, labels.length, temperature);
  }
  const model = fitSoftmax(vectors, targets, features, classes, settings);
  // Serve the weights as they will be stored, so a reloaded model predicts exactly the same.
  model.weights = dequantizeWeights(quantizeWeights(model));
  return createClassifier({ labels, declineClass, threshold, temperature, vocabulary, model });
}

// ---------------------------------------------------------------------------------------------
// Serialisation

function packBytes(bytes: Uint8Array): string {
  return deflateRawSync(bytes).toString('base64');
}

function unpackBytes(packed: string): Uint8Array {
  return new Uint8Array(inflateRawSync(Buffer.from(packed, 'base64')));
}

function encodeKeys(keys: number[]): Uint8Array {
  const bytes: number[] = [];
  let previous = 0;
  for (const key of keys) {
    let delta = key - previous;
    previous = key;
    while (delta >= 0x80) {
      bytes.push((delta & 0x7f) | 0x80);
      delta >>>= 7;
    }
    bytes.push(delta);
  }
  return Uint8Array.from(bytes);
}

function decodeKeys(bytes: Uint8Array): number[] {
  const keys: number[] = [];
  let previous = 0;
  for (let i = 0; i < bytes.length; ) {
    let delta = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[i++]!;
      delta += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    previous += delta;
    keys.push(previous);
  }
  return keys;
}

interface QuantizedWeights {
  /** Per class the weight of one step. */
  scales: number[];
  steps: Int8Array;
}

/** Weights as int8 with one step size per class: a quarter of float32, and deflate shrinks it. */
function quantizeWeights({ weights, classes }: LinearModel): QuantizedWeights {
  const scales = Array.from({ length: classes }, () => 0);
  for (let i = 0; i < weights.length; i++) {
    const c = i % classes;
    scales[c] = Math.max(scales[c]!, Math.abs(weights[i]!));
  }
  for (let c = 0; c < classes; c++) scales[c] = scales[c]! / 127 || 1;
  return { scales, steps: Int8Array.from(weights, (w, i) => Math.round(w / scales[i % classes]!)) };
}

function dequantizeWeights({ scales, steps }: QuantizedWeights): Float32Array {
  return Float32Array.from(steps, (step, i) => step * scales[i % scales.length]!);
}

function serializeClassifier(parts: ClassifierParts): SerializedTextClassifier {
  const { scales, steps } = quantizeWeights(parts.model);
  return {
    format: FORMAT,
    labels: [...parts.labels],
    declineClass: parts.declineClass,
    threshold: parts.threshold,
    temperature: parts.temperature,
    keys: packBytes(encodeKeys([...parts.vocabulary.index.keys()])),
    idf: packBytes(new Uint8Array(parts.vocabulary.idf.buffer)),
    bias: Array.from(parts.model.bias),
    scales,
    weights: packBytes(new Uint8Array(steps.buffer)),
  };
}

export function loadTextClassifier(json: SerializedTextClassifier): TextClassifier {
  if (json.format !== FORMAT) throw new Error(`Unknown classifier format: ${String(json.format)}`);
  const classes = json.labels.length + (json.declineClass ? 1 : 0);
  const keys = decodeKeys(unpackBytes(json.keys));
  const idfBytes = unpackBytes(json.idf);
  const idf = new Float32Array(idfBytes.buffer, idfBytes.byteOffset, idfBytes.byteLength / 4);
  const steps = new Int8Array(unpackBytes(json.weights).buffer);
  if (idf.length !== keys.length || steps.length !== keys.length * classes) {
    throw new Error('Corrupt classifier: sizes do not match');
  }
  const model: LinearModel = {
    classes,
    weights: dequantizeWeights({ scales: json.scales, steps }),
    bias: Float64Array.from(json.bias),
  };
  return createClassifier({
    labels: json.labels,
    declineClass: json.declineClass,
    threshold: json.threshold,
    temperature: json.temperature,
    vocabulary: { index: new Map(keys.map((key, feature) => [key, feature])), idf },
    model,
  });
}
