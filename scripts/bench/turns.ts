import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { startApp, stopApp } from '@/lib/server/app';
import { runTurn } from '@/lib/turn/turn';
import type { Engines } from './engines';
import { QUESTIONS } from './load';

export interface TurnsBench {
  turns: number;
  /** Milliseconds per turn, from the request to the stored answer, median of the turns. */
  medianTurnMs: number;
  /** Until runTurn resolved (intake, plan, retrieval): the part before the first byte. */
  medianPlanMs: number;
  /** Database round trips per turn (statements, including BEGIN and COMMIT), median. */
  medianRoundTrips: number;
  /**
   * A turn's statements in order, each with its median milliseconds over the turns that sent the
   * most common number of statements (with the wait for the engine or server included).
   */
  sample: { statement: string; ms: number }[];
}

/**
 * Runs turns in this process, one after another, each in a new conversation as the load
 * generator sends them, and counts the database statements each sends (on PGlite too, where a
 * statement is a call into the embedded engine rather than a round trip).
 */
export async function benchTurns(options: {
  turns: number;
  engines: Engines;
  serverEnv: Record<string, string>;
  progress: (message: string) => void;
  /** Where to write a CPU profile of the measured turns alone (not start-up, not warm-up). */
  cpuProfDir?: string;
}): Promise<TurnsBench> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-bench-turns-'));
  const statements = countStatements();
  const app = await startApp(
    parseConfig({
      ...options.serverEnv,
      NODE_ENV: 'production',
      TANDEM_DATA_DIR: dataDir,
      DATABASE_URL: options.engines.databaseUrl ?? '',
      REDIS_URL: options.engines.redisUrl ?? '',
    }),
  );
  try {
    const customer = await createAnonymousCustomer(app.database.db);
    const turnMs: number[] = [];
    const planMs: number[] = [];
    const roundTrips: number[] = [];
    const logs: Entry[][] = [];
    // The first few warm the classifier, the retrieval index and the statement caches.
    const warmUp = Math.min(5, options.turns);
    let profiler: Profiler | undefined;
    for (let i = 0; i < options.turns + warmUp; i++) {
      if (i === warmUp && options.cpuProfDir) profiler = await startProfiler();
      const log: Entry[] = [];
      statements.log = log;
      const started = performance.now();
      const planned = await runOneTurn(app, customer, QUESTIONS[i % QUESTIONS.length]!);
      statements.log = undefined;
      if (i < warmUp) continue;
      turnMs.push(planned.doneAt - started);
      planMs.push(planned.plannedAt - started);
      roundTrips.push(log.length);
      logs.push(log);
    }
    options.progress(`turns: ${options.turns} in-process turns measured`);
    if (profiler && options.cpuProfDir) {
      const path = await profiler.stop(options.cpuProfDir);
      options.progress(`turns: wrote the CPU profile of the measured turns to ${path}`);
    }
    return {
      turns: options.turns,
      medianTurnMs: median(turnMs),
      medianPlanMs: median(planMs),
      medianRoundTrips: median(roundTrips),
      sample: typicalTurn(logs),
    };
  } finally {
    await stopApp(app);
    statements.restore();
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface Profiler {
  stop(dir: string): Promise<string>;
}

async function startProfiler(): Promise<Profiler> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(dir) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(dir, { recursive: true });
      const path = resolve(dir, `turns-${Date.now()}.cpuprofile`);
      await writeFile(path, JSON.stringify(profile));
      return path;
    },
  };
}

async function runOneTurn(
  app: AppContext,
  customer: Awaited<ReturnType<typeof createAnonymousCustomer>>,
  text: string,
) {
  const turn = await runTurn(app, { customer, text, idempotencyKey: randomUUID() });
  const plannedAt = performance.now();
  const reader = turn.events.getReader();
  while (!(await reader.read()).done) {
    // Drained as the widget's stream would drain it.
  }
  await turn.answer;
  return { plannedAt, doneAt: performance.now() };
}

type Entry = { statement: string; ms: number };
type Method = (...args: unknown[]) => unknown;

/**
 * Wraps the drivers' query methods so each statement sent while `log` is set is logged with its
 * time: node-postgres's Client#query (every statement, pooled or in a transaction, goes through
 * it) and PGlite's query, in and out of transactions. Turns run one at a time, so the log holds
 * one turn's statements, and whatever else the process (its job worker) sent meanwhile.
 */
function countStatements() {
  const state: { log: Entry[] | undefined; restore(): void } = {
    log: undefined,
    restore: () => {},
  };
  const begin = (first: unknown) => {
    const log = state.log;
    if (!log) return null;
    const text =
      typeof first === 'string' ? first : String((first as { text?: string })?.text ?? '');
    const entry = { statement: text.replace(/\s+/g, ' ').slice(0, 110), ms: 0 };
    log.push(entry);
    const started = performance.now();
    return () => {
      entry.ms = performance.now() - started;
    };
  };
  const timed = (original: Method): Method =>
    function (this: unknown, ...args: unknown[]) {
      const done = begin(args[0]);
      if (!done) return original.apply(this, args);
      // node-postgres's pool passes a callback; everything else returns a promise.
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        args[args.length - 1] = (...results: unknown[]) => {
          done();
          return callback(...results);
        };
      }
      const result = original.apply(this, args);
      if (result instanceof Promise) result.then(done, () => {});
      return result;
    };

  const client = pg.Client.prototype as unknown as { query: Method };
  const pgQuery = client.query;
  client.query = timed(pgQuery);
  const pglite = PGlite.prototype as unknown as { query: Method; transaction: Method };
  const { query: pgliteQuery, transaction: pgliteTransaction } = pglite;
  pglite.query = timed(pgliteQuery);
  pglite.transaction = function (this: unknown, ...args: unknown[]) {
    const [callback, ...rest] = args as [(tx: { query: Method }) => unknown, ...unknown[]];
    return pgliteTransaction.call(
      this,
      (tx: { query: Method }) => {
        tx.query = timed(tx.query.bind(tx));
        return callback(tx);
      },
      ...rest,
    );
  };
  state.restore = () => {
    client.query = pgQuery;
    pglite.query = pgliteQuery;
    pglite.transaction = pgliteTransaction;
  };
  return state;
}

export function formatTurnsBench(result: TurnsBench): string {
  return [
    `In-process turns (${result.turns}, one after another, each a new conversation): median ${result.medianTurnMs.toFixed(1)} ms to the stored answer, ${result.medianPlanMs.toFixed(1)} ms to the plan (first byte), ${result.medianRoundTrips} database statements; a typical turn's, with their median ms:`,
    ...result.sample.map(
      (s, i) => `  ${String(i + 1).padStart(3)} ${s.ms.toFixed(2).padStart(7)} ms  ${s.statement}`,
    ),
  ].join('\n');
}

function typicalTurn(logs: Entry[][]): Entry[] {
  const lengths = countBy(logs.map((log) => log.length));
  const common = [...lengths].sort((a, b) => b[1] - a[1])[0]?.[0];
  const alike = logs.filter((log) => log.length === common);
  return (alike[0] ?? []).map((entry, i) => ({
    statement: entry.statement,
    ms: median(alike.map((log) => log[i]?.ms ?? 0)),
  }));
}

function countBy(values: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0
    ? Number.NaN
    : sorted.length % 2
      ? sorted[mid]!
      : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
