import { parseArgs } from 'node:util';

export interface BenchOptions {
  durationMs: number;
  warmupMs: number;
  concurrencies: number[];
  skipBuild: boolean;
  jsonPath?: string;
  /** A PostgreSQL server for the dashboard benchmark (it creates its own database there). */
  dashboardDb?: string;
  only?: 'chat' | 'dashboard' | 'turns';
  /** In-process turns for --only turns. */
  turns: number;
  /** A PostgreSQL server for the app (the bench creates and drops a database of its own there). */
  databaseUrl?: string;
  /** A Redis server for the app's cache and events (keys under a prefix of the run's own). */
  redisUrl?: string;
  /** App instances on the same database, behind the one load generator. */
  instances: number;
  /** The offline model's pause between streamed pieces; 0 measures work, not sleep. */
  tokenDelayMs: number;
  /** Where each server writes a V8 CPU profile of its whole run (node --cpu-prof). */
  cpuProfDir?: string;
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --duration <s>       measured seconds per endpoint and concurrency (default 10)
  --warmup <s>         discarded warm-up seconds before each measurement (default 2)
  --concurrency <list> comma-separated concurrent clients (default 1,10,50)
  --skip-build         reuse the existing .next build instead of running next build
  --json <file>        also write the results as JSON to <file>
  --dashboard-db <url> also time the insights dashboard's queries on a PostgreSQL server
                       (seeds 100,000 conversations into its own database once)
  --only chat|dashboard|turns
                       run one benchmark; turns runs turns inside the bench's own process and
                       lists a typical turn's database statements with their times
  --turns <n>          how many in-process turns --only turns measures (default 50)
  --database-url <url> run the app on this PostgreSQL server instead of embedded PGlite; the
                       bench creates a database of its own there and drops it afterwards
  --redis-url <url>    use this Redis for the cache, limits and events (keys under a prefix of
                       the run's own, deleted afterwards)
  --instances <n>      app instances on the same database, clients spread across them
                       (default 1; more than one needs --database-url)
  --token-delay <ms>   the offline model's pause between streamed pieces (default 0: the
                       pause is a sleep, not work; the app's own default is 15)
  --cpu-prof <dir>     write a V8 CPU profile of each server's run into <dir> (with --only
                       turns: of the measured turns alone)
  -h, --help           show this help`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseOptions(argv: string[]): BenchOptions {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    durationMs: parseSeconds('--duration', values.duration, { allowZero: false }),
    warmupMs: parseSeconds('--warmup', values.warmup, { allowZero: true }),
    concurrencies: parseConcurrencies(values.concurrency),
    skipBuild: values['skip-build'],
    jsonPath: values.json,
    dashboardDb: values['dashboard-db'],
    only: parseOnly(values.only),
    turns: parseTurns(values.turns),
    databaseUrl: parseUrl('--database-url', values['database-url'], ['postgres:', 'postgresql:']),
    redisUrl: parseUrl('--redis-url', values['redis-url'], ['redis:', 'rediss:']),
    instances: parseInstances(values.instances, values['database-url']),
    tokenDelayMs: parseTokenDelay(values['token-delay']),
    cpuProfDir: values['cpu-prof'],
    help: values.help,
  };
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '1,10,50' },
      'skip-build': { type: 'boolean', default: false },
      json: { type: 'string' },
      'dashboard-db': { type: 'string' },
      only: { type: 'string' },
      turns: { type: 'string', default: '50' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      instances: { type: 'string', default: '1' },
      'token-delay': { type: 'string', default: '0' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
}

function parseSeconds(flag: string, raw: string, { allowZero }: { allowZero: boolean }): number {
  const seconds = Number(raw);
  const valid = Number.isFinite(seconds) && (allowZero ? seconds >= 0 : seconds > 0);
  if (!valid) {
    throw new UsageError(`${flag} must be a number of seconds ${allowZero ? '≥ 0' : '> 0'}`);
  }
  return Math.round(seconds * 1000);
}

function parseConcurrencies(raw: string): number[] {
  const levels = raw.split(',').map((part) => Number(part.trim()));
  if (levels.length === 0 || !levels.every((n) => Number.isInteger(n) && n > 0)) {
    throw new UsageError('--concurrency must be a comma-separated list of positive integers');
  }
  return [...new Set(levels)];
}

function parseOnly(raw: string | undefined): BenchOptions['only'] {
  if (raw === undefined || raw === 'chat' || raw === 'dashboard' || raw === 'turns') return raw;
  throw new UsageError('--only must be chat, dashboard or turns');
}

function parseUrl(flag: string, raw: string | undefined, protocols: string[]): string | undefined {
  if (raw === undefined) return undefined;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    throw new UsageError(`${flag} must be a URL`);
  }
  if (!protocols.includes(protocol)) {
    throw new UsageError(`${flag} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

function parseInstances(raw: string, databaseUrl: string | undefined): number {
  const instances = Number(raw);
  if (!Number.isInteger(instances) || instances < 1 || instances > 8) {
    throw new UsageError('--instances must be an integer from 1 to 8');
  }
  if (instances > 1 && !databaseUrl) {
    throw new UsageError('--instances above 1 needs --database-url (PGlite serves one process)');
  }
  return instances;
}

function parseTokenDelay(raw: string): number {
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 1000) {
    throw new UsageError('--token-delay must be an integer number of milliseconds from 0 to 1000');
  }
  return ms;
}

function parseTurns(raw: string): number {
  const turns = Number(raw);
  if (!Number.isInteger(turns) || turns < 1 || turns > 100_000) {
    throw new UsageError('--turns must be an integer from 1 to 100000');
  }
  return turns;
}
