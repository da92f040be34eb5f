import { parseArgs } from 'node:util';

export interface BenchOptions {
  durationMs: number;
  warmupMs: number;
  concurrencies: number[];
  skipBuild: boolean;
  jsonPath?: string;
  /** A PostgreSQL server for the dashboard benchmark (it creates its own database there). */
  dashboardDb?: string;
  only?: 'chat' | 'dashboard';
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
  --only chat|dashboard  run one of the two benchmarks
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
  if (raw === undefined || raw === 'chat' || raw === 'dashboard') return raw;
  throw new UsageError('--only must be chat or dashboard');
}
