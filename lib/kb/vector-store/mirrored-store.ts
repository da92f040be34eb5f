import { createMemoryStore, type ListableVectorStore } from './memory-store';
import type { VectorPoint } from './types';

/** A store that can hand over every vector it holds. */
export interface ScannableVectorStore extends ListableVectorStore {
  scan(): Promise<VectorPoint[]>;
}

/**
 * A persistent store (pgvector in an embedded database) with a copy of its vectors in this
 * process, searched exhaustively. In an embedded database every query waits its turn in one
 * single-threaded engine, so a search there costs more than scanning the copy. The persistent
 * store stays the truth: writes go to both, and the copy is read again after a refresh.
 */
export function withMemoryMirror(
  store: ScannableVectorStore,
): ListableVectorStore & { refresh(): void } {
  let mirror = createMemoryStore();
  let loading: Promise<void> | undefined;
  let loaded = false;
  // A refresh during a load makes that load's copy stale before it is used.
  let generation = 0;

  const load = () => {
    loading ??= (async () => {
      const started = generation;
      const points = await store.scan();
      const fresh = createMemoryStore();
      if (points.length > 0) {
        await fresh.ensureReady(points[0]!.vector.length);
        await fresh.upsert(points);
      }
      mirror = fresh;
      loaded = started === generation;
    })().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  return {
    kind: store.kind,
    async ensureReady(dimensions) {
      await store.ensureReady(dimensions);
      await mirror.ensureReady(dimensions);
    },
    async upsert(points) {
      await store.upsert(points);
      if (loaded) await mirror.upsert(points);
    },
    async deleteByDocument(documentId) {
      await store.deleteByDocument(documentId);
      await mirror.deleteByDocument(documentId);
    },
    async search(vector, options) {
      if (!loaded) await load();
      return mirror.search(vector, options);
    },
    count: () => store.count(),
    listIds: () => store.listIds(),
    async deleteIds(ids) {
      await store.deleteIds(ids);
      await mirror.deleteIds(ids);
    },
    refresh() {
      generation += 1;
      loaded = false;
    },
    async close() {
      await mirror.close();
      await store.close();
    },
  };
}
