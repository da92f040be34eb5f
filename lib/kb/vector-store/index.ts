import type { Database } from '@/db/client';
import { log } from '@/lib/log';
import { createMemoryStore } from './memory-store';
import { withMemoryMirror } from './mirrored-store';
import { createPgvectorStore, enablePgvector } from './pgvector-store';
import type { VectorStore } from './types';

export type { VectorHit, VectorPoint, VectorStore, VectorStoreKind } from './types';

export type VectorStoreConfig =
  /** pgvector when the database can load it, else in-process. */
  | { kind: 'auto' }
  | { kind: 'memory' }
  | { kind: 'pgvector' }
  | { kind: 'qdrant'; url: string; apiKey?: string; collection: string };

/**
 * The vector store for a configuration. `auto` (the default) keeps vectors in the database when
 * pgvector works there (always in PGlite) and falls back to the in-process store on a PostgreSQL
 * server without the extension, saying so in the log; `pgvector` insists and fails loudly. In an
 * `embedded` database (PGlite) pgvector keeps the vectors and searches run on a copy in memory.
 */
export async function createVectorStore(
  config: VectorStoreConfig,
  { db, embedded = false }: { db: Database; embedded?: boolean },
): Promise<VectorStore> {
  switch (config.kind) {
    case 'memory':
      log.info({ vectorStore: 'memory' }, 'vector search runs in-process');
      return createMemoryStore();
    case 'qdrant': {
      // Imported only when configured: the Qdrant client is not needed otherwise.
      const { createQdrantStore } = await import('./qdrant-store');
      log.info(
        { vectorStore: 'qdrant', collection: config.collection },
        'vector search uses Qdrant',
      );
      return createQdrantStore({
        url: config.url,
        apiKey: config.apiKey,
        collection: config.collection,
      });
    }
    case 'pgvector':
    case 'auto': {
      const pgvector = await enablePgvector(db);
      if (pgvector.ok) {
        log.info({ vectorStore: 'pgvector' }, 'vector search uses pgvector in the database');
        return embedded ? withMemoryMirror(createPgvectorStore(db)) : createPgvectorStore(db);
      }
      if (config.kind === 'pgvector') {
        throw new Error(`pgvector is not available in this database: ${pgvector.reason}`);
      }
      log.warn(
        { vectorStore: 'memory', reason: pgvector.reason },
        'pgvector is not available in this database: vector search runs in-process instead',
      );
      return createMemoryStore();
    }
  }
}
