import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Engines, redactUrl } from './engines';
import { listGroupMembers, readRssBytes } from './proc';
import { type ProcessGroup, spawnGroup } from './processes';

// Emptied rather than removed: Next never lets a .env file fill a variable that is set, even to ''.
const ENGINE_VARIABLES = [
  'DATABASE_URL',
  'POSTGRES_URL',
  'REDIS_URL',
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'OPENAI_API_KEY',
  'TANDEM_OFFLINE_TOKEN_DELAY_MS',
  'TANDEM_CACHE_PREFIX',
];
// Removed: they only matter with a key, and @ai-sdk/openai rejects an empty OPENAI_BASE_URL on import.
const KEY_DEPENDENT_VARIABLES = ['OPENAI_BASE_URL', 'OPENAI_MODEL'];
const LOG_TAIL_LINES = 40;
const READY_POLL_MS = 200;

export interface Server {
  group: ProcessGroup;
  baseUrl: string;
  logTail(): string;
}

export interface Rss {
  pid: number;
  bytes: number;
}

/** The settings the bench gives the server itself, named as their environment variables. */
export function benchServerSettings(options: {
  tokenDelayMs: number;
  engines: Engines;
}): Record<string, string> {
  const { engines } = options;
  return {
    // The bench measures what a message costs, from one address: the widget's flood limits and
    // the consent notice (each with its own tests) would refuse it before the message path runs.
    TANDEM_WIDGET_CONVERSATIONS_PER_HOUR: '100000',
    TANDEM_WIDGET_MESSAGES_PER_MINUTE: '10000',
    TANDEM_CONSENT_REQUIRED: 'false',
    // The offline model paces its pieces so answers visibly stream; that pause is a sleep, not
    // work, and would hide what a turn costs.
    TANDEM_OFFLINE_TOKEN_DELAY_MS: String(options.tokenDelayMs),
    // The demo help center on every engine, so each mode answers the same questions alike.
    TANDEM_DEMO: 'true',
    LOG_LEVEL: 'warn',
    ...(engines.databaseUrl ? { DATABASE_URL: redactUrl(engines.databaseUrl) } : {}),
    ...(engines.redisUrl ? { REDIS_URL: redactUrl(engines.redisUrl) } : {}),
    ...(engines.cachePrefix ? { TANDEM_CACHE_PREFIX: engines.cachePrefix } : {}),
  };
}

/** The offline model on the engines chosen (embedded by default), whatever the caller's shell has. */
export function createServerEnv(
  dataDir: string,
  options: { tokenDelayMs: number; engines: Engines },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ENGINE_VARIABLES) env[name] = '';
  for (const name of KEY_DEPENDENT_VARIABLES) delete env[name];
  Object.assign(env, benchServerSettings(options), { TANDEM_DATA_DIR: dataDir });
  // The real URLs, not the redacted ones shown in the report.
  if (options.engines.databaseUrl) env.DATABASE_URL = options.engines.databaseUrl;
  if (options.engines.redisUrl) env.REDIS_URL = options.engines.redisUrl;
  return env;
}

export async function buildApp(root: string, env: NodeJS.ProcessEnv): Promise<void> {
  const build = spawnGroup('npx', ['next', 'build'], { cwd: root, env, stdio: ['ignore', 2, 2] });
  const exit = await build.exited;
  await build.stop();
  if (exit.error) throw exit.error;
  if (exit.code !== 0) throw new Error(`next build failed (${exit.signal ?? `exit ${exit.code}`})`);
}

export function assertBuildExists(root: string): void {
  if (!existsSync(join(root, '.next', 'BUILD_ID'))) {
    throw new Error('--skip-build needs an existing build: no .next/BUILD_ID; run without it once');
  }
}

export async function findFreePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export function startServer(
  root: string,
  port: number,
  env: NodeJS.ProcessEnv,
  options: { cpuProfDir?: string } = {},
): Server {
  // Written when the server exits, which it does on the SIGTERM that stops it.
  const profile = options.cpuProfDir
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(options.cpuProfDir)}`]
    : [];
  // Served as `npm start` serves it.
  const args = [...profile, 'scripts/start.mjs', '-H', '127.0.0.1', '-p', String(port)];
  const group = spawnGroup('node', args, {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keepLines = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - LOG_TAIL_LINES));
  };
  group.child.stdout?.on('data', keepLines);
  group.child.stderr?.on('data', keepLines);
  return { group, baseUrl: `http://127.0.0.1:${port}`, logTail: () => lines.join('\n') };
}

/** Resolves with the milliseconds until /api/health/ready answered 200 (database migrated and seeded). */
export async function waitUntilReady(server: Server, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (server.group.hasExited())
      throw new ServerError('the server exited before it was ready', server);
    if (await isReady(server.baseUrl)) return performance.now() - started;
    await sleep(READY_POLL_MS);
  }
  throw new ServerError(`the server was not ready after ${timeoutMs / 1000} s`, server);
}

async function isReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/api/health/ready`, {
      signal: AbortSignal.timeout(2000),
    });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

export class ServerError extends Error {
  override name = 'ServerError';
  constructor(message: string, server: Server) {
    const tail = server.logTail();
    super(tail ? `${message}; its last output:\n${tail}` : message);
  }
}

/** The resident memory of the group's largest process: the Next server, not the npx launcher. */
export async function readServerRss(pgid: number): Promise<Rss | null> {
  const members = await listGroupMembers(pgid);
  const sizes = await Promise.all(
    members.map(async ({ pid }) => ({ pid, bytes: await readRssBytes(pid) })),
  );
  return sizes.reduce<Rss | null>(
    (max, s) => (max === null || s.bytes > max.bytes ? s : max),
    null,
  );
}
