import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { loadWordVectors, type WordVectors } from '@/lib/text/word-vectors';

/**
 * Tandem's offline text classifier: hashed word and character n-gram TF-IDF features and a
 * multinomial logistic regression trained by SGD, joined by a nearest-example score in pretrained
 * word-vector space (so that synonyms match: see "Nearest examples"), with its probabilities
 * calibrated (temperature scaling) and its decline threshold chosen on an internal validation
 * split. Pure TypeScript, deterministic, and small enough to store as JSON.
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
  /**
   * Weight of the nearest-example scores (word-vector similarity to the training examples) in the
   * logits. By default the trainer picks it on its validation split (0 when they don't help), or
   * uses a middle value when the split is too small; 0 turns them off and stores no examples.
   */
  neighbourWeight?: number;
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
  format: typeof FORMAT | typeof FORMAT_WITHOUT_NEIGHBOURS;
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
  /**
   * The training examples as word ids, for the nearest-example scores; absent when their weight
   * is 0. The word vectors are not stored: they load from content/models (lib/text/word-vectors).
   */
  neighbours?: {
    /** Weight of the nearest-example scores in the logits. */
    weight: number;
    /** The examples' distinct words by id, joined by a newline; deflated, base64. */
    words: string;
    /**
     * Per example its class, its count of distinct words and their ids, as LEB128 varints;
     * deflated, base64.
     */
    examples: string;
  };
}

const FORMAT = 'tandem-text-classifier/2';
/** Models stored before the nearest-example scores: the same, without `neighbours`. */
const FORMAT_WITHOUT_NEIGHBOURS = 'tandem-text-classifier/1';

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
// Nearest examples

// The model remembers its training examples (as word ids) and, for a message, scores each likely
// label by how well its closest examples match the message word for word, where two words match
// as much as their pretrained vectors are alike (cosine, 0 when opposite; lib/text/word-vectors):
// "reimbursement" meets "refund" half-way although they share no n-gram. A message's similarity
// to an example is a soft word alignment (each word's best match on the other side, weighted by
// SIF so that "the" counts little, averaged over both directions); a label's score is the
// weighted mean of its three best examples' similarities. Those scores, × a weight chosen on the
// validation split, add to the logits of the linear model, which stays the main signal. Words
// without a vector (typos, IDs, Chinese characters) match only themselves.

/** Labels scored per message: the linear model's best, and the decline class. */
const NEIGHBOUR_CANDIDATES = 5;
/** Distinct words of a message that count, in order of appearance. */
const NEIGHBOUR_WORDS = 40;
/** Words whose SIF weight is below this (the ~30 most frequent) are left out. */
const NEIGHBOUR_MIN_SIF = 0.3;
/** A word's weight is its SIF weight (0 without a vector) plus this. */
const NEIGHBOUR_WEIGHT_FLOOR = 0.05;
/** The weights of a label's best, second and third example similarity. */
const NEIGHBOUR_TOP = [1, 0.5, 0.25] as const;
const NEIGHBOUR_TOP_SUM = NEIGHBOUR_TOP[0] + NEIGHBOUR_TOP[1] + NEIGHBOUR_TOP[2];
/** The weights the trainer tries on its validation split. */
const NEIGHBOUR_WEIGHTS = [0, 5, 10, 15, 20, 30, 40, 60];
/** The weight without a validation split large enough to choose one. */
const DEFAULT_NEIGHBOUR_WEIGHT = 15;
/** Word-to-example-word similarity rows kept per model (one byte per example word each). */
const SIMILARITY_CACHE_BYTES = 16 << 20;

interface ExampleMemory {
  /** Distinct words of all examples, by id. */
  words: string[];
  /** Example e's distinct word ids are ids[starts[e]] … ids[starts[e + 1] - 1]. */
  starts: Int32Array;
  ids: Int32Array;
  targets: Int32Array;
}

/**
 * The words of a message that the nearest-example scores compare: its distinct words but the
 * most frequent English function words ("the", "of", "is" …), which carry no topic and would
 * only cost time.
 */
function neighbourTokens(text: string, vectors: WordVectors): string[] {
  const tokens: string[] = [];
  for (const token of new Set(tokenizeForClassifier(text))) {
    if (vectors.indexOf(token) >= 0 && vectors.sifWeight(token) < NEIGHBOUR_MIN_SIF) continue;
    tokens.push(token);
    if (tokens.length === NEIGHBOUR_WORDS) break;
  }
  return tokens;
}

function buildMemory(tokenLists: string[][], targets: Int32Array): ExampleMemory {
  const wordIds = new Map<string, number>();
  const starts = new Int32Array(tokenLists.length + 1);
  const ids: number[] = [];
  tokenLists.forEach((tokens, e) => {
    for (const token of tokens) {
      let id = wordIds.get(token);
      if (id === undefined) {
        id = wordIds.size;
        wordIds.set(token, id);
      }
      ids.push(id);
    }
    starts[e + 1] = ids.length;
  });
  return { words: [...wordIds.keys()], starts, ids: Int32Array.from(ids), targets };
}

interface NeighbourIndex {
  memory: ExampleMemory;
  vectors: WordVectors;
  wordIds: Map<string, number>;
  /** Per word id its weight. */
  wordWeights: Float32Array;
  /** Per example the sum of its words' weights. */
  exampleWeights: Float32Array;
  /** Per class its examples. */
  byClass: Int32Array[];
  /** The words' unit vectors, one row per id; zeros for words without one. */
  matrix: Float32Array;
  /** Message word → its similarities to the example words, filled in as needed. */
  rows: Map<string, SimilarityRow>;
  /** Per example word, the last message (stamp) that used it. */
  seen: Int32Array;
  stamp: number;
  // Scratch space for one message (a classifier predicts one message at a time).
  sims: Uint8Array;
  best: Uint8Array;
  rowBest: Uint8Array;
  weights: Float64Array;
}

function wordWeight(vectors: WordVectors, word: string): number {
  return vectors.sifWeight(word) + NEIGHBOUR_WEIGHT_FLOOR;
}

function createNeighbourIndex(
  memory: ExampleMemory,
  classes: number,
  vectors: WordVectors,
): NeighbourIndex {
  const { words, starts, ids, targets } = memory;
  const dimensions = vectors.dimensions;
  const matrix = new Float32Array(words.length * dimensions);
  const wordWeights = new Float32Array(words.length);
  words.forEach((word, id) => {
    wordWeights[id] = wordWeight(vectors, word);
    const row = vectors.indexOf(word);
    if (row >= 0) vectors.addRowTo(row, 1, matrix.subarray(id * dimensions, (id + 1) * dimensions));
  });
  const exampleWeights = new Float32Array(targets.length);
  for (let e = 0; e < targets.length; e++) {
    for (let j = starts[e]!; j < starts[e + 1]!; j++) exampleWeights[e]! += wordWeights[ids[j]!]!;
  }
  const members: number[][] = Array.from({ length: classes }, () => []);
  for (let e = 0; e < targets.length; e++) members[targets[e]!]?.push(e);
  return {
    memory,
    vectors,
    wordIds: new Map(words.map((word, id) => [word, id])),
    wordWeights,
    exampleWeights,
    byClass: members.map((list) => Int32Array.from(list)),
    matrix,
    rows: new Map(),
    seen: new Int32Array(words.length),
    stamp: 0,
    sims: new Uint8Array(0),
    best: new Uint8Array(words.length),
    rowBest: new Uint8Array(NEIGHBOUR_WORDS),
    weights: new Float64Array(NEIGHBOUR_WORDS),
  };
}

/** A message word's similarity to each example word: 0–254, or UNKNOWN until first needed. */
interface SimilarityRow {
  values: Uint8Array;
  vector: Float32Array | null;
  weight: number;
}

const UNKNOWN = 255;
const SAME = 254;

function similarityRow(index: NeighbourIndex, token: string): SimilarityRow {
  let row = index.rows.get(token);
  if (row) return row;
  const count = index.memory.words.length;
  if ((index.rows.size + 1) * count > SIMILARITY_CACHE_BYTES) index.rows.clear();
  row = {
    values: new Uint8Array(count).fill(UNKNOWN),
    vector: index.vectors.vectorOf(token),
    weight: wordWeight(index.vectors, token),
  };
  const own = index.wordIds.get(token);
  if (own !== undefined) row.values[own] = SAME;
  index.rows.set(token, row);
  return row;
}

/** The similarity of a message word to example word `id`, computed on first use. */
function similarityTo(index: NeighbourIndex, row: SimilarityRow, id: number): number {
  const known = row.values[id]!;
  if (known !== UNKNOWN) return known;
  let similarity = 0;
  const { vector } = row;
  if (vector) {
    const dimensions = vector.length;
    const { matrix } = index;
    let dot = 0;
    for (let d = 0, at = id * dimensions; d < dimensions; d++, at++)
      dot += vector[d]! * matrix[at]!;
    if (dot > 0) similarity = Math.round(Math.min(dot, 1) * (SAME - 1));
  }
  row.values[id] = similarity;
  return similarity;
}

/** The classes with the highest scores, best first, and the decline class (if any). */
function candidateClasses(logits: Float64Array, labelCount: number): number[] {
  const order = Array.from({ length: labelCount }, (_, c) => c);
  order.sort((a, b) => logits[b]! - logits[a]! || a - b);
  const candidates = order.slice(0, NEIGHBOUR_CANDIDATES);
  if (logits.length > labelCount) candidates.push(labelCount);
  return candidates;
}

/**
 * Each candidate class's nearest-example score into `out`; the other classes get the lowest
 * candidate score (they are unlikely, and this keeps them from ranking above the candidates).
 */
function neighbourScores(
  index: NeighbourIndex,
  tokens: readonly string[],
  candidates: readonly number[],
  out: Float64Array,
): void {
  const { memory, wordWeights, exampleWeights, byClass, seen } = index;
  const { starts, ids } = memory;
  const width = tokens.length;
  // The example words of the candidates, each once.
  const stamp = ++index.stamp;
  const used: number[] = [];
  for (const c of candidates) {
    for (const e of byClass[c]!) {
      for (let j = starts[e]!; j < starts[e + 1]!; j++) {
        const id = ids[j]!;
        if (seen[id] !== stamp) {
          seen[id] = stamp;
          used.push(id);
        }
      }
    }
  }
  // sims[id × width + q]: example word id against message word q, so that one example word's
  // similarities sit together; best[id]: its best match in the message, for the backward half.
  if (index.sims.length < memory.words.length * width) {
    index.sims = new Uint8Array(memory.words.length * NEIGHBOUR_WORDS);
  }
  const { sims, best, rowBest, weights } = index;
  for (const id of used) best[id] = 0;
  let messageWeight = 0;
  for (let q = 0; q < width; q++) {
    const row = similarityRow(index, tokens[q]!);
    for (const id of used) {
      const similarity = similarityTo(index, row, id);
      sims[id * width + q] = similarity;
      if (similarity > best[id]!) best[id] = similarity;
    }
    weights[q] = row.weight;
    messageWeight += row.weight;
  }
  let lowest = Number.POSITIVE_INFINITY;
  for (let k = 0; k < candidates.length; k++) {
    const c = candidates[k]!;
    const examples = byClass[c]!;
    let first = 0;
    let second = 0;
    let third = 0;
    for (let m = 0; m < examples.length; m++) {
      const e = examples[m]!;
      for (let q = 0; q < width; q++) rowBest[q] = 0;
      let backward = 0;
      const end = starts[e + 1]!;
      for (let j = starts[e]!; j < end; j++) {
        const id = ids[j]!;
        backward += wordWeights[id]! * best[id]!;
        const base = id * width;
        for (let q = 0; q < width; q++) {
          const similarity = sims[base + q]!;
          if (similarity > rowBest[q]!) rowBest[q] = similarity;
        }
      }
      let forward = 0;
      for (let q = 0; q < width; q++) forward += weights[q]! * rowBest[q]!;
      const exampleWeight = exampleWeights[e]!;
      const similarity =
        ((messageWeight > 0 ? forward / messageWeight : 0) +
          (exampleWeight > 0 ? backward / exampleWeight : 0)) /
        (2 * SAME);
      if (similarity > first) {
        third = second;
        second = first;
        first = similarity;
      } else if (similarity > second) {
        third = second;
        second = similarity;
      } else if (similarity > third) third = similarity;
    }
    const score =
      (NEIGHBOUR_TOP[0] * first + NEIGHBOUR_TOP[1] * second + NEIGHBOUR_TOP[2] * third) /
      NEIGHBOUR_TOP_SUM;
    out[c] = score;
    lowest = Math.min(lowest, score);
  }
  const isCandidate = new Set(candidates);
  for (let c = 0; c < out.length; c++) if (!isCandidate.has(c)) out[c] = lowest;
}

/** Adds weight × the nearest-example scores to the logits. */
function addNeighbourScores(
  index: NeighbourIndex,
  weight: number,
  tokens: readonly string[],
  logits: Float64Array,
  labelCount: number,
): void {
  const scores = new Float64Array(logits.length);
  neighbourScores(index, tokens, candidateClasses(logits, labelCount), scores);
  for (let c = 0; c < logits.length; c++) logits[c]! += weight * scores[c]!;
}

function logLoss({ logits, targets }: ValidationScores, temperature: number): number {
  const probabilities = new Float64Array(logits[0]!.length);
  let loss = 0;
  for (let i = 0; i < logits.length; i++) {
    probabilities.set(logits[i]!);
    softmaxInPlace(probabilities, temperature);
    loss -= Math.log(Math.max(probabilities[targets[i]!]!, 1e-12));
  }
  return loss;
}

/**
 * The weight of the nearest-example scores whose calibrated validation log-loss is lowest (ties:
 * the smaller weight).
 */
function chooseNeighbourWeight(
  validation: ValidationScores,
  neighbourScoreRows: Float64Array[],
): number {
  let best = { weight: 0, loss: Number.POSITIVE_INFINITY };
  for (const weight of NEIGHBOUR_WEIGHTS) {
    const combined: ValidationScores = {
      logits: validation.logits.map((row, i) =>
        row.map((logit, c) => logit + weight * neighbourScoreRows[i]![c]!),
      ),
      targets: validation.targets,
    };
    const loss = logLoss(combined, fitTemperature(combined));
    if (loss < best.loss - 1e-9) best = { weight, loss };
  }
  return best.weight;
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
  /** The training examples for the nearest-example scores, and their weight; null: none. */
  neighbours: { weight: number; memory: ExampleMemory } | null;
}

function createClassifier(parts: ClassifierParts): TextClassifier {
  const { labels, declineClass, threshold, temperature, vocabulary, model, neighbours } = parts;
  const scores = new Float64Array(model.classes);
  const index = neighbours
    ? createNeighbourIndex(neighbours.memory, model.classes, loadWordVectors())
    : null;
  return {
    labels,
    threshold,
    predict(text) {
      computeScores(model, vectorize(extractKeys(text), vocabulary), scores);
      if (index) {
        const tokens = neighbourTokens(text, index.vectors);
        addNeighbourScores(index, neighbours!.weight, tokens, scores, labels.length);
      }
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
  let neighbourWeight = options.neighbourWeight;
  if (neighbourWeight !== undefined && !(neighbourWeight >= 0)) {
    throw new Error('neighbourWeight must be a number ≥ 0');
  }
  const tokenLists =
    neighbourWeight === 0 ? [] : texts.map((text) => neighbourTokens(text, loadWordVectors()));

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
    if (neighbourWeight !== 0) {
      const probeIndex = createNeighbourIndex(
        buildMemory(
          trainIndexes.map((i) => tokenLists[i]!),
          Int32Array.from(trainIndexes, (i) => targets[i]!),
        ),
        classes,
        loadWordVectors(),
      );
      const neighbourScoreRows = heldIndexes.map((i, k) => {
        const scores = new Float64Array(classes);
        const candidates = candidateClasses(validation.logits[k]!, labels.length);
        neighbourScores(probeIndex, tokenLists[i]!, candidates, scores);
        return scores;
      });
      neighbourWeight ??= chooseNeighbourWeight(validation, neighbourScoreRows);
      const weight = neighbourWeight;
      validation.logits.forEach((row, k) => {
        for (let c = 0; c < classes; c++) row[c]! += weight * neighbourScoreRows[k]![c]!;
      });
    }
    temperature = fitTemperature(validation);
    threshold = options.threshold ?? chooseThreshold(validation, labels.length, temperature);
  }
  neighbourWeight ??= DEFAULT_NEIGHBOUR_WEIGHT;
  const model = fitSoftmax(vectors, targets, features, classes, settings);
  // Serve the weights as they will be stored, so a reloaded model predicts exactly the same.
  model.weights = dequantizeWeights(quantizeWeights(model));
  const neighbours =
    neighbourWeight > 0
      ? { weight: neighbourWeight, memory: buildMemory(tokenLists, targets) }
      : null;
  return createClassifier({
    labels,
    declineClass,
    threshold,
    temperature,
    vocabulary,
    model,
    neighbours,
  });
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
  return encodeVarints(keys.map((key, i) => key - (i > 0 ? keys[i - 1]! : 0)));
}

/** Non-negative integers as LEB128 varints. */
function encodeVarints(values: ArrayLike<number>): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let value = values[i]!;
    while (value >= 0x80) {
      bytes.push((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    bytes.push(value);
  }
  return Uint8Array.from(bytes);
}

function decodeVarints(bytes: Uint8Array): number[] {
  const values: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[i++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    values.push(value);
  }
  return values;
}

function serializeMemory({ words, starts, ids, targets }: ExampleMemory): {
  words: string;
  examples: string;
} {
  const values: number[] = [];
  for (let e = 0; e < targets.length; e++) {
    values.push(targets[e]!, starts[e + 1]! - starts[e]!);
    for (let j = starts[e]!; j < starts[e + 1]!; j++) values.push(ids[j]!);
  }
  return {
    words: packBytes(new TextEncoder().encode(words.join('\n'))),
    examples: packBytes(encodeVarints(values)),
  };
}

function deserializeMemory(packed: { words: string; examples: string }, classes: number) {
  const wordsText = new TextDecoder().decode(unpackBytes(packed.words));
  const words = wordsText === '' ? [] : wordsText.split('\n');
  const values = decodeVarints(unpackBytes(packed.examples));
  const targets: number[] = [];
  const starts = [0];
  const ids: number[] = [];
  for (let i = 0; i < values.length; ) {
    const target = values[i++]!;
    const count = values[i++] ?? -1;
    if (target >= classes || count < 0 || i + count > values.length) {
      throw new Error('Corrupt classifier: bad examples');
    }
    for (let k = 0; k < count; k++) {
      const id = values[i++]!;
      if (id >= words.length) throw new Error('Corrupt classifier: bad examples');
      ids.push(id);
    }
    targets.push(target);
    starts.push(ids.length);
  }
  return {
    words,
    starts: Int32Array.from(starts),
    ids: Int32Array.from(ids),
    targets: Int32Array.from(targets),
  } satisfies ExampleMemory;
}

function decodeKeys(bytes: Uint8Array): number[] {
  let previous = 0;
  return decodeVarints(bytes).map((delta) => (previous += delta));
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
    ...(parts.neighbours && {
      neighbours: { weight: parts.neighbours.weight, ...serializeMemory(parts.neighbours.memory) },
    }),
  };
}

export function loadTextClassifier(json: SerializedTextClassifier): TextClassifier {
  if (json.format !== FORMAT && json.format !== FORMAT_WITHOUT_NEIGHBOURS) {
    throw new Error(`Unknown classifier format: ${String(json.format)}`);
  }
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
    neighbours:
      json.format === FORMAT && json.neighbours
        ? {
            weight: json.neighbours.weight,
            memory: deserializeMemory(json.neighbours, classes),
          }
        : null,
  });
}
