export type VectorStoreKind = 'memory' | 'pgvector' | 'qdrant';

export interface VectorPoint {
  /** The kb_chunks id. */
  id: string;
  vector: number[];
  payload: { documentId: string; category: string | null; language: string };
}

export interface VectorHit {
  id: string;
  /** Cosine similarity, higher is closer. */
  score: number;
}

/** Where chunk embeddings live: in-process, pgvector, or a Qdrant server. */
export interface VectorStore {
  readonly kind: VectorStoreKind;
  /** Creates the collection/table for vectors of this size if missing (idempotent). */
  ensureReady(dimensions: number): Promise<void>;
  upsert(points: VectorPoint[]): Promise<void>;
  deleteByDocument(documentId: string): Promise<void>;
  search(vector: number[], options: { limit: number; category?: string }): Promise<VectorHit[]>;
  count(): Promise<number>;
  /** For a store that searches a copy of its vectors: read them again before the next search. */
  refresh?(): void;
  close(): Promise<void>;
}
