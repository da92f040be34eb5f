import { loadWordVectors } from '@/lib/text/word-vectors';
import {
  chooseThreshold,
  fitTemperature,
  splitValidation,
  type ValidationScores,
} from './calibration';
import { createClassifier, type TextClassifier } from './classifier';
import { buildVocabulary, extractKeys, vectorize } from './features';
import { computeScores, fitSoftmax } from './linear-model';
import {
  buildMemory,
  candidateClasses,
  chooseNeighbourWeight,
  createNeighbourIndex,
  DEFAULT_NEIGHBOUR_WEIGHT,
  neighbourScores,
  neighbourTokens,
} from './neighbours';
import { dequantizeWeights, quantizeWeights } from './serialise';

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

const DEFAULTS = { epochs: 12, l2: 3e-6, validationShare: 0.1, seed: 1 };
// Fewer validation examples than this calibrate noise (a few lucky hits make every answer look
// certain): below it the temperature stays 1 and the threshold its given value or 0.
const MIN_VALIDATION = 100;
// Rare n-grams are mostly typos and IDs: with enough data they cost memory and add noise.
const MIN_DF_FROM_EXAMPLES = 2000;

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
