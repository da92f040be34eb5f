import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  name: string;
  url: string;
  /** Ends every session on the database from the server side, as a restart or failover would. */
  terminateConnections(): Promise<number>;
  drop(): Promise<void>;
}

export interface TempDataDir {
  dir: string;
  cleanup(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function runAdminQuery<T>(baseUrl: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function countConnections(baseUrl: string, database: string): Promise<number> {
  const [row] = await runAdminQuery<{ n: number }>(
    baseUrl,
    'select count(*)::int as n from pg_stat_activity where datname = $1',
    [database],
  );
  return row?.n ?? 0;
}

/**
 * A fresh database of its own on the shared server. Its URL names the host `localhost`, which
 * @vercel/postgres accepts as a local connection string; the others do not mind.
 */
export async function createTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `tandem_test_${randomBytes(6).toString('hex')}`;
  await runAdminQuery(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.hostname = 'localhost';
  url.pathname = `/${name}`;

  const terminateConnections = async () => {
    const rows = await runAdminQuery(
      baseUrl,
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    return rows.length;
  };
  let dropped = false;
  return {
    name,
    url: url.toString(),
    terminateConnections,
    async drop() {
      if (dropped) return;
      dropped = true;
      // A pool's end() resolves before its sockets have closed; terminating those would surface
      // as an unhandled error on a client that is already leaving, so give them a moment first.
      const deadline = Date.now() + 2_000;
      while (Date.now() < deadline && (await countConnections(baseUrl, name)) > 0) await sleep(25);
      await terminateConnections();
      await runAdminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name}`);
    },
  };
}

export async function createTempDataDir(): Promise<TempDataDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-pglite-'));
  return {
    dir,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
