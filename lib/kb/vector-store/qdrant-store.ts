import { QdrantClient } from '@qdrant/js-client-rest';
import type { VectorHit, VectorPoint, VectorStore } from './types';

export interface QdrantStoreOptions {
  /** e.g. `http://localhost:6333` or a Qdrant Cloud cluster URL. */
  url: string;
  apiKey?: string;
  collection: string;
  /** Per-request timeout; the client's own default (5 minutes) would hang ingestion on a dead server. */
  timeoutMs?: number;
}

type Filter = { must: { key: string; match: { value: string } }[] };

/** Payload fields filtered on; indexed so filtering stays fast as the collection grows. */
const INDEXED_FIELDS = ['document_id', 'category'] as const;
/** Points per upsert request: keeps bodies well under Qdrant's 32 MB default request limit. */
const UPSERT_BATCH = 256;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Chunk vectors in a Qdrant collection (cosine distance). Point ids are the chunk ids, which are
 * UUIDs, one of the two id kinds Qdrant accepts; the payload carries what search filters on.
 */
export function createQdrantStore(options: QdrantStoreOptions): VectorStore {
  const { collection } = options;
  const client = new QdrantClient({
    url: options.url,
    apiKey: options.apiKey,
    timeout: options.timeoutMs ?? 30_000,
    // The version probe is a fire-and-forget request that only logs; ensureReady reports problems.
    checkCompatibility: false,
  });

  const call = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new Error(
        `Qdrant ${operation} on collection "${collection}" failed: ${describeFailure(error)}`,
        {
          cause: error,
        },
      );
    }
  };

  return {
    kind: 'qdrant',

    async ensureReady(dimensions) {
      const { exists } = await call('collection check', () => client.collectionExists(collection));
      if (!exists) {
        try {
          await client.createCollection(collection, {
            vectors: { size: dimensions, distance: 'Cosine' },
          });
        } catch (error) {
          // Another instance starting at the same moment may have created it first.
          const { exists: createdMeanwhile } = await call('collection check', () =>
            client.collectionExists(collection),
          );
          if (!createdMeanwhile) {
            throw new Error(
              `Could not create Qdrant collection "${collection}": ${describeFailure(error)}`,
              {
                cause: error,
              },
            );
          }
        }
      }
      const info = await call('collection info', () => client.getCollection(collection));
      const vectors = info.config.params.vectors;
      const size = vectors && 'size' in vectors ? vectors.size : undefined;
      if (size !== dimensions) {
        throw new Error(
          `Qdrant collection "${collection}" holds ${size ?? 'named'}-dimensional vectors but the embedding model makes ${dimensions}-dimensional ones. Use another collection name or delete the collection and re-index.`,
        );
      }
      for (const field of INDEXED_FIELDS) {
        if (info.payload_schema?.[field]) continue;
        await call(`index creation for ${field}`, () =>
          client.createPayloadIndex(collection, {
            field_name: field,
            field_schema: 'keyword',
            wait: true,
          }),
        );
      }
    },

    async upsert(points) {
      const invalid = points.find((point) => !UUID.test(point.id));
      if (invalid) {
        throw new Error(`Qdrant point ids must be UUIDs; got "${invalid.id}".`);
      }
      for (let start = 0; start < points.length; start += UPSERT_BATCH) {
        const batch = points.slice(start, start + UPSERT_BATCH);
        await call('upsert', () =>
          client.upsert(collection, { wait: true, points: batch.map(toQdrantPoint) }),
        );
      }
    },

    async deleteByDocument(documentId) {
      await call('delete', () =>
        client.delete(collection, { wait: true, filter: matching('document_id', documentId) }),
      );
    },

    async search(vector, { limit, category }): Promise<VectorHit[]> {
      const response = await call('query', () =>
        client.query(collection, {
          query: vector,
          limit,
          with_payload: false,
          ...(category ? { filter: matching('category', category) } : {}),
        }),
      );
      return response.points.map((point) => ({ id: String(point.id), score: point.score }));
    },

    async count() {
      const { count } = await call('count', () => client.count(collection, { exact: true }));
      return count;
    },

    async close() {
      // The client keeps no session to end; its keep-alive sockets close on their idle timeout.
    },
  };
}

function toQdrantPoint(point: VectorPoint) {
  return {
    id: point.id,
    vector: point.vector,
    payload: {
      document_id: point.payload.documentId,
      category: point.payload.category,
      language: point.payload.language,
    },
  };
}

function matching(key: string, value: string): Filter {
  return { must: [{ key, match: { value } }] };
}

/** Qdrant puts the reason in `status.error` of the JSON body; the client's message is just the status text. */
function describeFailure(error: unknown): string {
  const data = (error as { data?: { status?: { error?: string } } }).data;
  const status = (error as { status?: number }).status;
  const reason = data?.status?.error ?? (error instanceof Error ? error.message : String(error));
  return status ? `${status} ${reason}` : reason;
}
