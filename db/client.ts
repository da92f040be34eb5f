import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { VercelPoolClient } from '@vercel/postgres';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PoolClient } from 'pg';
import type { DatabaseConfig } from '@/lib/config';
import * as schema from './schema';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** drizzle's execute resolves to { rows } on node-postgres, PGlite and @vercel/postgres alike. */
export function rowsOf<T>(result: unknown): T[] {
  const rows = (result as { rows?: T[] }).rows;
  return Array.isArray(rows) ? rows : (result as T[]);
}

export interface DatabaseHandle {
  db: Database;
  driver: DatabaseConfig['driver'];
  /**
   * Applies the committed migrations in db/migrations, then runs `afterwards` while still holding
   * the lock that serialises instances starting together on one server.
   */
  migrate(afterwards?: (db: Database) => Promise<void>): Promise<void>;
  ping(): Promise<void>;
  /** LISTENs on a channel (on a session of its own for a server); absent where unsupported. */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The data folder ${dataDir} is in use by process ${pid} (a running Tandem server?). ` +
        'PGlite serves one process at a time: stop that process first, or set TANDEM_DATA_DIR ' +
        'to another folder, or use DATABASE_URL for a PostgreSQL server that many processes can share.',
    );
    this.name = 'DataDirInUseError';
  }
}

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');
const MIGRATION_LOCK_ID = 7_361_042;

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  switch (config.driver) {
    case 'pglite':
      return openPglite(config.dataDir);
    case 'pg':
      return openNodePostgres(config.url);
    case 'vercel-postgres':
      return openVercelPostgres(config.url);
  }
}

/**
 * PostgreSQL's default 128 MB of shared buffers costs the server 110–150 MiB of RSS in PGlite's
 * WebAssembly heap. PGlite reads its files through the operating system's page cache, so a buffer
 * miss is a copy, not a disk read: at 32 MB, lookups by index and pgvector searches time the same
 * and a full scan of a 28 MB table about 7 % slower (64 MB would save 30 MiB less for no gain).
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=32MB'];

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const releaseLock = acquireDataDirLock(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { vector } = await import('@electric-sql/pglite-pgvector');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    // pgvector must be loaded as PGlite starts for CREATE EXTENSION vector to work later.
    const client = await PGlite.create(dataDir, {
      extensions: { vector },
      startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS],
    });
    const db = drizzle({ client, schema }) as unknown as Database;
    return {
      db,
      driver: 'pglite',
      migrate: async (afterwards) => {
        await migrate(db as never, { migrationsFolder });
        await afterwards?.(db);
      },
      ping: async () => {
        await client.query('select 1');
      },
      listen: (channel, onNotify) => client.listen(channel, () => onNotify()),
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function openNodePostgres(url: string): Promise<DatabaseHandle> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  const handle = poolHandle<PoolClient>(
    'pg',
    pool,
    drizzle({ client: pool, schema }) as unknown as Database,
    (client) => migrate(drizzle({ client, schema }), { migrationsFolder }),
  );
  return { ...handle, listen: (channel, onNotify) => listenOnServer(url, channel, onNotify) };
}

/**
 * A pooled connection cannot hold a LISTEN, so each listener has a session of its own. If that
 * session drops, wake-ups stop but nothing else does: callers poll as well.
 */
async function listenOnServer(url: string, channel: string, onNotify: () => void) {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', ignoreIdleClientError);
  client.on('notification', (message) => {
    if (message.channel === channel) onNotify();
  });
  await client.connect();
  await client.query(`listen "${channel.replaceAll('"', '')}"`);
  return async () => {
    await client.end().catch(() => {});
  };
}

async function openVercelPostgres(url: string): Promise<DatabaseHandle> {
  const { createPool } = await import('@vercel/postgres');
  const { drizzle } = await import('drizzle-orm/vercel-postgres');
  const { migrate } = await import('drizzle-orm/vercel-postgres/migrator');
  const pool = createPool({ connectionString: url });
  return poolHandle<VercelPoolClient>(
    'vercel-postgres',
    pool,
    drizzle({ client: pool, schema }) as unknown as Database,
    (client) => migrate(drizzle({ client, schema }), { migrationsFolder }),
  );
}

type SessionClient = {
  query(text: string, values: unknown[]): Promise<unknown>;
  release(): void;
};

interface ServerPool<Client extends SessionClient> {
  connect(): Promise<Client>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** A PostgreSQL server behind a pool, whichever driver speaks to it. */
function poolHandle<Client extends SessionClient>(
  driver: 'pg' | 'vercel-postgres',
  pool: ServerPool<Client>,
  db: Database,
  migrateOn: (client: Client) => Promise<void>,
): DatabaseHandle {
  pool.on('error', ignoreIdleClientError);
  return {
    db,
    driver,
    migrate: async (afterwards) => {
      const client = await pool.connect();
      try {
        // Serialises instances starting together on one server; released with the session.
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await migrateOn(client);
        await afterwards?.(db);
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
        client.release();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}

/**
 * The server may drop an idle pooled connection (restart, failover, idle reaping); the pool then
 * emits 'error', which would crash the process if nobody listened. The pool has already discarded
 * that client and opens a new one on the next query, which reports any lasting failure itself.
 */
function ignoreIdleClientError() {}

/** A pid file guards the PGlite folder: two processes writing it would corrupt it. */
function acquireDataDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'tandem.pid');
  const holder = readLockHolder(lockFile);
  if (holder !== undefined && holder !== process.pid && isProcessAlive(holder)) {
    throw new DataDirInUseError(dataDir, holder);
  }
  writeFileSync(lockFile, String(process.pid));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (readLockHolder(lockFile) === process.pid) rmSync(lockFile, { force: true });
  };
}

function readLockHolder(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
