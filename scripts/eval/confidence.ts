import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@/db/client';
import { type Article, hashText, parseArticle } from '@/lib/kb/article';
import {
  CONFIDENCE_FEATURES,
  type ConfidenceFeatures,
  estimateConfidence,
} from '@/lib/kb/confidence';
import { createOfflineEmbedder } from '@/lib/kb/embedding';
import { createKnowledgeBase } from '@/lib/kb/knowledge-base';
import type { KnowledgeBase } from '@/lib/kb/types';
import { createVectorStore } from '@/lib/kb/vector-store';

export interface ConfidenceFitArgs {
  /** Folder holding retrieval/<set>/{corpus,queries.dev}.jsonl and classify/clinc150.train.jsonl. */
  data: string;
  /** Folder of the demo help center's Markdown articles. */
  demo: string;
  json: boolean;
}

interface Row {
  features: ConfidenceFeatures;
  label: 0 | 1;
  /** The set whose question this is: cross-validation holds out one set at a time. */
  group: string;
}

interface Query {
  query: string;
  relevant: Set<string>;
}

const SETS = ['stackfaq', 'bitext-faq', 'afqmc-zh'] as const;
/** As many passages as a customer's answer is grounded in (lib/turn). */
const ANSWER_PASSAGES = 4;
/** Every n-th question of a set is also asked of the other knowledge bases. */
const CROSS_EVERY = 3;
const L2_CHOICES = [0.1, 1, 10, 30, 100];
const HAN = /\p{Script=Han}/u;

/**
 * Refits the relevance confidence: every development question against its own corpus (label:
 * a relevant document is among the passages an answer would use) and a third of them against
 * the other corpora and the demo help center, with CLINC150's out-of-scope questions against
 * all of them (label 0). Logistic regression with L2; the L2 strength is chosen by leaving one
 * question set out at a time, and the held-out figures are reported beside the weights.
 */
export async function runConfidenceFit(args: ConfidenceFitArgs): Promise<void> {
  const questions = new Map<string, Query[]>();
  for (const set of SETS) {
    const rows = await readJsonl(path.join(args.data, 'retrieval', set, 'queries.dev.jsonl'));
    questions.set(
      set,
      rows.map((r) => ({ query: String(r.query), relevant: new Set(r.relevant_ids as string[]) })),
    );
  }
  const clinc = await readJsonl(path.join(args.data, 'classify', 'clinc150.train.jsonl'));
  questions.set(
    'clinc-oos',
    clinc
      .filter((r) => r.label === 'oos')
      .map((r) => ({ query: String(r.text), relevant: new Set<string>() })),
  );

  const corpora: { name: string; articles: Article[]; ids: Map<string, string> }[] = [];
  for (const set of SETS) {
    const rows = await readJsonl(path.join(args.data, 'retrieval', set, 'corpus.jsonl'));
    const ids = new Map<string, string>();
    const articles = rows.map((r, i) => {
      const slug = `doc-${i}`;
      ids.set(slug, String(r.id));
      const title = String(r.title ?? '');
      const body = String(r.text);
      return {
        title,
        slug,
        body,
        language: HAN.test(body) ? 'zh' : 'en',
        contentHash: hashText(`${title}\n${body}`),
        sourceType: 'text' as const,
      };
    });
    corpora.push({ name: set, articles, ids });
  }
  const demoFiles = (await readdir(args.demo)).filter((f) => f.endsWith('.md')).sort();
  corpora.push({
    name: 'demo',
    ids: new Map(),
    articles: await Promise.all(
      demoFiles.map(async (f) => parseArticle(await readFile(path.join(args.demo, f), 'utf8'), f)),
    ),
  });

  const rows: Row[] = [];
  for (const corpus of corpora) {
    const names = namesUnknownTo(corpus.articles, questions, corpus.name);
    await withKnowledgeBase(corpus.articles, async (kb) => {
      const ask = async (query: string, relevant: Set<string>, own: boolean, group: string) => {
        const { passages, signals } = await kb.retrieve(query, { limit: ANSWER_PASSAGES });
        if (!signals) return;
        const answered = own && passages.some((p) => relevant.has(corpus.ids.get(p.slug) ?? ''));
        rows.push({ features: signals, label: answered ? 1 : 0, group });
      };
      for (const [group, list] of questions) {
        const own = group === corpus.name;
        const asked =
          own || group === 'clinc-oos' ? list : list.filter((_, i) => i % CROSS_EVERY === 0);
        for (const [i, { query, relevant }] of asked.entries()) {
          await ask(query, relevant, own, group);
          // Customers name things no article mentions (a product, a place, a brand) in questions
          // the articles still answer; the sets rarely do. Each answerable question is asked
          // again with one such word, so a word the help center never uses is not mistaken for
          // a question about something else.
          if (own && names.length > 0) {
            await ask(`${query} ${names[i % names.length]}`, relevant, own, group);
          }
        }
      }
    });
    console.log(`  asked ${corpus.name}: ${rows.length} rows so far`);
  }

  const groups = [...new Set(rows.map((r) => r.group))];
  const shipped = rows.map((r) => ({ p: estimateConfidence(r.features), label: r.label }));
  console.log(
    `  shipped weights: log-loss ${meanLogLoss(shipped).toFixed(4)}, AUC ${auc(shipped).toFixed(4)}, accuracy at 0.35 ${accuracyAt(shipped, 0.35).toFixed(4)}`,
  );
  let best: { l2: number; logLoss: number } | null = null;
  console.log(`confidence — ${rows.length} rows, ${rows.filter((r) => r.label).length} answerable`);
  for (const l2 of L2_CHOICES) {
    const heldOut: { p: number; label: number }[] = [];
    for (const group of groups) {
      const weights = fitLogistic(
        rows.filter((r) => r.group !== group),
        l2,
      );
      for (const r of rows.filter((row) => row.group === group))
        heldOut.push({ p: predict(weights, r.features), label: r.label });
    }
    const logLoss = meanLogLoss(heldOut);
    console.log(
      `  L2 ${l2}: held-out log-loss ${logLoss.toFixed(4)}, AUC ${auc(heldOut).toFixed(4)}, accuracy at 0.35 ${accuracyAt(heldOut, 0.35).toFixed(4)}`,
    );
    if (!best || logLoss < best.logLoss) best = { l2, logLoss };
  }
  const weights = fitLogistic(rows, best!.l2);
  const fitted = predictAll(weights, rows);
  const named = {
    bias: round(weights[0]!),
    ...Object.fromEntries(CONFIDENCE_FEATURES.map((k, i) => [k, round(weights[i + 1]!)])),
  };
  console.log(
    `  chosen L2 ${best!.l2}; on all rows: log-loss ${meanLogLoss(fitted).toFixed(4)}, AUC ${auc(fitted).toFixed(4)}`,
  );
  console.log(`  weights ${JSON.stringify(named)}`);
  if (args.json) {
    console.log(
      JSON.stringify({
        task: 'confidence',
        n: rows.length,
        l2: best!.l2,
        cv_log_loss: round(best!.logLoss),
        weights: named,
      }),
    );
  }
}

/**
 * English words of the other sets' questions that never occur in this corpus: the stand-ins for
 * names the help center does not use. None for a Chinese corpus.
 */
function namesUnknownTo(articles: Article[], questions: Map<string, Query[]>, own: string) {
  const text = articles.map((a) => `${a.title}\n${a.body}`.toLowerCase()).join('\n');
  if (HAN.test(text)) return [];
  const names = new Set<string>();
  for (const [group, list] of questions) {
    if (group === own) continue;
    for (const { query } of list) {
      for (const word of query.toLowerCase().match(/\b[a-z]{5,}\b/g) ?? []) {
        if (!text.includes(word)) names.add(word);
      }
    }
  }
  return [...names].sort();
}

async function withKnowledgeBase(articles: Article[], use: (kb: KnowledgeBase) => Promise<void>) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tandem-confidence-'));
  const handle = await openDatabase({ driver: 'pglite', dataDir });
  try {
    await handle.migrate();
    const vectors = await createVectorStore({ kind: 'auto' }, { db: handle.db, embedded: true });
    const kb = createKnowledgeBase({ db: handle.db, vectors, embedder: createOfflineEmbedder() });
    for (const article of articles) await kb.indexArticle(article);
    await use(kb);
  } finally {
    await handle.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function readJsonl(file: string): Promise<Record<string, unknown>[]> {
  const source = await readFile(file, 'utf8');
  return source
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const vectorOf = (f: ConfidenceFeatures) => [1, ...CONFIDENCE_FEATURES.map((k) => f[k])];

function predict(weights: number[], features: ConfidenceFeatures): number {
  const x = vectorOf(features);
  let z = 0;
  for (let i = 0; i < x.length; i++) z += weights[i]! * x[i]!;
  return 1 / (1 + Math.exp(-z));
}

const predictAll = (weights: number[], rows: Row[]) =>
  rows.map((r) => ({ p: predict(weights, r.features), label: r.label }));

/**
 * Logistic regression by Newton's method (iteratively reweighted least squares), with an L2
 * penalty on every weight but the bias; each question set weighs the same in total, so the
 * largest set does not decide the calibration alone.
 */
function fitLogistic(rows: Row[], l2: number): number[] {
  const d = CONFIDENCE_FEATURES.length + 1;
  const perGroup = new Map<string, number>();
  for (const r of rows) perGroup.set(r.group, (perGroup.get(r.group) ?? 0) + 1);
  const weightOf = (r: Row) => rows.length / perGroup.size / perGroup.get(r.group)!;
  let w = new Array<number>(d).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Array<number>(d).fill(0);
    const hessian = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const r of rows) {
      const x = vectorOf(r.features);
      const p = predict(w, r.features);
      const s = weightOf(r);
      for (let i = 0; i < d; i++) {
        gradient[i]! += s * (p - r.label) * x[i]!;
        for (let j = 0; j < d; j++) hessian[i]![j]! += s * p * (1 - p) * x[i]! * x[j]!;
      }
    }
    for (let i = 1; i < d; i++) {
      gradient[i]! += l2 * w[i]!;
      hessian[i]![i]! += l2;
    }
    const step = solve(hessian, gradient);
    w = w.map((value, i) => value - step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-6) break;
  }
  return w;
}

/** Solves A x = b by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const diagonal = m[col]![col]! || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = m[r]![col]! / diagonal;
      for (let c = col; c <= n; c++) m[r]![c]! -= factor * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / (row[i]! || 1e-12));
}

function meanLogLoss(predictions: { p: number; label: number }[]): number {
  const eps = 1e-9;
  let sum = 0;
  for (const { p, label } of predictions)
    sum -= label ? Math.log(Math.max(p, eps)) : Math.log(Math.max(1 - p, eps));
  return sum / Math.max(1, predictions.length);
}

function accuracyAt(predictions: { p: number; label: number }[], threshold: number): number {
  const right = predictions.filter(({ p, label }) => (p >= threshold ? 1 : 0) === label).length;
  return right / Math.max(1, predictions.length);
}

/** Area under the ROC curve: the chance a random answerable row scores above an unanswerable one. */
function auc(predictions: { p: number; label: number }[]): number {
  const sorted = [...predictions].sort((a, b) => a.p - b.p);
  let rankSum = 0;
  let positives = 0;
  sorted.forEach(({ label }, i) => {
    if (label) {
      rankSum += i + 1;
      positives++;
    }
  });
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const round = (n: number) => Number(n.toFixed(3));
