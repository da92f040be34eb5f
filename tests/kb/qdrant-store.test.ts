import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQdrantStore } from '@/lib/kb/vector-store/qdrant-store';
import type { VectorPoint, VectorStore } from '@/lib/kb/vector-store/types';
import {
  type QdrantContractServer,
  startQdrantContractServer,
} from '../harness/qdrant-contract-server';

const API_KEY = 'test-api-key';

function point(
  vector: number[],
  documentId: string,
  category: string | null,
  id: string = randomUUID(),
): VectorPoint {
  return { id, vector, payload: { documentId, category, language: 'en' } };
}

describe('Qdrant vector store against the Qdrant 1.19.0 OpenAPI contract', () => {
  let server: QdrantContractServer;
  let store: VectorStore;

  beforeEach(async () => {
    server = await startQdrantContractServer({ apiKey: API_KEY });
    // The client warns that an API key over plain http is unsafe; over loopback in a test it is fine.
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    store = createQdrantStore({ url: server.url, apiKey: API_KEY, collection: 'tandem_chunks' });
  });

  afterEach(async () => {
    await store.close();
    await server.close();
    vi.restoreAllMocks();
    // Every request the adapter sent, and every answer the harness gave, matched the spec.
    expect(server.violations).toEqual([]);
  });

  it('creates the cosine collection and its payload indexes once', async () => {
    await store.ensureReady(3);
    await store.ensureReady(3);
    expect(server.operations).toEqual([
      'collection_exists',
      'create_collection',
      'get_collection',
      'create_field_index',
      'create_field_index',
      'collection_exists',
      'get_collection',
    ]);
  });

  it('refuses a collection made for another vector size', async () => {
    await store.ensureReady(3);
    await expect(store.ensureReady(4)).rejects.toThrow(
      'holds 3-dimensional vectors but the embedding model makes 4-dimensional ones',
    );
  });

  it('upserts, searches nearest first, filters by category, deletes by document and counts', async () => {
    await store.ensureReady(3);
    const refunds = point([1, 0, 0], 'doc-refunds', 'billing');
    const refundsDetail = point([0.9, 0.1, 0], 'doc-refunds', 'billing');
    const shipping = point([0, 1, 0], 'doc-shipping', 'delivery');
    const uncategorised = point([0.95, 0, 0.05], 'doc-misc', null);
    await store.upsert([refunds, refundsDetail, shipping, uncategorised]);
    expect(await store.count()).toBe(4);

    const nearest = await store.search([1, 0, 0], { limit: 2 });
    expect(nearest.map((hit) => hit.id)).toEqual([refunds.id, uncategorised.id]);
    expect(nearest[0]!.score).toBeCloseTo(1, 5);

    const delivery = await store.search([1, 0, 0], { limit: 5, category: 'delivery' });
    expect(delivery.map((hit) => hit.id)).toEqual([shipping.id]);

    // Re-upserting an id replaces the point rather than adding one.
    await store.upsert([{ ...shipping, vector: [0, 0, 1] }]);
    expect(await store.count()).toBe(4);

    await store.deleteByDocument('doc-refunds');
    expect(await store.count()).toBe(2);
    const remaining = await store.search([1, 0, 0], { limit: 10 });
    expect(remaining.map((hit) => hit.id).sort()).toEqual([shipping.id, uncategorised.id].sort());

    expect(new Set(server.operations)).toEqual(
      new Set([
        'collection_exists',
        'create_collection',
        'get_collection',
        'create_field_index',
        'upsert_points',
        'count_points',
        'query_points',
        'delete_points',
      ]),
    );
  });

  it('splits large upserts into batches', async () => {
    await store.ensureReady(2);
    const points = Array.from({ length: 600 }, (_, i) =>
      point([Math.cos(i), Math.sin(i)], `doc-${i % 7}`, 'bulk'),
    );
    await store.upsert(points);
    expect(server.operations.filter((op) => op === 'upsert_points')).toHaveLength(3);
    expect(await store.count()).toBe(600);
  });

  it('rejects point ids Qdrant would not accept, before sending anything', async () => {
    await store.ensureReady(2);
    const before = server.operations.length;
    await expect(store.upsert([point([1, 0], 'doc', null, 'chunk-1')])).rejects.toThrow(
      'Qdrant point ids must be UUIDs; got "chunk-1".',
    );
    expect(server.operations.length).toBe(before);
  });

  it('reports Qdrant errors with the server reason', async () => {
    await expect(store.count()).rejects.toThrow(
      'Qdrant count on collection "tandem_chunks" failed: 404 Not found: Collection `tandem_chunks` doesn\'t exist!',
    );
  });
});

describe('the contract server itself', () => {
  it('flags requests that break the spec', async () => {
    const server = await startQdrantContractServer();
    try {
      const response = await fetch(`${server.url}/collections/c/points?wait=maybe`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ points: [{ id: 'not-a-uuid', vector: 'oops' }] }),
      });
      expect(response.status).toBe(400);
      expect(server.operations).toEqual(['upsert_points']);
      expect(server.violations.join('\n')).toMatch(/upsert_points .*query\/wait must be boolean/);
      expect(server.violations.join('\n')).toMatch(/upsert_points .*body/);

      const unknown = await fetch(`${server.url}/collections/c/points/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(unknown.status).toBe(404);
      expect(server.violations.at(-1)).toBe(
        'POST /collections/c/points/search is not an operation in the Qdrant 1.19.0 API',
      );
    } finally {
      await server.close();
    }
  });
});
