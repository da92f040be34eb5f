import { AsyncLocalStorage } from 'node:async_hooks';
import { type Database, openDatabase } from '@/db/client';
import { loadOrCreateSecret, seedDatabase } from '@/db/seed';
import { createAnswerModel } from '@/lib/ai/models';
import { createCache } from '@/lib/cache';
import { withPostgresPubSub } from '@/lib/cache/postgres-pubsub';
import { loadClassifiers } from '@/lib/classify/classifier-store';
import { type Config, getConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { failInterruptedRuns } from '@/lib/desk-tests/run-lease';
import { createTextEmbedder } from '@/lib/kb/embedding';
import { createKnowledgeBase } from '@/lib/kb/knowledge-base';
import { createVectorStore } from '@/lib/kb/vector-store';
import { log } from '@/lib/log';
import { startAppJobWorker } from '@/lib/server/job-handlers';

export interface StartOptions {
  /**
   * What the database is given once migrated, under the migration lock: by default the staff
   * accounts and, when config.demo is on, the demo content on first start (a sandbox copies
   * another desk's content instead).
   */
  seed?: (db: Database) => Promise<void>;
}

export async function startApp(config: Config, options: StartOptions = {}): Promise<AppContext> {
  const started = Date.now();
  const database = await openDatabase(config.database);
  try {
    await database.migrate(
      options.seed ??
        (async (db) => {
          // TANDEM_DEMO: the demo content and shop, or a clean desk whose admin sets it up.
          const report = await seedDatabase(
            db,
            config.accounts,
            config.demo && { secret: config.secret, deskUrl: config.deskUrl },
          );
          if (report.articles > 0)
            log.info({ articles: report.articles }, 'seeded the demo knowledge base');
          for (const account of report.createdAccounts) {
            if (account.password) {
              // Plain text on the terminal, once, and never in the structured log a collector keeps.
              process.stderr.write(
                `\n  Created the ${account.role} account ${account.email}\n  Password: ${account.password}\n  (shown only this once; set TANDEM_${account.role.toUpperCase()}_PASSWORD to choose your own)\n\n`,
              );
              log.info(
                { role: account.role, email: account.email },
                `created the ${account.role} account; its password was printed to the terminal once`,
              );
            } else {
              log.info(
                { role: account.role, email: account.email },
                `created the ${account.role} account`,
              );
            }
          }
        }),
    );
    const secret = await loadOrCreateSecret(database.db, config.secret);
    // Test runs a stopped server left `running`; an embedded database was this process's alone.
    await failInterruptedRuns(database.db, { exclusive: config.database.driver === 'pglite' });
    // Trains the seed classifiers on a fresh database, so the first message doesn't wait for it.
    await loadClassifiers(database.db);
    const vectors = await createVectorStore(
      config.kb.vectors.kind === 'qdrant' ? config.kb.vectors : { kind: 'auto' },
      { db: database.db, embedded: config.database.driver === 'pglite' },
    );
    const kb = createKnowledgeBase({
      db: database.db,
      vectors,
      embedder: await createTextEmbedder(config.model, {
        embeddingModel: config.kb.embeddingModel,
        localEncoder: config.kb.sentenceEncoder,
      }),
      chunking: config.kb.chunking,
    });
    // Several instances on one PostgreSQL server without Redis still share live events.
    const cache =
      config.database.driver === 'pg' && config.cache.kind === 'memory'
        ? withPostgresPubSub(createCache(config.cache), config.database.url, config.cache.prefix)
        : createCache(config.cache);
    log.info(
      {
        database: config.database.driver,
        cache: config.cache.kind,
        model: config.model.provider,
        ms: Date.now() - started,
      },
      'tandem is ready',
    );
    const app: AppContext = {
      config,
      database,
      cache,
      model: await createAnswerModel(config.model),
      kb,
      vectors,
      secret,
    };
    if (config.jobs.worker) app.jobs = await startAppJobWorker(app);
    return app;
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

export async function stopApp(app: AppContext): Promise<void> {
  // Jobs in hand finish (or their lease lets another instance take them) before the database closes.
  await app.jobs?.stop();
  await Promise.allSettled([app.cache.close(), app.vectors.close()]);
  await app.database.close();
}

// Kept on globalThis so dev-server reloads reuse one database handle instead of opening another.
const holder = globalThis as typeof globalThis & {
  __tandemApp?: Promise<AppContext>;
  __tandemAppScope?: AsyncLocalStorage<AppContext>;
};
// On globalThis too: a bundler may load this module once per route, and all must see one scope.
holder.__tandemAppScope ??= new AsyncLocalStorage<AppContext>();
const scope = holder.__tandemAppScope;

/**
 * Runs `fn` with `app` as the app its route handlers get: how a sandbox answers a request for
 * one of the desk's own routes in-process, on its own database.
 */
export function runWithApp<T>(app: AppContext, fn: () => T): T {
  return scope.run(app, fn);
}

/** The process's app, started on first use (or the app of the {@link runWithApp} in progress). */
export function getApp(): Promise<AppContext> {
  const scoped = scope.getStore();
  if (scoped) return Promise.resolve(scoped);
  holder.__tandemApp ??= startApp(getConfig()).catch((error) => {
    holder.__tandemApp = undefined;
    throw error;
  });
  return holder.__tandemApp;
}
