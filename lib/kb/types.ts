import type { Article } from './article';
import type { ConfidenceFeatures } from './confidence';
import type { TextEmbedder } from './embedding';
import type { IndexedChunk, KbDocument } from './queries';

export type { Article, KbDocument };

export interface Passage extends IndexedChunk {
  /** Reranker score: comparable within one question only. */
  score: number;
  /** Share of the question's content (IDF-weighted) this passage covers, 0..1. */
  coverage: number;
}

/**
 * Passages a customer's answer is grounded in. Six rather than four: the part that answers often
 * sits in a later section of the best article ("The 30-day grace period") or in a second article
 * the first one points to, and the composer picks the parts that answer from all of them.
 */
export const ANSWER_PASSAGES = 6;

export interface Retrieval {
  passages: Passage[];
  /** How sure we are the passages answer the question, 0..1; below the threshold we abstain. */
  confidence: number;
  /** What the confidence was estimated from; absent when nothing was retrieved. */
  signals?: ConfidenceFeatures;
}

export interface IndexProgress {
  stage: 'chunking' | 'embedding' | 'storing' | 'done';
  done: number;
  total: number;
}

/**
 * The knowledge base as the rest of Tandem sees it: documents go in, passages come out. Which
 * lexical index, embedding model and vector store sit behind it is decided by configuration.
 */
export interface KnowledgeBase {
  /** The embedding retrieval compares questions and passages with (also used to group questions). */
  readonly embedder: TextEmbedder;
  /** Creates or replaces a document, its chunks and their vectors; unchanged content is a no-op. */
  indexArticle(
    article: Article,
    options?: { onProgress?: (progress: IndexProgress) => void },
  ): Promise<{ document: KbDocument; changed: boolean }>;
  /** Removes a document everywhere it lives (rows, chunks, vectors). False when it did not exist. */
  deleteDocument(documentId: string): Promise<boolean>;
  /** The passages that best answer a question, strongest first, with a calibrated confidence. */
  retrieve(question: string, options?: { limit?: number; category?: string }): Promise<Retrieval>;
}
