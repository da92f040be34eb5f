import { loadWordVectors } from '@/lib/text/word-vectors';
import { extractKeys, vectorize } from './features';
import { computeScores, softmaxInPlace } from './linear-model';
import { addNeighbourScores, createNeighbourIndex, neighbourTokens } from './neighbours';
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

export function createClassifier(parts: ClassifierParts): TextClassifier {
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

export function loadTextClassifier(json: SerializedTextClassifier): TextClassifier {
  return createClassifier(deserializeClassifier(json));
}
