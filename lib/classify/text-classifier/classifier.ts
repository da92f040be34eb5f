import { loadWordVectors } from '@/lib/text/word-vectors';
import { extractKeys, vectorize } from './features';
import { computeScores, softmaxInPlace } from './linear-model';
import { addNeighbourScores, createNeighbourIndex, neighbourTokens } from './neighbours';
import { addSentenceScores, createSentenceIndex } from './sentences';
import {
  type ClassifierParts,
  deserializeClassifier,
  type SerializedTextClassifier,
  serializeClassifier,
} from './serialise';

export interface RankedLabel {
  label: string;
  score: number;
}

export interface TextPrediction {
  /** null when declined ("none of these"): no label fits the message well enough. */
  label: string | null;
  /** Calibrated probability of the most likely label. */
  confidence: number;
  /** Every label with its probability, most likely first. */
  ranked: RankedLabel[];
}

export interface TextClassifier {
  /** The labels it can predict, sorted. */
  readonly labels: readonly string[];
  /**
   * Declines below this confidence (without a sentence vector: see `sentenceEncoder`), unless
   * `scoreThreshold` is set.
   */
  readonly threshold: number;
  /**
   * Without a sentence vector: declines a message whose best raw score (top logit) is below this.
   * A probability says how the labels compare with each other, the raw score also how strongly
   * the message matches the best one, which is what sets apart a message no label fits from one
   * between two close labels. null in models trained before it (they use `threshold`).
   */
  readonly scoreThreshold: number | null;
  /**
   * The sentence encoder whose vectors the model was trained with, or null. Given the message's
   * vector from it, a prediction uses the sentence scores and declines what is far from every
   * example; without one it is the word model's alone.
   */
  readonly sentenceEncoder: string | null;
  /** With a sentence vector: declines below this cosine to the nearest example. */
  readonly noveltyThreshold: number | null;
  predict(text: string, sentenceVector?: Float32Array): TextPrediction;
  toJSON(): SerializedTextClassifier;
}

export function createClassifier(parts: ClassifierParts): TextClassifier {
  const { labels, declineClass, threshold, scoreThreshold, temperature, vocabulary, model } = parts;
  const { neighbours } = parts;
  const { sentences } = parts;
  const scores = new Float64Array(model.classes);
  const wordScores = new Float64Array(model.classes);
  const index = neighbours
    ? createNeighbourIndex(neighbours.memory, model.classes, loadWordVectors())
    : null;
  const sentenceIndex = sentences ? createSentenceIndex(sentences.memory, model.classes) : null;
  return {
    labels,
    threshold,
    scoreThreshold,
    sentenceEncoder: sentences?.encoder ?? null,
    noveltyThreshold: sentences?.novelty ?? null,
    predict(text, sentenceVector) {
      computeScores(model, vectorize(extractKeys(text), vocabulary), scores);
      wordScores.set(scores);
      if (index) {
        const tokens = neighbourTokens(text, index.vectors);
        addNeighbourScores(index, neighbours!.weight, tokens, scores, labels.length);
      }
      let declined = false;
      let scale = temperature;
      let topScore = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < labels.length; c++) topScore = Math.max(topScore, scores[c]!);
      if (sentences && sentenceIndex && sentenceVector) {
        if (sentenceVector.length !== sentences.memory.dimensions) {
          throw new Error(`Expected a sentence vector from ${sentences.encoder}`);
        }
        const novelty = addSentenceScores(
          sentences,
          sentenceIndex,
          sentenceVector,
          wordScores,
          scores,
        );
        declined = novelty < sentences.novelty;
        scale = sentences.temperature;
      }
      softmaxInPlace(scores, scale);
      const ranked = labels.map((label, c) => ({ label, score: scores[c]! }));
      ranked.sort((a, b) => b.score - a.score);
      const confidence = ranked[0]!.score;
      if (!(sentences && sentenceVector)) {
        declined =
          (scoreThreshold === null ? confidence < threshold : topScore < scoreThreshold) ||
          (declineClass && scores[labels.length]! > confidence);
      }
      return { label: declined ? null : ranked[0]!.label, confidence, ranked };
    },
    toJSON: () => serializeClassifier(parts),
  };
}

export function loadTextClassifier(json: SerializedTextClassifier): TextClassifier {
  return createClassifier(deserializeClassifier(json));
}
