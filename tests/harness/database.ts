import { type Database, openDatabase } from '@/db/client';
import { copyMigratedPglite } from '@/db/pglite-template';
import { loadOrCreateSecret } from '@/db/seed';
import { createCache } from '@/lib/cache';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { createTempDataDir, type TempDataDir } from './postgres';

/** What domain code that takes `(db, …)` or a few fields of the context reads. */
export interface TestDatabaseContext
  extends Pick<AppContext, 'config' | 'database' | 'cache' | 'secret'> {
  db: Database;
  close(): Promise<void>;
}

/**
 * A migrated, empty database with the config, cache and secret an app would have, and nothing
 * else: no demo content or accounts, no trained classifiers, model, knowledge base or job worker.
 * PGlite in a throwaway folder, or the PostgreSQL database `env.DATABASE_URL` names. For tests
 * of domain modules; route handlers and whole turns need `startTestApp` (./app.ts).
 */
export async function openTestDatabase(
  env: Record<string, string> = {},
): Promise<TestDatabaseContext> {
  const dataDir = env.DATABASE_URL ? null : await createMigratedDataDir();
  const config = parseConfig({
    ...(dataDir ? { TANDEM_DATA_DIR: dataDir.dir } : {}),
    LOG_LEVEL: 'silent',
    TANDEM_CONSENT_REQUIRED: 'false',
    ...env,
  });
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
    const secret = await loadOrCreateSecret(database.db, config.secret);
    const cache = createCache(config.cache);
    return {
      config,
      database,
      db: database.db,
      cache,
      secret,
      async close() {
        await cache.close();
        await database.close();
        await dataDir?.cleanup();
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    await dataDir?.cleanup();
    throw error;
  }
}

/**
 * A throwaway PGlite folder that is already created and migrated, copied from the template
 * built once per set of migrations and PGlite version (db/pglite-template.ts).
 */
export async function createMigratedDataDir(): Promise<TempDataDir> {
  const dataDir = await createTempDataDir();
  await copyMigratedPglite(dataDir.dir);
  return dataDir;
}
