import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

/** What the bench created on a real engine, so it removes exactly that and nothing else. */
export interface Engines {
  /** The bench's own database on the given PostgreSQL server, when one was given. */
  databaseUrl?: string;
  redisUrl?: string;
  /** Every key and channel of the run starts with it, so the bench shares a Redis safely. */
  cachePrefix?: string;
  drop(): Promise<void>;
}

const DATABASE_PREFIX = 'tandem_bench_run_';
const DELETE_BATCH = 500;

/**
 * Creates a fresh database named for this run on the PostgreSQL server (never an existing one)
 * and a key prefix of its own on Redis; `drop` removes the database it created and its keys.
 */
export async function prepareEngines(options: {
  databaseUrl?: string;
  redisUrl?: string;
}): Promise<Engines> {
  const run = randomBytes(4).toString('hex');
  let createdDatabase: { serverUrl: string; name: string } | undefined;
  let databaseUrl: string | undefined;
  if (options.databaseUrl) {
    const name = `${DATABASE_PREFIX}${run}`;
    await withClient(options.databaseUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
    createdDatabase = { serverUrl: options.databaseUrl, name };
    const url = new URL(options.databaseUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  const cachePrefix = options.redisUrl ? `tandem-bench-${run}:` : undefined;
  if (options.redisUrl) await withRedis(options.redisUrl, (redis) => redis.ping());
  let dropping: Promise<void> | undefined;
  return {
    databaseUrl,
    redisUrl: options.redisUrl,
    cachePrefix,
    drop() {
      dropping ??= (async () => {
        if (createdDatabase) {
          const { serverUrl, name } = createdDatabase;
          await withClient(serverUrl, (client) =>
            client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
          );
        }
        if (options.redisUrl && cachePrefix) await deleteKeys(options.redisUrl, cachePrefix);
      })();
      return dropping;
    },
  };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function withRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  await withRedis(url, async (redis) => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', DELETE_BATCH);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  });
}

/** The URL with its password hidden, for the report. */
export function redactUrl(raw: string): string {
  const url = new URL(raw);
  if (url.password) url.password = '***';
  return url.toString();
}
