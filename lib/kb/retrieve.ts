import type { Database } from '@/db/client';
import { LexicalIndex } from './lexical-index';
import { getKnowledgeBaseVersion, type IndexedChunk, listIndexedChunks } from './queries';

export interface Passage extends IndexedChunk {
  score: number;
  coverage: number;
}

export interface Retrieval {
  passages: Passage[];
  /** How sure we are the best passage answers the question, 0..1; below the threshold we abstain. */
  confidence: number;
}

let cachedIndex: { version: string; index: LexicalIndex } | undefined;

async function loadIndex(db: Database): Promise<LexicalIndex> {
  const version = await getKnowledgeBaseVersion(db);
  if (cachedIndex?.version !== version) {
    cachedIndex = { version, index: new LexicalIndex(await listIndexedChunks(db)) };
  }
  return cachedIndex.index;
}

/** The passages that best answer a question, strongest first. */
export async function retrievePassages(
  db: Database,
  question: string,
  { limit = 4 }: { limit?: number } = {},
): Promise<Retrieval> {
  const index = await loadIndex(db);
  const hits = index.query(question, limit);
  const passages = hits.map((hit) => ({ ...hit.chunk, score: hit.score, coverage: hit.coverage }));
  return { passages, confidence: passages[0]?.coverage ?? 0 };
}
