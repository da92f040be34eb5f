import type { Article } from './article';
import type { KbDocument } from './queries';
import type { Retrieval } from './retrieve';

export type { Article, KbDocument, Retrieval };

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
