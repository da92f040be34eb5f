import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@/db/client';
import { type Article, hashText } from '@/lib/kb/article';
import { createOfflineEmbedder } from '@/lib/kb/embedding';
import { createKnowledgeBase } from '@/lib/kb/knowledge-base';
import { createVectorStore } from '@/lib/kb/vector-store';

export interface RetrievalEvalArgs {
  /** JSONL of {"id", "title", "text"}. */
  corpus: string;
  /** JSONL of {"query", "relevant_ids": [...]}. */
  queries: string;
  json: boolean;
}

export interface RetrievalEvalResult {
  task: 'retrieval';
  n: number;
  'hit@1': number;
  'hit@5': number;
  'mrr@10': number;
  ms_per_query: number;
  index_seconds: number;
  vector_store: string;
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
    const vectors = await createVectorStore({ kind: 'auto' }, { db: handle.db });
    const kb = createKnowledgeBase({ db: handle.db, vectors, embedder: createOfflineEmbedder() });

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

    let hit1 = 0;
    let hit5 = 0;
    let reciprocalRanks = 0;
    const queryStart = performance.now();
    for (const { query, relevant_ids } of queries) {
      const { passages } = await kb.retrieve(query, { limit: PASSAGES_PER_QUERY });
      const ranked = [...new Set(passages.map((p) => idBySlug.get(p.slug)))].slice(0, 10);
      const relevant = new Set(relevant_ids);
      const rank = ranked.findIndex((id) => id !== undefined && relevant.has(id));
      if (rank === 0) hit1++;
      if (rank >= 0 && rank < 5) hit5++;
      if (rank >= 0) reciprocalRanks += 1 / (rank + 1);
    }
    const msPerQuery = (performance.now() - queryStart) / queries.length;

    const n = queries.length;
    const result: RetrievalEvalResult = {
      task: 'retrieval',
      n,
      'hit@1': round(hit1 / n, 4),
      'hit@5': round(hit5 / n, 4),
      'mrr@10': round(reciprocalRanks / n, 4),
      ms_per_query: round(msPerQuery, 3),
      index_seconds: round(indexSeconds, 1),
      vector_store: vectors.kind,
    };
    console.log(`retrieval — corpus ${args.corpus} (${corpus.length}), queries ${args.queries}`);
    console.log(`  Hit@1         ${result['hit@1'].toFixed(4)}`);
    console.log(`  Hit@5         ${result['hit@5'].toFixed(4)}`);
    console.log(`  MRR@10        ${result['mrr@10'].toFixed(4)}`);
    console.log(`  n             ${n}`);
    console.log(`  index time    ${result.index_seconds.toFixed(1)} s (${vectors.kind} vectors)`);
    console.log(
      `  speed         ${result.ms_per_query.toFixed(3)} ms/query (${Math.round(1000 / msPerQuery)} queries/s)`,
    );
    if (args.json) console.log(JSON.stringify(result));
    return result;
  } finally {
    await handle.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
