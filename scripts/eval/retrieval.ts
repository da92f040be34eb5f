import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@/db/client';
import { type Article, hashText } from '@/lib/kb/article';
import {
  createEncoderEmbedder,
  createOfflineEmbedder,
  type TextEmbedder,
} from '@/lib/kb/embedding';
import { createKnowledgeBase } from '@/lib/kb/knowledge-base';
import {
  DEFAULT_RETRIEVAL_SETTINGS,
  RETRIEVAL_SETTING_CHOICES,
  type RetrievalSettings,
} from '@/lib/kb/retrieval-settings';
import type { KnowledgeBase } from '@/lib/kb/types';
import { createVectorStore, type VectorStore } from '@/lib/kb/vector-store';
import { localSentenceEncoder } from '@/lib/text/sentence-encoder';

export interface RetrievalEvalArgs {
  /** JSONL of {"id", "title", "text"}. */
  corpus: string;
  /** JSONL of {"query", "relevant_ids": [...]}. */
  queries: string;
  json: boolean;
  /** Folds of the cross-validation; 0 or 1 skips it. */
  folds?: number;
  /** Settings to measure instead of the shipped defaults (those not named keep their default). */
  settings?: Partial<RetrievalSettings>;
  /** The local sentence encoder beside the built-in embedding ('none' by default). */
  encoder?: 'none' | 'use-lite';
}

interface Figures {
  'hit@1': number;
  'hit@5': number;
  'mrr@10': number;
}

export interface RetrievalEvalResult extends Figures {
  task: 'retrieval';
  n: number;
  ms_per_query: number;
  cpu_ms_per_query: number;
  index_seconds: number;
  vector_store: string;
  embedder: string;
  /**
   * Settings chosen on the training folds, scored on the held-out fold, pooled over folds; and
   * the settings chosen on all queries with their (optimistic) figures.
   */
  cv: (Figures & { folds: number; tuned_on_all: Partial<RetrievalSettings> & Figures }) | null;
}

interface CorpusRow {
  id: string;
  title: string;
  text: string;
}

interface QueryRow {
  query: string;
  relevant_ids: string[];
}

/** Documents ranked per query: enough passages that ten distinct documents come back. */
const PASSAGES_PER_QUERY = 30;
const HAN = /\p{Script=Han}/u;

async function readJsonl<T>(file: string, check: (row: Partial<T>) => boolean, shape: string) {
  const source = await readFile(file, 'utf8');
  return source
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, i) => {
      const row = JSON.parse(line) as Partial<T>;
      if (!check(row)) throw new Error(`${file} line ${i + 1}: expected ${shape}`);
      return row as T;
    });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** A kebab-case slug for a corpus id, unique within the corpus. */
function slugFor(id: string, taken: Set<string>): string {
  const base =
    id
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'document';
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}

/**
 * Ingests a corpus into a throwaway embedded database through the knowledge base's own
 * indexArticle, then asks every query through its own retrieve, and scores the documents it
 * returns (a passage counts for the corpus row it was cut from).
 *
 * The shipped settings are measured as they are (the "dev" figures: they were tuned on these
 * rows). With folds, each setting is also chosen again by coordinate ascent on the other folds'
 * queries and scored on the held-out fold: what tuning on these rows is worth on rows it has
 * not seen.
 */
export async function runRetrievalEval(args: RetrievalEvalArgs): Promise<RetrievalEvalResult> {
  const corpus = await readJsonl<CorpusRow>(
    args.corpus,
    (row) => typeof row.id === 'string' && typeof row.text === 'string',
    '{"id": "...", "title": "...", "text": "..."}',
  );
  const queries = await readJsonl<QueryRow>(
    args.queries,
    (row) => typeof row.query === 'string' && Array.isArray(row.relevant_ids),
    '{"query": "...", "relevant_ids": ["..."]}',
  );
  if (corpus.length === 0 || queries.length === 0) throw new Error('Nothing to index or to ask');

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tandem-eval-'));
  const handle = await openDatabase({ driver: 'pglite', dataDir });
  try {
    await handle.migrate();
    const vectors = await createVectorStore({ kind: 'auto' }, { db: handle.db, embedded: true });
    const embedder =
      args.encoder === 'use-lite'
        ? createEncoderEmbedder(localSentenceEncoder())
        : createOfflineEmbedder();
    const shipped: RetrievalSettings = { ...DEFAULT_RETRIEVAL_SETTINGS, ...args.settings };
    const kb = createKnowledgeBase({ db: handle.db, vectors, embedder, settings: shipped });

    const idBySlug = new Map<string, string>();
    const taken = new Set<string>();
    const indexStart = performance.now();
    for (const row of corpus) {
      const slug = slugFor(row.id, taken);
      idBySlug.set(slug, row.id);
      const title = row.title ?? '';
      const article: Article = {
        title,
        slug,
        body: row.text,
        language: HAN.test(row.text) ? 'zh' : 'en',
        contentHash: hashText(`${title}\n${row.text}`),
        sourceType: 'text',
      };
      await kb.indexArticle(article);
    }
    // The first question builds the in-memory index: index time, not query time.
    await kb.retrieve(queries[0]!.query);
    const indexSeconds = (performance.now() - indexStart) / 1000;

    /** The rank of the first relevant document among the top ten, -1 when none is there. */
    const ranksOf = async (base: KnowledgeBase) => {
      const ranks: number[] = [];
      for (const { query, relevant_ids } of queries) {
        const { passages } = await base.retrieve(query, { limit: PASSAGES_PER_QUERY });
        const ranked = [...new Set(passages.map((p) => idBySlug.get(p.slug)))].slice(0, 10);
        const relevant = new Set(relevant_ids);
        ranks.push(ranked.findIndex((id) => id !== undefined && relevant.has(id)));
      }
      return ranks;
    };

    const queryStart = performance.now();
    const cpuStart = process.cpuUsage();
    const shippedRanks = await ranksOf(kb);
    const msPerQuery = (performance.now() - queryStart) / queries.length;
    // CPU time says what a query costs when other work shares the machine; wall time includes it.
    const cpu = process.cpuUsage(cpuStart);
    const cpuMsPerQuery = (cpu.user + cpu.system) / 1000 / queries.length;
    const all = queries.map((_, i) => i);
    const dev = figuresOf(shippedRanks, all);

    let cv: RetrievalEvalResult['cv'] = null;
    const folds = Math.min(args.folds ?? 0, queries.length);
    if (folds >= 2) {
      // Tuning asks the same questions under many settings: the query's embedding and vector
      // hits do not depend on them, so they are asked once.
      const memoVectors = memoizeSearch(vectors);
      const memoEmbedder = memoizeQueries(embedder);
      const cache = new Map<string, number[]>([[settingsKey(shipped), shippedRanks]]);
      const ranksFor = async (settings: RetrievalSettings) => {
        const key = settingsKey(settings);
        let ranks = cache.get(key);
        if (!ranks) {
          const tuned = createKnowledgeBase({
            db: handle.db,
            vectors: memoVectors,
            embedder: memoEmbedder,
            settings,
          });
          ranks = await ranksOf(tuned);
          cache.set(key, ranks);
        }
        return ranks;
      };
      const foldOf = assignFolds(queries, folds);
      const heldOutRanks: number[] = [];
      const heldOutIndexes: number[] = [];
      for (let fold = 0; fold < folds; fold++) {
        const train = all.filter((i) => foldOf[i] !== fold);
        const test = all.filter((i) => foldOf[i] === fold);
        const chosen = await chooseSettings(shipped, train, ranksFor);
        const ranks = await ranksFor(chosen);
        for (const i of test) {
          heldOutRanks.push(ranks[i]!);
          heldOutIndexes.push(heldOutRanks.length - 1);
        }
      }
      const onAll = await chooseSettings(shipped, all, ranksFor);
      cv = {
        folds,
        ...figuresOf(heldOutRanks, heldOutIndexes),
        tuned_on_all: { ...changedSettings(onAll), ...figuresOf(await ranksFor(onAll), all) },
      };
    }

    const n = queries.length;
    const result: RetrievalEvalResult = {
      task: 'retrieval',
      n,
      ...dev,
      ms_per_query: round(msPerQuery, 3),
      cpu_ms_per_query: round(cpuMsPerQuery, 3),
      index_seconds: round(indexSeconds, 1),
      vector_store: vectors.kind,
      embedder: embedder.id,
      cv,
    };
    const row = (label: string, key: keyof Figures) =>
      console.log(
        `  ${label.padEnd(13)} ${result[key].toFixed(4)}${cv ? `   ${cv[key].toFixed(4)}` : ''}`,
      );
    console.log(`retrieval — corpus ${args.corpus} (${corpus.length}), queries ${args.queries}`);
    if (cv)
      console.log(`  ${''.padEnd(13)} dev      ${cv.folds}-fold CV (settings tuned on the rest)`);
    row('Hit@1', 'hit@1');
    row('Hit@5', 'hit@5');
    row('MRR@10', 'mrr@10');
    console.log(`  n             ${n}`);
    if (cv) {
      const { 'hit@1': h1, 'hit@5': h5, 'mrr@10': mrr, ...chosen } = cv.tuned_on_all;
      console.log(
        `  tuned on all  ${JSON.stringify(chosen)} → Hit@1 ${h1.toFixed(4)}, Hit@5 ${h5.toFixed(4)}, MRR@10 ${mrr.toFixed(4)}`,
      );
    }
    console.log(`  embedding     ${embedder.id}`);
    console.log(`  index time    ${result.index_seconds.toFixed(1)} s (${vectors.kind} vectors)`);
    console.log(
      `  speed         ${result.ms_per_query.toFixed(3)} ms/query (${Math.round(1000 / msPerQuery)} queries/s), ${result.cpu_ms_per_query.toFixed(3)} ms CPU`,
    );
    if (args.json) console.log(JSON.stringify(result));
    return result;
  } finally {
    await handle.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function figuresOf(ranks: readonly number[], indexes: readonly number[]): Figures {
  let hit1 = 0;
  let hit5 = 0;
  let reciprocal = 0;
  for (const i of indexes) {
    const rank = ranks[i]!;
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 5) hit5++;
    if (rank >= 0) reciprocal += 1 / (rank + 1);
  }
  const n = Math.max(1, indexes.length);
  return {
    'hit@1': round(hit1 / n, 4),
    'hit@5': round(hit5 / n, 4),
    'mrr@10': round(reciprocal / n, 4),
  };
}

/** Mean reciprocal rank over some queries: the objective tuning maximises. */
function meanReciprocalRank(ranks: readonly number[], indexes: readonly number[]): number {
  let sum = 0;
  for (const i of indexes) if (ranks[i]! >= 0) sum += 1 / (ranks[i]! + 1);
  return sum / Math.max(1, indexes.length);
}

/** Coordinate ascent over each setting's choices, from the shipped settings, two sweeps. */
async function chooseSettings(
  start: RetrievalSettings,
  indexes: readonly number[],
  ranksFor: (settings: RetrievalSettings) => Promise<number[]>,
): Promise<RetrievalSettings> {
  let best = start;
  let bestScore = meanReciprocalRank(await ranksFor(best), indexes);
  for (let sweep = 0; sweep < 2; sweep++) {
    let improved = false;
    for (const [name, choices] of Object.entries(RETRIEVAL_SETTING_CHOICES)) {
      for (const value of choices) {
        const candidate = { ...best, [name]: value };
        const score = meanReciprocalRank(await ranksFor(candidate), indexes);
        // A change must beat the current choice clearly, not by a tie's noise.
        if (score > bestScore + 1e-4) {
          best = candidate;
          bestScore = score;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return best;
}

/** Deterministic folds: queries in the order of a hash of their text, dealt round-robin. */
function assignFolds(queries: readonly QueryRow[], folds: number): number[] {
  const order = queries
    .map((row, i) => ({ i, key: hashText(`${i}\n${row.query}`) }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const foldOf = new Array<number>(queries.length);
  order.forEach(({ i }, position) => {
    foldOf[i] = position % folds;
  });
  return foldOf;
}

const settingsKey = (settings: RetrievalSettings) =>
  JSON.stringify(
    Object.keys(DEFAULT_RETRIEVAL_SETTINGS).map((k) => settings[k as keyof RetrievalSettings]),
  );

function changedSettings(settings: RetrievalSettings): Partial<RetrievalSettings> {
  return Object.fromEntries(
    Object.entries(settings).filter(
      ([key, value]) => DEFAULT_RETRIEVAL_SETTINGS[key as keyof RetrievalSettings] !== value,
    ),
  );
}

function memoizeSearch(store: VectorStore): VectorStore {
  const seen = new Map<string, ReturnType<VectorStore['search']>>();
  return {
    kind: store.kind,
    ensureReady: (dimensions) => store.ensureReady(dimensions),
    upsert: (points) => store.upsert(points),
    deleteByDocument: (documentId) => store.deleteByDocument(documentId),
    count: () => store.count(),
    close: () => store.close(),
    search(vector, options) {
      const key = `${options.limit}|${options.category ?? ''}|${vector.join(',')}`;
      let hits = seen.get(key);
      if (!hits) {
        hits = store.search(vector, options);
        seen.set(key, hits);
      }
      return hits;
    },
  };
}

function memoizeQueries(embedder: TextEmbedder): TextEmbedder {
  const seen = new Map<string, Promise<number[]>>();
  return {
    id: embedder.id,
    similarityAnchors: embedder.similarityAnchors,
    embedDocuments: (texts) => embedder.embedDocuments(texts),
    embedQuery(text) {
      let vector = seen.get(text);
      if (!vector) {
        vector = embedder.embedQuery(text);
        seen.set(text, vector);
      }
      return vector;
    },
  };
}
