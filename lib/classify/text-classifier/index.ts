/**
 * Tandem's offline text classifier: hashed word and character n-gram TF-IDF features and a
 * multinomial logistic regression trained by SGD, joined by a nearest-example score in pretrained
 * word-vector space (so that synonyms match: see neighbours.ts), with its probabilities
 * calibrated (temperature scaling) on held-out examples. It declines ("none of these") below a
 * top raw score (logit) learnt from the labelled examples alone, with held-out examples of labels
 * the probe never saw standing in for messages no label fits. With a sentence encoder, sentence
 * scores join in and the decline rests on the distance to the nearest example instead. Pure
 * TypeScript, deterministic, and small enough to store as JSON.
 *
 * features.ts: tokens and hashed n-gram TF-IDF; linear-model.ts: the softmax regression;
 * neighbours.ts: the nearest-example scores; sentences.ts: the optional sentence part;
 * calibration.ts: temperature, decline thresholds and the held-out rounds; train.ts: training;
 * classifier.ts: prediction; serialise.ts: the stored form.
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
