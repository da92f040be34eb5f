/**
 * Tandem's offline text classifier: hashed word and character n-gram TF-IDF features and a
 * multinomial logistic regression trained by SGD, joined by a nearest-example score in pretrained
 * word-vector space (so that synonyms match: see neighbours.ts), with its probabilities
 * calibrated (temperature scaling) and its decline threshold chosen on an internal validation
 * split. Pure TypeScript, deterministic, and small enough to store as JSON.
 *
 * features.ts: tokens and hashed n-gram TF-IDF; linear-model.ts: the softmax regression;
 * neighbours.ts: the nearest-example scores; calibration.ts: temperature, threshold and the
 * validation split; train.ts: training; classifier.ts: prediction; serialise.ts: the stored form.
 */

export {
  loadTextClassifier,
  type RankedLabel,
  type TextClassifier,
  type TextPrediction,
} from './classifier';
export { tokenizeForClassifier } from './features';
export type { SerializedTextClassifier } from './serialise';
export { type LabelledText, type TrainTextClassifierOptions, trainTextClassifier } from './train';
