import type { VectorHit, VectorPoint, VectorStore } from './types';

interface StoredPoint {
  vector: Float32Array;
  documentId: string;
  category: string | null;
}

/** A vector store that can say which points it holds, so a knowledge base can sync it cheaply. */
export interface ListableVectorStore extends VectorStore {
  listIds(): Promise<Set<string>>;
  deleteIds(ids: readonly string[]): Promise<void>;
}

/**
 * Vectors in this process's memory, searched exhaustively (exact cosine). The fallback when the
 * database has no pgvector: it starts empty with each process, and the knowledge base refills it
 * from kb_chunks on first use, so every instance holds the same vectors without sharing memory.
 */
export function createMemoryStore(): ListableVectorStore {
  const points = new Map<string, StoredPoint>();
  let dimensions: number | undefined;

  return {
    kind: 'memory',
    async ensureReady(size) {
      // A new model's vectors are not comparable with the old ones: start over rather than mix.
      if (dimensions !== undefined && dimensions !== size) points.clear();
      dimensions = size;
    },
    async upsert(batch) {
      for (const point of batch) {
        assertDimensions(point, dimensions);
        points.set(point.id, {
          vector: normalised(point.vector),
          documentId: point.payload.documentId,
          category: point.payload.category,
        });
      }
    },
    async deleteByDocument(documentId) {
      for (const [id, point] of points) {
        if (point.documentId === documentId) points.delete(id);
      }
    },
    async search(vector, { limit, category }) {
      const query = normalised(vector);
      const hits: VectorHit[] = [];
      for (const [id, point] of points) {
        if (category !== undefined && point.category !== category) continue;
        hits.push({ id, score: dot(query, point.vector) });
      }
      return hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, limit);
    },
    async count() {
      return points.size;
    },
    async listIds() {
      return new Set(points.keys());
    },
    async deleteIds(ids) {
      for (const id of ids) points.delete(id);
    },
    async close() {
      points.clear();
    },
  };
}

function assertDimensions(point: VectorPoint, dimensions: number | undefined) {
  if (dimensions !== undefined && point.vector.length !== dimensions) {
    throw new Error(
      `Vector for chunk ${point.id} has ${point.vector.length} dimensions; the store holds ${dimensions}`,
    );
  }
}

function normalised(vector: readonly number[]): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Float32Array.from(vector, (value) => value * scale);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
