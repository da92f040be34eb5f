import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseExamplesJsonl } from '@/lib/classify/classifier-store';
import { scorePredictions, splitTrainTest } from '@/lib/classify/evaluate';
import { type LabelledText, trainTextClassifier } from '@/lib/classify/text-classifier';

export interface ClassifyEvalArgs {
  train: string;
  /** Omitted, or the train file itself: test on a fixed hold-out of the train file. */
  test?: string;
  json: boolean;
  /** Share of the train file that trains when there is no separate test file. */
  split?: number;
}

export interface ClassifyEvalResult {
  task: 'classify';
  n: number;
  accuracy: number;
  macro_f1: number;
  oos_recall: number | null;
  ms_per_item: number;
}

/**
 * Training rows with this label (CLINC150's convention) teach the classifier what to decline
 * instead of becoming a label; test rows with it, like any label unseen in training, are out of
 * scope, and declining them is right.
 */
const OUT_OF_SCOPE_LABEL = 'oos';

/** Reads labelled rows the way an admin's JSONL import is read. */
async function readLabelledJsonl(file: string): Promise<LabelledText[]> {
  return parseExamplesJsonl(await readFile(file, 'utf8'), file);
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** Trains Tandem's classifier the way the product does, then scores it on the test rows. */
export async function runClassifyEval(args: ClassifyEvalArgs): Promise<ClassifyEvalResult> {
  const rows = await readLabelledJsonl(args.train);
  const separateTest = args.test !== undefined && resolve(args.test) !== resolve(args.train);
  const { train, test } = separateTest
    ? { train: rows, test: await readLabelledJsonl(args.test!) }
    : splitTrainTest(rows, args.split ?? 0.8);
  if (train.length === 0 || test.length === 0) throw new Error('Nothing to train on or to test');

  const trainStart = performance.now();
  const classifier = trainTextClassifier(train, { declineLabel: OUT_OF_SCOPE_LABEL });
  const trainSeconds = (performance.now() - trainStart) / 1000;

  const predictStart = performance.now();
  const predicted = test.map((row) => classifier.predict(row.text).label);
  const msPerItem = (performance.now() - predictStart) / test.length;

  const metrics = scorePredictions(
    test.map((row, i) => ({ expected: row.label, predicted: predicted[i]! })),
    classifier.labels,
  );
  const result: ClassifyEvalResult = {
    task: 'classify',
    n: metrics.n,
    accuracy: round(metrics.accuracy, 4),
    macro_f1: round(metrics.macroF1, 4),
    oos_recall: metrics.oosRecall === null ? null : round(metrics.oosRecall, 4),
    ms_per_item: round(msPerItem, 4),
  };

  const source = separateTest
    ? `train ${args.train} (${train.length}), test ${args.test} (${test.length})`
    : `${args.train}: fixed ${Math.round((args.split ?? 0.8) * 100)} % split, train ${train.length}, test ${test.length}`;
  console.log(`classify — ${source}`);
  console.log(`  labels        ${classifier.labels.length}`);
  console.log(`  accuracy      ${result.accuracy.toFixed(4)}`);
  console.log(`  macro-F1      ${result.macro_f1.toFixed(4)}`);
  console.log(
    `  oos recall    ${result.oos_recall === null ? 'n/a (no out-of-scope test rows)' : result.oos_recall.toFixed(4)}`,
  );
  console.log(`  threshold     ${classifier.threshold.toFixed(3)}`);
  console.log(`  train time    ${trainSeconds.toFixed(1)} s`);
  console.log(
    `  speed         ${result.ms_per_item.toFixed(4)} ms/item (${Math.round(1000 / msPerItem)} items/s)`,
  );
  if (args.json) console.log(JSON.stringify(result));
  return result;
}
