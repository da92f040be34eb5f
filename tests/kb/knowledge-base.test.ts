import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/client';
import { type Article, hashText, parseArticle } from '@/lib/kb/article';
import { createHashedEmbedder, type TextEmbedder } from '@/lib/kb/embedding';
import { createKnowledgeBase } from '@/lib/kb/knowledge-base';
import { listIndexedChunks } from '@/lib/kb/queries';
import type { IndexProgress, KnowledgeBase } from '@/lib/kb/types';
import { createVectorStore } from '@/lib/kb/vector-store';
import { createMemoryStore, type ListableVectorStore } from '@/lib/kb/vector-store/memory-store';
import { createTempDataDir, type TempDataDir } from '../harness/postgres';

const onTopic: { question: string; slug: string }[] = JSON.parse(
  await readFile(path.join(process.cwd(), 'tests/fixtures/kb-questions.json'), 'utf8'),
);
const offTopic: string[] = JSON.parse(
  await readFile(path.join(process.cwd(), 'tests/fixtures/off-topic-questions.json'), 'utf8'),
);
/** The recommended abstention threshold (TANDEM_ANSWER_MIN_CONFIDENCE). */
const THRESHOLD = 0.35;

async function demoArticles(): Promise<Article[]> {
  const dir = path.join(process.cwd(), 'content', 'kb');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.md')).sort();
  return Promise.all(
    files.map(async (file) => parseArticle(await readFile(path.join(dir, file), 'utf8'), file)),
  );
}

function article(slug: string, title: string, body: string, extra: Partial<Article> = {}): Article {
  return {
    slug,
    title,
    body,
    language: 'en',
    contentHash: hashText(`${title}\n${body}`),
    ...extra,
  };
}

/** Counts what it embeds, to show unchanged articles cost nothing. */
function countingEmbedder(inner: TextEmbedder) {
  const counter = { documents: 0 };
  const embedder: TextEmbedder = {
    ...inner,
    embedDocuments: async (texts) => {
      counter.documents += texts.length;
      return inner.embedDocuments(texts);
    },
    embedQuery: (text) => inner.embedQuery(text),
  };
  return { embedder, counter };
}

const topSlug = async (kb: KnowledgeBase, question: string) =>
  (await kb.retrieve(question)).passages[0]?.slug;

function describeKnowledgeBase(
  name: string,
  makeStore: (handle: DatabaseHandle) => Promise<ListableVectorStore>,
) {
  describe(`knowledge base (${name})`, () => {
    let dataDir: TempDataDir;
    let handle: DatabaseHandle;
    let store: ListableVectorStore;
    let kb: KnowledgeBase;
    let counter: { documents: number };

    /** The store holds exactly one vector per chunk in kb_chunks. */
    const expectVectorsInSync = async () => {
      const chunkIds = (await listIndexedChunks(handle.db)).map((chunk) => chunk.id).sort();
      expect([...(await store.listIds())].sort()).toEqual(chunkIds);
    };

    beforeAll(async () => {
      dataDir = await createTempDataDir();
      handle = await openDatabase({ driver: 'pglite', dataDir: dataDir.dir });
      await handle.migrate();
      store = await makeStore(handle);
      const counting = countingEmbedder(createHashedEmbedder());
      counter = counting.counter;
      kb = createKnowledgeBase({ db: handle.db, vectors: store, embedder: counting.embedder });
      for (const demo of await demoArticles()) await kb.indexArticle(demo);
    });

    afterAll(async () => {
      await handle?.close();
      await dataDir?.cleanup();
    });

    it('stores one vector per chunk', async () => {
      await expectVectorsInSync();
    });

    it('finds the article a question is about', async () => {
      expect(await topSlug(kb, 'How do I reset my password?')).toBe('reset-your-password');
      expect(await topSlug(kb, 'Where can I find my backup codes?')).toBe(
        'set-up-two-factor-authentication',
      );
      expect(await topSlug(kb, 'Please delete my Parcelly account permanently')).toBe(
        'close-your-account',
      );
      // misspelt, and in other words than the article's
      expect(await topSlug(kb, 'i forgot my pasword and the reset email never came')).toBe(
        'reset-your-password',
      );
      let right = 0;
      for (const { question, slug } of onTopic) if ((await topSlug(kb, question)) === slug) right++;
      expect(right / onTopic.length).toBeGreaterThan(0.8);
    });

    it('is confident on the help center’s questions and not on others', async () => {
      const confidence = async (question: string) => (await kb.retrieve(question)).confidence;
      expect(await confidence('How do I reset my password?')).toBeGreaterThan(0.8);
      expect(
        await confidence(
          'Where is my parcel? It’s been dispatched but I don’t have a tracking number',
        ),
      ).toBeGreaterThan(0.8);
      expect(await confidence('My discount code says invalid at checkout')).toBeGreaterThan(
        THRESHOLD,
      );
      expect(await confidence('What is the capital of France?')).toBeLessThan(0.15);
      expect(await confidence('Who won the 2018 World Cup?')).toBeLessThan(0.15);

      const on = await Promise.all(onTopic.map(({ question }) => confidence(question)));
      const off = await Promise.all(offTopic.map(confidence));
      for (const value of [...on, ...off]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      expect(Math.max(...off)).toBeLessThan(THRESHOLD);
      expect(on.filter((value) => value >= THRESHOLD).length / on.length).toBeGreaterThan(0.85);
      expect(await kb.retrieve('   ')).toEqual({ passages: [], confidence: 0 });
    });

    it('keeps to a category when asked', async () => {
      const all = await kb.retrieve('How long does a refund take to reach my card?');
      expect(all.passages[0]?.slug).toBe('refund-policy');
      const account = await kb.retrieve('How long does a refund take to reach my card?', {
        category: 'account',
        limit: 6,
      });
      expect(account.passages.length).toBeGreaterThan(0);
      expect(account.passages.every((p) => p.category === 'account')).toBe(true);
      expect((await kb.retrieve('refund', { category: 'no-such-category' })).passages).toEqual([]);
    });

    it('skips unchanged articles, and re-indexing replaces chunks and vectors', async () => {
      const slug = 'gift-wrapping';
      const first = article(
        slug,
        'Gift wrapping',
        '## Add wrapping\n\nTick **Gift wrap** at checkout.',
        {
          category: 'orders-shipping',
        },
      );
      const progress: IndexProgress[] = [];
      const created = await kb.indexArticle(first, { onProgress: (p) => progress.push(p) });
      expect(created.changed).toBe(true);
      expect(progress.map((p) => p.stage)).toEqual(
        expect.arrayContaining(['chunking', 'embedding', 'storing', 'done']),
      );
      expect(progress.at(-1)).toEqual({ stage: 'done', done: 1, total: 1 });
      const lastEmbedding = progress.filter((p) => p.stage === 'embedding').at(-1)!;
      expect(lastEmbedding.done).toBe(lastEmbedding.total);

      const embedded = counter.documents;
      expect(await kb.indexArticle(first)).toEqual({ document: created.document, changed: false });
      expect(counter.documents).toBe(embedded);

      const oldIds = new Set(
        (await listIndexedChunks(handle.db))
          .filter((c) => c.documentId === created.document.id)
          .map((c) => c.id),
      );
      const edited = article(
        slug,
        'Gift wrapping',
        '## Add wrapping\n\nTick **Gift wrap** at checkout.\n\n## Gift messages\n\nWrite a message of up to 200 characters; we print it on a card.',
        { category: 'orders-shipping' },
      );
      const updated = await kb.indexArticle(edited);
      expect(updated.changed).toBe(true);
      expect(updated.document.id).toBe(created.document.id);
      await expectVectorsInSync();
      expect([...(await store.listIds())].some((id) => oldIds.has(id))).toBe(false);
      const found = await kb.retrieve('can you print a message on a card with my gift?');
      expect(found.passages[0]).toMatchObject({ slug, sectionPath: 'Gift messages' });
    });

    it('deletes a document with its chunks and vectors', async () => {
      const { document } = await kb.indexArticle(
        article('loyalty-points', 'Loyalty points', 'Earn one point for every dollar you spend.'),
      );
      expect(await topSlug(kb, 'how many loyalty points do I earn per dollar?')).toBe(
        'loyalty-points',
      );
      expect(await kb.deleteDocument(document.id)).toBe(true);
      expect(await kb.deleteDocument(document.id)).toBe(false);
      await expectVectorsInSync();
      const after = await kb.retrieve('how many loyalty points do I earn per dollar?');
      expect(after.passages.map((p) => p.slug)).not.toContain('loyalty-points');
    });

    it('sees another instance’s writes on its next question', async () => {
      // Another app process: its own in-process vectors, or the same pgvector table.
      const otherStore =
        store.kind === 'memory'
          ? createMemoryStore()
          : store.refresh
            ? ((await createVectorStore(
                { kind: 'auto' },
                { db: handle.db, embedded: true },
              )) as ListableVectorStore)
            : store;
      const other = createKnowledgeBase({
        db: handle.db,
        vectors: otherStore,
        embedder: createHashedEmbedder(),
        versionCheckIntervalMs: 0,
      });
      expect(await topSlug(other, 'How do I reset my password?')).toBe('reset-your-password');
      const { document } = await kb.indexArticle(
        article('pet-policy', 'Shipping live animals', 'We cannot ship live animals or plants.'),
      );
      expect(await topSlug(other, 'can you ship live animals?')).toBe('pet-policy');

      await kb.deleteDocument(document.id);
      const after = await other.retrieve('can you ship live animals?');
      expect(after.passages.map((p) => p.slug)).not.toContain('pet-policy');
      const chunkIds = (await listIndexedChunks(handle.db)).map((chunk) => chunk.id).sort();
      expect([...(await otherStore.listIds())].sort()).toEqual(chunkIds);
    });

    it('reads the version again only once the interval has passed', async () => {
      const other = createKnowledgeBase({
        db: handle.db,
        vectors: store.kind === 'memory' ? createMemoryStore() : store,
        embedder: createHashedEmbedder(),
        versionCheckIntervalMs: 60_000,
      });
      const question = 'do you deliver to the moon base?';
      expect(await topSlug(other, question)).not.toBe('moon-delivery');
      const { document } = await kb.indexArticle(
        article(
          'moon-delivery',
          'Delivery to the moon base',
          'We deliver to the moon base monthly.',
        ),
      );
      try {
        expect(await topSlug(other, question)).not.toBe('moon-delivery');
        const now = Date.now();
        vi.spyOn(Date, 'now').mockReturnValue(now + 61_000);
        expect(await topSlug(other, question)).toBe('moon-delivery');
      } finally {
        vi.restoreAllMocks();
        await kb.deleteDocument(document.id);
      }
    });

    it('finds a Chinese document for a Chinese question', async () => {
      await kb.indexArticle(
        article(
          'refund-zh',
          '退款多久到账',
          '退款成功后，款项会在 3 到 5 个工作日内退回原支付方式。',
          {
            language: 'zh',
          },
        ),
      );
      await kb.indexArticle(
        article(
          'password-zh',
          '如何重置密码',
          '在登录页点击“忘记密码”，按邮件中的链接设置新密码。',
          {
            language: 'zh',
          },
        ),
      );
      expect(await topSlug(kb, '我的退款什么时候能到账？')).toBe('refund-zh');
      expect(await topSlug(kb, '密码忘了怎么办')).toBe('password-zh');
    });
  });
}

describeKnowledgeBase('pgvector in PGlite', async (handle) => {
  const store = await createVectorStore({ kind: 'auto' }, { db: handle.db });
  expect(store.kind).toBe('pgvector');
  return store as ListableVectorStore;
});

describeKnowledgeBase('pgvector in PGlite, searched on a copy in memory', async (handle) => {
  const store = await createVectorStore({ kind: 'auto' }, { db: handle.db, embedded: true });
  expect(store.kind).toBe('pgvector');
  expect(store.refresh).toBeTypeOf('function');
  return store as ListableVectorStore;
});

describeKnowledgeBase('in-process vectors', async () => createMemoryStore());

describe('knowledge base: embedding model change', () => {
  it('re-embeds every chunk when the model changes', async () => {
    const dataDir = await createTempDataDir();
    const handle = await openDatabase({ driver: 'pglite', dataDir: dataDir.dir });
    try {
      await handle.migrate();
      const store = (await createVectorStore(
        { kind: 'pgvector' },
        { db: handle.db },
      )) as ListableVectorStore;
      const small = createKnowledgeBase({
        db: handle.db,
        vectors: store,
        embedder: createHashedEmbedder(),
      });
      for (const demo of (await demoArticles()).slice(0, 4)) await small.indexArticle(demo);
      const chunks = await listIndexedChunks(handle.db);
      expect(await store.count()).toBe(chunks.length);

      const wide = createKnowledgeBase({
        db: handle.db,
        vectors: store,
        embedder: createHashedEmbedder({ dimensions: 512 }),
      });
      expect((await wide.retrieve('How do I close my account?')).passages[0]?.slug).toBe(
        'close-your-account',
      );
      expect(await store.count()).toBe(chunks.length);
      const [hit] = await store.search(
        await createHashedEmbedder({ dimensions: 512 }).embedQuery('close my account'),
        { limit: 1 },
      );
      expect(chunks.find((c) => c.id === hit?.id)?.slug).toBe('close-your-account');
    } finally {
      await handle.close();
      await dataDir.cleanup();
    }
  });
});
