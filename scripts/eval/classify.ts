import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseExamplesJsonl } from '@/lib/classify/classifier-store';
import {
  assignFolds,
  type ClassificationMetrics,
  type ScoredPrediction,
  scorePredictions,
  splitTrainTest,
} from '@/lib/classify/evaluate';
import { type LabelledText, trainTextClassifier } from '@/lib/classify/text-classifier';
import { localSentenceEncoder } from '@/lib/text/sentence-encoder';

export interface ClassifyEvalArgs {
  train: string;
  /** A separate test file; omitted (or the train file itself): cross-validate on the train file. */
  test?: string;
  json: boolean;
  /**
   * Folds of the cross-validation on the train file (default 5); 0 or 1 instead tests once on
   * its fixed 20 % part, training on the rest.
   */
  folds?: number;
  /**
   * Labels that mean "none of these" (default CLINC150's `oos`): their rows never train, and in
   * the test they are out of scope, as is any label the training rows lack.
   */
  excludeLabels?: readonly string[];
  /** The local sentence encoder beside the word features ('none' by default). */
  encoder?: 'none' | 'use-lite';
}

export interface ClassifyEvalResult {
  task: 'classify';
  n: number;
  /** Out-of-scope rows count as right when declined. */
  accuracy: number;
  macro_f1: number;
  oos_recall: number | null;
  /** Accuracy on the rows a label fits; a declined one counts as wrong. */
  in_scope_accuracy: number | null;
  /** Share of the rows a label fits that were declined. */
  declined_in_scope: number | null;
  /** Classifying one message, its sentence vector included (encoded in batches here). */
  ms_per_item: number;
  /** Of which encoding the message (0 without an encoder; alone, one message costs more). */
  encode_ms_per_item: number;
  encoder: string;
  /** Folds the figures are pooled over; 1: one fixed split or a separate test file. */
  folds: number;
  /**
   * The fixed 20 % test part alone (the last fold of 5): what a single development split shows,
   * beside the cross-validated figures. Absent with a separate test file.
   */
  dev_split?: Figures;
  train_seconds: number;
}

type Figures = Pick<
  ClassifyEvalResult,
  'n' | 'accuracy' | 'macro_f1' | 'oos_recall' | 'in_scope_accuracy' | 'declined_in_scope'
>;

const DEFAULT_FOLDS = 5;
const FIXED_SPLIT_FOLDS = 5;
const DEFAULT_EXCLUDED = ['oos'];

/** Reads labelled rows the way an admin's JSONL import is read. */
async function readLabelledJsonl(file: string): Promise<LabelledText[]> {
  return parseExamplesJsonl(await readFile(file, 'utf8'), file);
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function figuresOf(metrics: ClassificationMetrics): Figures {
  const rounded = (value: number | null) => (value === null ? null : round(value, 4));
  return {
    n: metrics.n,
    accuracy: round(metrics.accuracy, 4),
    macro_f1: round(metrics.macroF1, 4),
    oos_recall: rounded(metrics.oosRecall),
    in_scope_accuracy: rounded(metrics.inScopeAccuracy),
    declined_in_scope: rounded(metrics.declinedInScope),
  };
}

interface Run {
  predictions: ScoredPrediction[];
  known: Set<string>;
  trainMs: number;
  predictMs: number;
  thresholds: number[];
}

/** Sentence vectors by text, from one encoder. */
interface EncodedTexts {
  encoder: string;
  vectors: Map<string, Float32Array>;
  msPerText: number;
}

async function encodeTexts(texts: readonly string[]): Promise<EncodedTexts> {
  const encoder = localSentenceEncoder();
  const unique = [...new Set(texts)];
  await encoder.encode(['warm-up']);
  const start = performance.now();
  const vectors = await encoder.encode(unique);
  return {
    encoder: encoder.id,
    vectors: new Map(unique.map((text, i) => [text, vectors[i]!])),
    msPerText: (performance.now() - start) / Math.max(unique.length, 1),
  };
}

/** Trains Tandem's classifier the way the product does (no "none of these" rows) and tests it. */
function trainAndTest(
  train: LabelledText[],
  test: LabelledText[],
  excluded: Set<string>,
  encoded: EncodedTexts | null,
): Run {
  const examples = train.filter((row) => !excluded.has(row.label));
  const vectorOf = (text: string) => encoded?.vectors.get(text);
  const trainStart = performance.now();
  const classifier = trainTextClassifier(examples, {
    ...(encoded && {
      sentences: { encoder: encoded.encoder, vectors: examples.map((row) => vectorOf(row.text)!) },
    }),
  });
  const trainMs = performance.now() - trainStart;
  const predictStart = performance.now();
  const predictions = test.map((row) => ({
    expected: row.label,
    predicted: classifier.predict(row.text, vectorOf(row.text)).label,
  }));
  return {
    predictions,
    known: new Set(classifier.labels),
    trainMs,
    predictMs: performance.now() - predictStart,
    thresholds: [classifier.noveltyThreshold ?? classifier.scoreThreshold ?? classifier.threshold],
  };
}

function pool(runs: Run[]): Run {
  return {
    predictions: runs.flatMap((run) => run.predictions),
    known: new Set(runs.flatMap((run) => [...run.known])),
    trainMs: runs.reduce((sum, run) => sum + run.trainMs, 0),
    predictMs: runs.reduce((sum, run) => sum + run.predictMs, 0),
    thresholds: runs.flatMap((run) => run.thresholds),
  };
}

/**
 * Scores Tandem's classifier on labelled rows: cross-validated on the train file by default (each
 * fold's classifier trains, and learns when to decline, on the other folds alone), or trained on
 * the train file and tested on a separate one.
 */
export async function runClassifyEval(args: ClassifyEvalArgs): Promise<ClassifyEvalResult> {
  const rows = await readLabelledJsonl(args.train);
  const excluded = new Set(args.excludeLabels ?? DEFAULT_EXCLUDED);
  const separateTest = args.test !== undefined && resolve(args.test) !== resolve(args.train);
  const folds = separateTest ? 1 : Math.max(1, Math.floor(args.folds ?? DEFAULT_FOLDS));
  if (rows.length === 0) throw new Error('Nothing to train on or to test');

  const test = separateTest ? await readLabelledJsonl(args.test!) : [];
  if (separateTest && test.length === 0) throw new Error('Nothing to test');
  const encoded =
    args.encoder === 'use-lite'
      ? await encodeTexts([...rows, ...test].map((row) => row.text))
      : null;

  let run: Run;
  let devSplit: Run | undefined;
  let source: string;
  if (separateTest) {
    run = trainAndTest(rows, test, excluded, encoded);
    source = `train ${args.train} (${rows.length}), test ${args.test} (${test.length})`;
  } else if (folds >= 2) {
    const foldOf = assignFolds(rows, folds);
    const runs: Run[] = [];
    for (let fold = 0; fold < folds; fold++) {
      const train = rows.filter((_, i) => foldOf[i] !== fold);
      const test = rows.filter((_, i) => foldOf[i] === fold);
      runs.push(trainAndTest(train, test, excluded, encoded));
      if (!args.json) process.stderr.write(`  fold ${fold + 1}/${folds} done\n`);
    }
    run = pool(runs);
    // With five folds the last is the fixed 20 % part a single split tests on.
    if (folds === FIXED_SPLIT_FOLDS) devSplit = runs[folds - 1];
    source = `${args.train}: ${folds}-fold cross-validation over ${rows.length} rows`;
  } else {
    const { train, test } = splitTrainTest(rows, 1 - 1 / FIXED_SPLIT_FOLDS);
    run = trainAndTest(train, test, excluded, encoded);
    source = `${args.train}: fixed 80 % split, train ${train.length}, test ${test.length}`;
  }

  const figures = figuresOf(scorePredictions(run.predictions, run.known));
  const encodeMs = encoded?.msPerText ?? 0;
  const msPerItem = run.predictMs / run.predictions.length + encodeMs;
  const result: ClassifyEvalResult = {
    task: 'classify',
    ...figures,
    ms_per_item: round(msPerItem, 4),
    encode_ms_per_item: round(encodeMs, 4),
    encoder: encoded?.encoder ?? 'none',
    folds,
    ...(devSplit && {
      dev_split: figuresOf(scorePredictions(devSplit.predictions, devSplit.known)),
    }),
    train_seconds: round(run.trainMs / 1000 / folds, 1),
  };

  const format = (value: number | null, none: string) => (value === null ? none : value.toFixed(4));
  // n/a: no rows of that kind (oos recall without out-of-scope test rows).
  const line = (name: string, pick: (f: Figures) => number | null) =>
    `  ${name.padEnd(18)}${format(pick(figures), 'n/a').padEnd(10)}${
      result.dev_split ? format(pick(result.dev_split), 'n/a') : ''
    }`;
  console.log(`classify — ${source}; rows labelled ${[...excluded].join(', ')} never train`);
  console.log(`  labels            ${run.known.size}`);
  if (result.dev_split) console.log(`  ${''.padEnd(18)}${'CV'.padEnd(10)}fixed 20 % split`);
  console.log(line('accuracy', (f) => f.accuracy));
  console.log(line('in-scope accuracy', (f) => f.in_scope_accuracy));
  console.log(line('oos recall', (f) => f.oos_recall));
  console.log(line('in-scope declined', (f) => f.declined_in_scope));
  console.log(line('macro-F1', (f) => f.macro_f1));
  const thresholds = run.thresholds.map((t) => t.toFixed(3)).join(', ');
  const declineScore = encoded ? 'cosine to the nearest example' : 'top score (logit)';
  console.log(
    `  decline below     ${thresholds} (${declineScore}; learnt from in-scope rows only)`,
  );
  console.log(`  train time        ${result.train_seconds.toFixed(1)} s per model`);
  console.log(
    `  speed             ${result.ms_per_item.toFixed(4)} ms/item (${Math.round(1000 / msPerItem)} items/s)${
      encoded ? `, of which ${encodeMs.toFixed(2)} ms encoding with ${encoded.encoder}` : ''
    }`,
  );
  if (args.json) console.log(JSON.stringify(result));
  return result;
}
