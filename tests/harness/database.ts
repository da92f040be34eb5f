import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Database, openDatabase } from '@/db/client';
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
 * A throwaway PGlite folder that is already created and migrated, copied from a template built
 * once per set of migrations and PGlite version: creating a PGlite database (its initdb) is most
 * of what opening a fresh one costs, and copying the folder skips it.
 */
export async function createMigratedDataDir(): Promise<TempDataDir> {
  templateDir ??= buildTemplate();
  const template = await templateDir;
  const dataDir = await createTempDataDir();
  await cp(template, dataDir.dir, { recursive: true });
  return dataDir;
}

let templateDir: Promise<string> | undefined;

async function buildTemplate(): Promise<string> {
  const dir = path.join(os.tmpdir(), `tandem-pglite-template-${await templateKey()}`);
  if (existsSync(dir)) return dir;
  const building = await createTempDataDir();
  const database = await openDatabase({ driver: 'pglite', dataDir: building.dir });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  // The rename is atomic, so a template that exists is complete; when test workers race to
  // build it, the first one's stays and the others drop theirs.
  try {
    await rename(building.dir, dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    await building.cleanup();
  }
  return dir;
}

async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector']) {
    const manifest = path.join(process.cwd(), 'node_modules', pkg, 'package.json');
    hash.update(`${pkg}@${JSON.parse(await readFile(manifest, 'utf8')).version}\n`);
  }
  const migrations = path.join(process.cwd(), 'db', 'migrations');
  for (const file of (await readdir(migrations, { recursive: true })).sort()) {
    const text = await readFile(path.join(migrations, file)).catch(() => null);
    if (text) hash.update(file).update(text);
  }
  return hash.digest('hex').slice(0, 16);
}
