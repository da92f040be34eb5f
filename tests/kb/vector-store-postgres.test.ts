import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/client';
import { hashText } from '@/lib/kb/article';
import { createHashedEmbedder } from '@/lib/kb/embedding';
import { createKnowledgeBase } from '@/lib/kb/knowledge-base';
import { createVectorStore } from '@/lib/kb/vector-store';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

const databaseUrl = testEnv.databaseUrl;

describe.skipIf(!databaseUrl)('vector store on a PostgreSQL server', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let hasPgvector = false;

  beforeAll(async () => {
    database = await createTestDatabase(databaseUrl ?? '');
    handle = await openDatabase({ driver: 'pg', url: database.url });
    await handle.migrate();
    const result = (await handle.db.execute(
      sql`select count(*)::int as n from pg_available_extensions where name = 'vector'`,
    )) as unknown as { rows: { n: number }[] };
    hasPgvector = result.rows[0]?.n === 1;
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('uses pgvector where the server has it and the in-process store where it does not', async () => {
    const store = await createVectorStore({ kind: 'auto' }, { db: handle.db });
    expect(store.kind).toBe(hasPgvector ? 'pgvector' : 'memory');
    if (!hasPgvector) {
      await expect(createVectorStore({ kind: 'pgvector' }, { db: handle.db })).rejects.toThrow(
        /pgvector is not available/,
      );
    }

    const kb = createKnowledgeBase({
      db: handle.db,
      vectors: store,
      embedder: createHashedEmbedder(),
    });
    const body = 'Open **Settings › Security** and choose **Change password**.';
    await kb.indexArticle({
      slug: 'change-password',
      title: 'Change your password',
      body,
      language: 'en',
      contentHash: hashText(`Change your password\n${body}`),
    });
    const { passages, confidence } = await kb.retrieve('how can I change my password?');
    expect(passages[0]?.slug).toBe('change-password');
    expect(confidence).toBeGreaterThan(0.5);
    expect(await store.count()).toBe(1);
  });
});
