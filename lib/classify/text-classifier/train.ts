import { loadWordVectors } from '@/lib/text/word-vectors';
import {
  assignValidationRounds,
  chooseDeclineThreshold,
  chooseScoreThreshold,
  fitTemperature,
  topConfidences,
  type ValidationScores,
} from './calibration';
import { createClassifier, type TextClassifier } from './classifier';
import { buildVocabulary, extractKeys, hashString, type SparseVector, vectorize } from './features';
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
import {
  buildSentenceMemory,
  chooseSentenceWeights,
  createSentenceIndex,
  fitSentenceModel,
  nearestCandidates,
  nearestScores,
  type SentenceParts,
  toDense,
} from './sentences';
import { dequantizeWeights, quantizeWeights } from './serialise';

export interface LabelledText {
  text: string;
  label: string;
}

export interface TrainTextClassifierOptions {
  /**
   * Declines a message when its top probability is below this. By default the trainer instead
   * learns, from the examples alone (see `outOfScopeShare`), a threshold on the top raw score
   * (see `TextClassifier.scoreThreshold`). With sentence vectors, predictions given one decline
   * by the learnt distance to the nearest example instead.
   */
  threshold?: number;
  /**
   * The share of messages that fit none of the labels the learnt decline is balanced for: 0
   * never declines, higher shares decline more readily (default 0.05).
   */
  outOfScopeShare?: number;
  /** Passes over the training data. */
  epochs?: number;
  /** L2 penalty, per example seen. */
  l2?: number;
  /** Share of each label's examples held out to calibrate, when there are plenty of examples. */
  validationShare?: number;
  seed?: number;
  /**
   * Weight of the nearest-example scores (word-vector similarity to the training examples) in the
   * logits. By default the trainer picks it on its held-out examples (0 when they don't help), or
   * uses a middle value when there are too few; 0 turns them off and stores no examples.
   */
  neighbourWeight?: number;
  /**
   * Sentence vectors of the examples (unit length, in order) from the named encoder: they add
   * sentence scores, and the decline then rests on how far a message is from every example.
   * Predictions must then pass the message's vector from the same encoder.
   */
  sentences?: { encoder: string; vectors: readonly Float32Array[] };
}

// The stand-ins for out-of-scope messages are other labels' examples, harder to tell from the
// desk's topics than most messages no label fits: a share of 5 % (rather than a likelier 10 %)
// offsets that, so that close labels cost few declines (chosen by cross-validation).
const DEFAULTS = { epochs: 12, l2: 3e-6, validationShare: 0.1, seed: 1, outOfScopeShare: 0.05 };
// Fewer held-out examples than this calibrate noise (a few lucky hits make every answer look
// certain): below it the temperature stays 1 and the threshold its given value or 0.
const MIN_VALIDATION = 100;
// With fewer examples than this one held-out share is too small to calibrate on, and training is
// cheap: every example is held out once, over this many rounds.
const CROSS_FIT_BELOW = MIN_VALIDATION / DEFAULTS.validationShare;
const CROSS_FIT_ROUNDS = 5;
// Rare n-grams are mostly typos and IDs: with enough data they cost memory and add noise.
const MIN_DF_FROM_EXAMPLES = 2000;
// The sentence weights without held-out examples to choose them on, and a novelty threshold
// below every cosine: too few examples to learn one, so nothing is declined for its distance.
const DEFAULT_SENTENCE_WEIGHTS = { modelWeight: 1, nearestWeight: 10 };
const NEVER_NOVEL = -1;

interface TrainingData {
  labels: readonly string[];
  vectors: SparseVector[];
  targets: Int32Array;
  tokenLists: string[][];
  sentenceVectors: readonly Float32Array[] | null;
  features: number;
  classes: number;
}

type Settings = { epochs: number; l2: number; seed: number };

export function trainTextClassifier(
  examples: LabelledText[],
  options: TrainTextClassifierOptions = {},
): TextClassifier {
  const settings: Settings = {
    epochs: options.epochs ?? DEFAULTS.epochs,
    l2: options.l2 ?? DEFAULTS.l2,
    seed: options.seed ?? DEFAULTS.seed,
  };
  const outOfScopeShare = options.outOfScopeShare ?? DEFAULTS.outOfScopeShare;
  if (!(outOfScopeShare >= 0 && outOfScopeShare < 1)) {
    throw new Error('outOfScopeShare must be at least 0 and below 1');
  }
  const sentenceVectors = options.sentences?.vectors ?? null;
  if (sentenceVectors && sentenceVectors.length !== examples.length) {
    throw new Error('Training needs one sentence vector per example');
  }
  const labels = [...new Set(examples.map((example) => example.label))].sort();
  if (labels.length === 0) throw new Error('Training needs examples of at least one label');
  const classes = labels.length;
  const classOf = new Map(labels.map((label, index) => [label, index]));
  const targets = Int32Array.from(examples, (e) => classOf.get(e.label)!);
  const texts = examples.map((example) => example.text);

  const keyLists = texts.map(extractKeys);
  const vocabulary = buildVocabulary(keyLists, examples.length >= MIN_DF_FROM_EXAMPLES ? 2 : 1);
  const vectors = keyLists.map((keys) => vectorize(keys, vocabulary));
  let neighbourWeight = options.neighbourWeight;
  if (neighbourWeight !== undefined && !(neighbourWeight >= 0)) {
    throw new Error('neighbourWeight must be a number ≥ 0');
  }
  const tokenLists =
    neighbourWeight === 0 ? [] : texts.map((text) => neighbourTokens(text, loadWordVectors()));
  const data: TrainingData = {
    labels,
    vectors,
    targets,
    tokenLists,
    sentenceVectors,
    features: vocabulary.idf.length,
    classes,
  };

  let temperature = 1;
  const threshold = options.threshold ?? 0;
  let scoreThreshold: number | null = null;
  let sentenceCalibration = { ...DEFAULT_SENTENCE_WEIGHTS, temperature: 1, novelty: NEVER_NOVEL };
  const rounds = holdOut(texts, targets, classes, options.validationShare);
  if (rounds) {
    const { inScope, unseen } = validationScores(data, rounds, settings, neighbourWeight !== 0);
    if (neighbourWeight !== 0) {
      neighbourWeight ??= chooseNeighbourWeight(inScope.scores, inScope.neighbourRows);
      for (const rows of [inScope, unseen])
        addRows(rows.scores, rows.neighbourRows, neighbourWeight);
    }
    temperature = fitTemperature(inScope.scores);
    if (options.threshold === undefined) {
      const learnt = chooseScoreThreshold(inScope.scores, unseen.scores, outOfScopeShare);
      scoreThreshold = Number.isFinite(learnt) ? learnt : null;
    }
    if (sentenceVectors) {
      sentenceCalibration = calibrateSentences(inScope, unseen, outOfScopeShare);
    }
  }
  neighbourWeight ??= DEFAULT_NEIGHBOUR_WEIGHT;
  const model = fitSoftmax(vectors, targets, data.features, classes, settings);
  // Serve the weights as they will be stored, so a reloaded model predicts exactly the same.
  model.weights = dequantizeWeights(quantizeWeights(model));
  const neighbours =
    neighbourWeight > 0
      ? { weight: neighbourWeight, memory: buildMemory(tokenLists, targets) }
      : null;
  let sentences: SentenceParts | null = null;
  if (options.sentences && sentenceVectors) {
    const sentenceModel = fitSentenceModel(sentenceVectors, targets, classes, settings);
    sentenceModel.weights = dequantizeWeights(quantizeWeights(sentenceModel));
    sentences = {
      encoder: options.sentences.encoder,
      model: sentenceModel,
      ...sentenceCalibration,
      memory: buildSentenceMemory(sentenceVectors, targets),
    };
  }
  return createClassifier({
    labels,
    declineClass: false,
    threshold,
    scoreThreshold,
    temperature,
    vocabulary,
    model,
    neighbours,
    sentences,
  });
}

/** Scores of held-out examples by probes that did not train on them. */
interface ScoredRows {
  /** The word model's logits (neighbour scores added by the caller). */
  scores: ValidationScores;
  /** Their nearest-example scores in word-vector space. */
  neighbourRows: Float64Array[];
  /** With sentence vectors: the sentence regression's logits and the nearest-example cosines. */
  sentenceModelRows: Float64Array[];
  nearestRows: Float64Array[];
  /** The labels whose nearest examples were looked up, per example. */
  nearestCandidateLists: number[][];
}

interface Validation {
  /** Held-out examples of the labels their probe knew. */
  inScope: ScoredRows;
  /**
   * Examples of labels their probe never saw: stand-ins for messages no label fits, scored as a
   * prediction would score them (the unseen labels take no part).
   */
  unseen: ScoredRows;
}

function emptyRows(): ScoredRows {
  return {
    scores: { logits: [], targets: new Int32Array(0) },
    neighbourRows: [],
    sentenceModelRows: [],
    nearestRows: [],
    nearestCandidateLists: [],
  };
}

const LABEL_GROUPS = 5;
const LABEL_GROUP_SEED = 0x27d4eb2f;

/**
 * Scores of held-out examples by probes trained on the rest. Each round's probe also never sees
 * one group of labels (a fifth of them, by a hash of their name): their examples stand in for
 * messages no label fits, close to the desk's topics as the hardest of those are.
 */
function validationScores(
  data: TrainingData,
  { rounds, roundOf }: { rounds: number; roundOf: Int32Array },
  settings: Settings,
  withNeighbours: boolean,
): Validation {
  const validation: Validation = { inScope: emptyRows(), unseen: emptyRows() };
  const targetsOf = { inScope: [] as number[], unseen: [] as number[] };
  const groupOf = labelGroups(data.labels);
  for (let round = 0; round < rounds; round++) {
    const unseenGroup = data.classes >= 2 ? round % LABEL_GROUPS : -1;
    const trainIndexes: number[] = [];
    const heldIndexes: number[] = [];
    const unseenIndexes: number[] = [];
    for (let i = 0; i < roundOf.length; i++) {
      if (groupOf[data.targets[i]!] === unseenGroup) unseenIndexes.push(i);
      else (roundOf[i] === round ? heldIndexes : trainIndexes).push(i);
    }
    const trainTargets = Int32Array.from(trainIndexes, (i) => data.targets[i]!);
    const probe = fitSoftmax(
      trainIndexes.map((i) => data.vectors[i]!),
      trainTargets,
      data.features,
      data.classes,
      settings,
    );
    const probeIndex = withNeighbours
      ? createNeighbourIndex(
          buildMemory(
            trainIndexes.map((i) => data.tokenLists[i]!),
            trainTargets,
          ),
          data.classes,
          loadWordVectors(),
        )
      : null;
    const sentenceVectors = data.sentenceVectors;
    const sentenceProbe = sentenceVectors && {
      model: fitSentenceModel(
        trainIndexes.map((i) => sentenceVectors[i]!),
        trainTargets,
        data.classes,
        settings,
      ),
      index: createSentenceIndex(
        buildSentenceMemory(
          trainIndexes.map((i) => sentenceVectors[i]!),
          trainTargets,
        ),
        data.classes,
      ),
    };
    const scoreRows = (rows: ScoredRows, indexes: number[], targets: number[]) => {
      for (const i of indexes) {
        const logits = new Float64Array(data.classes);
        computeScores(probe, data.vectors[i]!, logits);
        for (let c = 0; c < data.classes; c++) {
          if (groupOf[c] === unseenGroup) logits[c] = Number.NEGATIVE_INFINITY;
        }
        rows.scores.logits.push(logits);
        targets.push(data.targets[i]!);
        if (probeIndex) {
          const row = new Float64Array(data.classes);
          neighbourScores(
            probeIndex,
            data.tokenLists[i]!,
            candidateClasses(logits, data.classes),
            row,
          );
          rows.neighbourRows.push(row);
        }
        if (sentenceVectors && sentenceProbe) {
          const modelRow = new Float64Array(data.classes);
          computeScores(sentenceProbe.model, toDense(sentenceVectors[i]!), modelRow);
          rows.sentenceModelRows.push(modelRow);
          const candidates = nearestCandidates(logits);
          const nearestRow = new Float64Array(data.classes);
          nearestScores(sentenceProbe.index, sentenceVectors[i]!, candidates, nearestRow);
          rows.nearestRows.push(nearestRow);
          rows.nearestCandidateLists.push(candidates);
        }
      }
    };
    scoreRows(validation.inScope, heldIndexes, targetsOf.inScope);
    scoreRows(validation.unseen, unseenIndexes, targetsOf.unseen);
  }
  validation.inScope.scores.targets = Int32Array.from(targetsOf.inScope);
  validation.unseen.scores.targets = Int32Array.from(targetsOf.unseen);
  return validation;
}

/** Each class's label group, dealt in the order of a hash of the label. */
function labelGroups(labels: readonly string[]): Int32Array {
  const order = labels
    .map((label, c) => ({ c, hash: hashString(label, LABEL_GROUP_SEED) }))
    .sort((a, b) => a.hash - b.hash || a.c - b.c);
  const groupOf = new Int32Array(labels.length);
  order.forEach(({ c }, k) => {
    groupOf[c] = k % LABEL_GROUPS;
  });
  return groupOf;
}

/**
 * The sentence weights, the temperature with them, and the novelty threshold: how far a message
 * is from its nearest example among the labels a prediction looks up (the word model's best).
 */
function calibrateSentences(inScope: ScoredRows, unseen: ScoredRows, outOfScopeShare: number) {
  const weights = chooseSentenceWeights(
    inScope.scores,
    inScope.sentenceModelRows,
    inScope.nearestRows,
  );
  const combined: ValidationScores = {
    logits: inScope.scores.logits.map((row) => row.slice()),
    targets: inScope.scores.targets,
  };
  addRows(combined, inScope.sentenceModelRows, weights.modelWeight);
  addRows(combined, inScope.nearestRows, weights.nearestWeight);
  const novelty = (rows: ScoredRows) =>
    rows.nearestCandidateLists.map((candidates, i) =>
      Math.max(...candidates.map((c) => rows.nearestRows[i]![c]!)),
    );
  const inScopeNovelty = novelty(inScope);
  const temperature = fitTemperature(combined);
  return {
    ...weights,
    temperature,
    novelty: chooseDeclineThreshold(
      topConfidences(combined, temperature).map(({ top }, i) => ({
        score: inScopeNovelty[i]!,
        right: top === combined.targets[i],
      })),
      novelty(unseen),
      outOfScopeShare,
    ),
  };
}

/** Adds weight × each extra row to the logits. */
function addRows(scores: ValidationScores, rows: readonly Float64Array[], weight: number): void {
  if (weight === 0) return;
  scores.logits.forEach((row, k) => {
    const extra = rows[k]!;
    for (let c = 0; c < row.length; c++) row[c]! += weight * extra[c]!;
  });
}

/**
 * The calibration rounds for these examples, or null when too few could be held out: one
 * held-out share when there are plenty, else every example once over several rounds.
 */
function holdOut(
  texts: string[],
  targets: Int32Array,
  classes: number,
  validationShare = DEFAULTS.validationShare,
): { rounds: number; roundOf: Int32Array } | null {
  const rounds = texts.length < CROSS_FIT_BELOW ? CROSS_FIT_ROUNDS : 1;
  const roundOf = assignValidationRounds(texts, targets, classes, {
    rounds,
    share: validationShare,
  });
  const count = roundOf.reduce((sum, round) => sum + (round >= 0 ? 1 : 0), 0);
  return count >= MIN_VALIDATION ? { rounds, roundOf } : null;
}
