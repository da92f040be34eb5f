import type { IndexedChunk } from './queries';

export interface Passage extends IndexedChunk {
  /** Reranker score: comparable within one question only. */
  score: number;
  /** Share of the question's content (IDF-weighted) this passage covers, 0..1. */
  coverage: number;
}

export interface Retrieval {
  passages: Passage[];
  /** How sure we are the best passage answers the question, 0..1; below the threshold we abstain. */
  confidence: number;
}
