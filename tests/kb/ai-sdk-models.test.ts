import type { RerankingModelV4 } from '@ai-sdk/provider';
import { MockEmbeddingModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/client';
import { hashText } from '@/lib/kb/article';
import { createAiSdkEmbedder, createHashedEmbedder } from '@/lib/kb/embedding';
import { createKnowledgeBase } from '@/lib/kb/knowledge-base';
import { createVectorStore } from '@/lib/kb/vector-store';
import { createTempDataDir, type TempDataDir } from '../harness/postgres';

// A stand-in for a hosted model: the offline embedding at 64 dimensions, behind the AI SDK.
const offline = createHashedEmbedder({ dimensions: 64 });
const embeddingModel = new MockEmbeddingModelV4({
  provider: 'test',
  modelId: 'hashed-64',
  doEmbed: async ({ values }) => ({
    embeddings: await offline.embedDocuments(values),
    warnings: [],
  }),
});

/** A reranking model that prefers passages mentioning "courier", whatever the question. */
const courierFirst: RerankingModelV4 = {
  specificationVersion: 'v4',
  provider: 'test',
  modelId: 'courier-first',
  async doRerank({ documents }) {
    const values = documents.values as string[];
    const ranking = values
      .map((text, index) => ({ index, relevanceScore: text.includes('courier') ? 0.9 : 0.1 }))
      .sort((a, b) => b.relevanceScore - a.relevanceScore);
    return { ranking };
  },
};

const articles = [
  ['refunds', 'Refunds', 'Refunds reach your card within 5–10 business days.'],
  [
    'missed-delivery',
    'Missed deliveries',
    'If you are out, the courier leaves a card and tries again.',
  ],
  ['passwords', 'Reset your password', 'Use Forgot password on the sign-in page.'],
] as const;

describe('knowledge base with AI SDK models', () => {
  let dataDir: TempDataDir;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    dataDir = await createTempDataDir();
    handle = await openDatabase({ driver: 'pglite', dataDir: dataDir.dir });
    await handle.migrate();
  });

  afterAll(async () => {
    await handle?.close();
    await dataDir?.cleanup();
  });

  it('embeds through embedMany/embed and reranks through rerank', async () => {
    const vectors = await createVectorStore({ kind: 'auto' }, { db: handle.db });
    const embedder = createAiSdkEmbedder(embeddingModel);
    expect(embedder.id).toBe('test:hashed-64');
    const kb = createKnowledgeBase({ db: handle.db, vectors, embedder });
    for (const [slug, title, body] of articles) {
      await kb.indexArticle({
        slug,
        title,
        body,
        language: 'en',
        contentHash: hashText(`${title}\n${body}`),
      });
    }
    expect(embeddingModel.doEmbedCalls.length).toBeGreaterThanOrEqual(articles.length);
    expect(await vectors.count()).toBe(articles.length);

    const plain = await kb.retrieve('How long do refunds take?');
    expect(plain.passages[0]?.slug).toBe('refunds');

    const reranked = createKnowledgeBase({
      db: handle.db,
      vectors,
      embedder,
      reranker: courierFirst,
    });
    const { passages } = await reranked.retrieve('How long do refunds take?', { limit: 3 });
    expect(passages[0]?.slug).toBe('missed-delivery');
  });
});
