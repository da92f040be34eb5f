import { and, count, eq, like, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as postMessage } from '@/app/api/v1/messages/route';
import type { Database } from '@/db/client';
import { apiIdempotency, messages } from '@/db/schema';
import { createApiKey } from '@/lib/api-keys/keys';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { startApp, stopApp } from '@/lib/server/app';
import { serveRoutesFrom } from '../harness/app';
import { createTempDataDir, createTestDatabase, type TestDatabase } from '../harness/postgres';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy';
import { testEnv } from '../harness/test-env';

/**
 * The defect: the database died while a request with an Idempotency-Key ran, its claim stayed
 * "processing" and every retry got 409 for good, the message never answered. Now the claim has a
 * lease: the retry after it takes over, and the message is stored and answered exactly once.
 */

const QUESTION = {
  customer_id: 'shop-user-77',
  message: 'How do I reset my password?',
};
const KEY = 'order-77-question';

const quiet = {
  LOG_LEVEL: 'silent',
  TANDEM_CONSENT_REQUIRED: 'false',
  TANDEM_JOBS_WORKER: 'false',
};

function send(key: string) {
  return postMessage(
    new Request('http://localhost/api/v1/messages', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': KEY,
      },
      body: JSON.stringify(QUESTION),
    }),
    { params: Promise.resolve({}) },
  );
}

async function until(check: () => Promise<boolean>) {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 25));
}

const customerMessageStored = (db: Database) => async () =>
  (
    await db
      .select({ n: count() })
      .from(messages)
      .where(and(eq(messages.role, 'customer'), like(messages.idempotencyKey, 'idempotency:%')))
  )[0]!.n > 0;

/** What a clock past the lease would show. */
const endLeases = (db: Database) =>
  db.update(apiIdempotency).set({ leaseUntil: sql`now() - interval '1 second'` });

/**
 * After the outage: a retry before the lease ends is told to wait, the first after it takes over,
 * and the conversation holds the question once and one answer to it.
 */
async function expectTakeoverAnswersOnce(db: Database, key: string) {
  const early = await send(key);
  expect(early.status).toBe(409);
  expect(Number(early.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(((await early.json()) as { error: { code: string } }).error.code).toBe(
    'conflict:idempotency',
  );

  await endLeases(db);
  const retried = await send(key);
  expect(retried.status).toBe(200);
  const reply = (await retried.json()) as {
    conversation_id: string;
    customer_message_id: string;
    reply: string;
  };
  expect(reply.reply.length).toBeGreaterThan(20);

  const stored = await db
    .select({ id: messages.id, role: messages.role })
    .from(messages)
    .where(eq(messages.conversationId, reply.conversation_id));
  expect(stored.filter((m) => m.role === 'customer')).toEqual([
    { id: reply.customer_message_id, role: 'customer' },
  ]);
  expect(stored.filter((m) => m.role === 'ai')).toHaveLength(1);

  const again = await send(key);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(await again.json()).toEqual(reply);
}

describe('an Idempotency-Key whose request died with the database (PGlite)', () => {
  const dataDir = createTempDataDir();
  let app: AppContext | undefined;

  afterAll(async () => {
    if (app) await stopApp(app);
    await (await dataDir).cleanup();
  });

  // Two starts of PGlite on one folder, as a restarted server would do.
  it('is taken over after its lease by a retry that stores and answers the message once', {
    timeout: 180_000,
  }, async () => {
    const { dir } = await dataDir;
    // Slow tokens leave time to pull the plug between storing the question and the answer.
    const first = await startApp(
      parseConfig({ ...quiet, TANDEM_DATA_DIR: dir, TANDEM_OFFLINE_TOKEN_DELAY_MS: '50' }),
    );
    serveRoutesFrom(Promise.resolve(first));
    const { key } = await createApiKey(first.database.db, { name: 'shop', scopes: ['write'] });

    const dying = send(key);
    await until(customerMessageStored(first.database.db));
    // The database goes away mid-request, as when its process is killed.
    await stopApp(first);
    expect((await dying).status).toBe(500);

    app = await startApp(parseConfig({ ...quiet, TANDEM_DATA_DIR: dir }));
    serveRoutesFrom(Promise.resolve(app));
    const [claim] = await app.database.db.select().from(apiIdempotency);
    expect(claim).toMatchObject({ idempotencyKey: KEY, status: null });
    await expectTakeoverAnswersOnce(app.database.db, key);
  });
});

describe.skipIf(!testEnv.databaseUrl)(
  'an Idempotency-Key whose request lost PostgreSQL mid-request',
  () => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    let app: AppContext;

    beforeAll(async () => {
      database = await createTestDatabase(testEnv.databaseUrl!);
      const url = new URL(database.url);
      proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(url.port || 5432) });
      app = await startApp(
        parseConfig({
          ...quiet,
          DATABASE_URL: proxy.through(database.url),
          TANDEM_DEMO: 'true',
          TANDEM_OFFLINE_TOKEN_DELAY_MS: '50',
        }),
      );
      serveRoutesFrom(Promise.resolve(app));
    });
    afterAll(async () => {
      proxy.restore();
      await stopApp(app);
      await proxy.close();
      await database.drop();
    });

    it('is taken over after its lease by a retry that stores and answers the message once', async () => {
      const { key } = await createApiKey(app.database.db, { name: 'shop', scopes: ['write'] });
      // Watched from outside the cut, straight on the server.
      const observer = new pg.Client({ connectionString: database.url });
      await observer.connect();
      try {
        const dying = send(key);
        await until(async () => {
          const { rows } = await observer.query(
            "select 1 from messages where role = 'customer' and idempotency_key like 'idempotency:%'",
          );
          return rows.length > 0;
        });
        proxy.cut();
        expect((await dying).status).toBe(500);
        const { rows } = await observer.query('select status from api_idempotency');
        expect(rows).toEqual([{ status: null }]);
      } finally {
        await observer.end();
      }

      proxy.restore();
      await expectTakeoverAnswersOnce(app.database.db, key);
    });
  },
);
