import type { WordVectors } from '@/lib/text/word-vectors';
import { fitTemperature, logLoss, type ValidationScores } from './calibration';
import { tokenizeForClassifier } from './features';

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
export const DEFAULT_NEIGHBOUR_WEIGHT = 15;
/** Word-to-example-word similarity rows kept per model (one byte per example word each). */
const SIMILARITY_CACHE_BYTES = 16 << 20;

export interface ExampleMemory {
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
export function neighbourTokens(text: string, vectors: WordVectors): string[] {
  const tokens: string[] = [];
  for (const token of new Set(tokenizeForClassifier(text))) {
    if (vectors.indexOf(token) >= 0 && vectors.sifWeight(token) < NEIGHBOUR_MIN_SIF) continue;
    tokens.push(token);
    if (tokens.length === NEIGHBOUR_WORDS) break;
  }
  return tokens;
}

export function buildMemory(tokenLists: string[][], targets: Int32Array): ExampleMemory {
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

export interface NeighbourIndex {
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

export function createNeighbourIndex(
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
export function candidateClasses(logits: Float64Array, labelCount: number): number[] {
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
export function neighbourScores(
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
export function addNeighbourScores(
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

/**
 * The weight of the nearest-example scores whose calibrated validation log-loss is lowest (ties:
 * the smaller weight).
 */
export function chooseNeighbourWeight(
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
