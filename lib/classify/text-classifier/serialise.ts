import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Vocabulary } from './features';
import type { LinearModel } from './linear-model';
import type { ExampleMemory } from './neighbours';
import type { SentenceParts } from './sentences';

/*
 * The stored form of a classifier (JSON, kept in the database): models saved by earlier versions
 * must keep loading, so the formats and their layout only ever gain a new version.
 */

/** What a classifier is made of: what it stores and predicts with. */
export interface ClassifierParts {
  labels: string[];
  declineClass: boolean;
  /** Declines below this confidence (0: never), unless `scoreThreshold` is set. */
  threshold: number;
  /**
   * Declines a message whose best raw score (its top logit, before the temperature) is below
   * this; null: the confidence threshold decides (models stored before it existed).
   */
  scoreThreshold: number | null;
  temperature: number;
  vocabulary: Vocabulary;
  model: LinearModel;
  /** The training examples for the nearest-example scores, and their weight; null: none. */
  neighbours: { weight: number; memory: ExampleMemory } | null;
  /** The sentence part, for a model trained with sentence vectors; null: none. */
  sentences: SentenceParts | null;
}

export interface SerializedTextClassifier {
  format: typeof FORMAT_WITH_SENTENCES | typeof FORMAT | typeof FORMAT_WITHOUT_NEIGHBOURS;
  labels: string[];
  /** Whether the model has an extra, last class for out-of-scope messages. */
  declineClass: boolean;
  threshold: number;
  /** Declines below this top logit instead of below `threshold`; absent in older models. */
  scoreThreshold?: number;
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
  /** The sentence part (format 3 only). */
  sentences?: {
    /** The encoder's id. */
    encoder: string;
    dimensions: number;
    modelWeight: number;
    nearestWeight: number;
    temperature: number;
    /** Declines below this cosine to the nearest example. */
    novelty: number;
    /** The sentence regression: per class its bias and step, int8 weights as for `weights`. */
    bias: number[];
    scales: number[];
    weights: string;
    /** The examples' vectors, int8 steps of 1/127, example-major; deflated, base64. */
    vectors: string;
    /** Per example its class, as LEB128 varints; deflated, base64. */
    targets: string;
  };
}

/** Models with a sentence part: format 2 and `sentences`. */
const FORMAT_WITH_SENTENCES = 'tandem-text-classifier/3';
const FORMAT = 'tandem-text-classifier/2';
/** Models stored before the nearest-example scores: the same, without `neighbours`. */
const FORMAT_WITHOUT_NEIGHBOURS = 'tandem-text-classifier/1';

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
export function quantizeWeights({ weights, classes }: LinearModel): QuantizedWeights {
  const scales = Array.from({ length: classes }, () => 0);
  for (let i = 0; i < weights.length; i++) {
    const c = i % classes;
    scales[c] = Math.max(scales[c]!, Math.abs(weights[i]!));
  }
  for (let c = 0; c < classes; c++) scales[c] = scales[c]! / 127 || 1;
  return { scales, steps: Int8Array.from(weights, (w, i) => Math.round(w / scales[i % classes]!)) };
}

export function dequantizeWeights({ scales, steps }: QuantizedWeights): Float32Array {
  return Float32Array.from(steps, (step, i) => step * scales[i % scales.length]!);
}

function serializeSentences(parts: SentenceParts): SerializedTextClassifier['sentences'] {
  const { scales, steps } = quantizeWeights(parts.model);
  return {
    encoder: parts.encoder,
    dimensions: parts.memory.dimensions,
    modelWeight: parts.modelWeight,
    nearestWeight: parts.nearestWeight,
    temperature: parts.temperature,
    novelty: parts.novelty,
    bias: Array.from(parts.model.bias),
    scales,
    weights: packBytes(new Uint8Array(steps.buffer)),
    vectors: packBytes(new Uint8Array(parts.memory.steps.buffer)),
    targets: packBytes(encodeVarints(parts.memory.targets)),
  };
}

function deserializeSentences(
  packed: NonNullable<SerializedTextClassifier['sentences']>,
  classes: number,
): SentenceParts {
  const { dimensions } = packed;
  const steps = new Int8Array(unpackBytes(packed.weights).buffer);
  const vectors = new Int8Array(unpackBytes(packed.vectors).buffer);
  const targets = Int32Array.from(decodeVarints(unpackBytes(packed.targets)));
  if (
    steps.length !== dimensions * classes ||
    vectors.length !== targets.length * dimensions ||
    targets.some((target) => target >= classes)
  ) {
    throw new Error('Corrupt classifier: bad sentence part');
  }
  return {
    encoder: packed.encoder,
    model: {
      classes,
      weights: dequantizeWeights({ scales: packed.scales, steps }),
      bias: Float64Array.from(packed.bias),
    },
    modelWeight: packed.modelWeight,
    nearestWeight: packed.nearestWeight,
    temperature: packed.temperature,
    novelty: packed.novelty,
    memory: { dimensions, steps: vectors, targets },
  };
}

export function serializeClassifier(parts: ClassifierParts): SerializedTextClassifier {
  const { scales, steps } = quantizeWeights(parts.model);
  return {
    format: parts.sentences ? FORMAT_WITH_SENTENCES : FORMAT,
    labels: [...parts.labels],
    declineClass: parts.declineClass,
    threshold: parts.threshold,
    ...(parts.scoreThreshold !== null && { scoreThreshold: parts.scoreThreshold }),
    temperature: parts.temperature,
    keys: packBytes(encodeKeys([...parts.vocabulary.index.keys()])),
    idf: packBytes(new Uint8Array(parts.vocabulary.idf.buffer)),
    bias: Array.from(parts.model.bias),
    scales,
    weights: packBytes(new Uint8Array(steps.buffer)),
    ...(parts.neighbours && {
      neighbours: { weight: parts.neighbours.weight, ...serializeMemory(parts.neighbours.memory) },
    }),
    ...(parts.sentences && { sentences: serializeSentences(parts.sentences) }),
  };
}

/** The parts of a stored classifier, checked against its format and sizes. */
export function deserializeClassifier(json: SerializedTextClassifier): ClassifierParts {
  const formats: string[] = [FORMAT_WITH_SENTENCES, FORMAT, FORMAT_WITHOUT_NEIGHBOURS];
  if (!formats.includes(json.format)) {
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
  return {
    labels: json.labels,
    declineClass: json.declineClass,
    threshold: json.threshold,
    scoreThreshold: typeof json.scoreThreshold === 'number' ? json.scoreThreshold : null,
    temperature: json.temperature,
    vocabulary: { index: new Map(keys.map((key, feature) => [key, feature])), idf },
    model,
    neighbours:
      json.format !== FORMAT_WITHOUT_NEIGHBOURS && json.neighbours
        ? {
            weight: json.neighbours.weight,
            memory: deserializeMemory(json.neighbours, classes),
          }
        : null,
    sentences:
      json.format === FORMAT_WITH_SENTENCES && json.sentences
        ? deserializeSentences(json.sentences, classes)
        : null,
  };
}
