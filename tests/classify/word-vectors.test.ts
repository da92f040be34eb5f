import { describe, expect, it } from 'vitest';
import {
  averageVector,
  decodeWordVectors,
  encodeWordVectors,
  loadWordVectors,
  vectorOf,
} from '@/lib/text/word-vectors';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

function norm(vector: Float32Array): number {
  return Math.sqrt(cosine(vector, vector));
}

describe('the English word vectors (content/models/word-vectors-en.bin)', () => {
  const vectors = loadWordVectors();

  it('load once, with tens of thousands of 100-dimensional words', () => {
    expect(vectors.dimensions).toBe(100);
    expect(vectors.size).toBeGreaterThan(40_000);
    expect(loadWordVectors()).toBe(vectors);
  });

  it('give unit vectors for known lower-case words and null for others', () => {
    const refund = vectorOf('refund')!;
    expect(refund).toHaveLength(100);
    expect(norm(refund)).toBeCloseTo(1, 5);
    expect(vectorOf('zqxvplorf')).toBeNull();
    expect(vectorOf('退款')).toBeNull();
  });

  it('put similar words closer than unrelated ones', () => {
    const similarity = (a: string, b: string) => cosine(vectorOf(a)!, vectorOf(b)!);
    expect(similarity('refund', 'reimbursement')).toBeGreaterThan(0.5);
    expect(similarity('refund', 'reimbursement')).toBeGreaterThan(similarity('refund', 'giraffe'));
    expect(similarity('password', 'login')).toBeGreaterThan(similarity('password', 'banana'));
    expect(similarity('parcel', 'package')).toBeGreaterThan(similarity('parcel', 'happy'));
  });

  it('cover contractions as the classifier tokenizes them', () => {
    // "didn't" becomes "didnt": its vector is did + not.
    expect(cosine(vectorOf('didnt')!, vectorOf('not')!)).toBeGreaterThan(0.8);
  });

  it('weigh frequent words less (SIF)', () => {
    expect(vectors.sifWeight('the')).toBeLessThan(0.1);
    expect(vectors.sifWeight('refund')).toBeGreaterThan(0.9);
    expect(vectors.sifWeight('zqxvplorf')).toBe(0);
  });

  it('average a message into one unit vector, null when no word has a vector', () => {
    const message = averageVector(['the', 'refund', 'never', 'arrived'])!;
    expect(norm(message)).toBeCloseTo(1, 5);
    expect(cosine(message, vectorOf('refund')!)).toBeGreaterThan(0.4);
    expect(averageVector([])).toBeNull();
    expect(averageVector(['退', '款'])).toBeNull();
    const weighted = averageVector(['refund', 'giraffe'], [1, 0])!;
    expect(cosine(weighted, vectorOf('refund')!)).toBeCloseTo(1, 5);
  });
});

describe('encodeWordVectors / decodeWordVectors', () => {
  const header = { dimensions: 3, sourceSize: 10, source: 'test' };

  it('round-trip words, ranks and (quantised) directions', () => {
    const bytes = encodeWordVectors(
      header,
      ['apple', 'pear', 'rock'],
      [0, 4, 9],
      [
        [1, 0.9, 0],
        [0.9, 1, 0.1],
        [-1, 0, 2],
      ],
    );
    const vectors = decodeWordVectors(bytes);
    expect(vectors.size).toBe(3);
    expect(vectors.indexOf('pear')).toBe(1);
    expect(vectors.indexOf('plum')).toBe(-1);
    const rock = vectors.vectorOf('rock')!;
    expect(rock[0]).toBeCloseTo(-1 / Math.sqrt(5), 2);
    expect(rock[2]).toBeCloseTo(2 / Math.sqrt(5), 2);
    expect(vectors.sifWeight('apple')).toBeLessThan(vectors.sifWeight('rock'));
  });

  it('rejects other and corrupt files', () => {
    expect(() => decodeWordVectors(new TextEncoder().encode('nope'))).toThrow(/Not a word-vectors/);
    const bytes = encodeWordVectors(header, ['a'], [0], [[1, 2, 3]]);
    expect(() => decodeWordVectors(bytes.subarray(0, bytes.length - 1))).toThrow(/Corrupt/);
  });
});
