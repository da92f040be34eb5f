/*
 * Features: hashed word and character n-grams, weighted by sublinear TF × IDF.
 */

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

/**
 * FNV-1a from `seed`, then murmur3's finaliser: FNV-1a alone keeps similar texts close, which
 * would bunch them together wherever rows are ordered by hash (the validation and test splits).
 */
export function hashString(text: string, seed: number): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return mixHash(hash);
}

function toKey(hash: number, group: number): number {
  return ((hash & KEY_MASK) | (group << KEY_BITS)) >>> 0;
}

/** The hashed features of a message, one key per occurrence. */
export function extractKeys(text: string): number[] {
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

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface Vocabulary {
  /** Feature key → feature index. */
  index: Map<number, number>;
  idf: Float32Array;
}

/** Sublinear TF × IDF over the known features, each group L2-normalised. */
export function vectorize(keys: number[], vocabulary: Vocabulary): SparseVector {
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

export function buildVocabulary(keyLists: number[][], minDf: number): Vocabulary {
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
