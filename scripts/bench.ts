import { setMaxListeners } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDashboard, formatDashboardBench } from './bench/dashboard';
import { type Engines, prepareEngines, redactUrl } from './bench/engines';
import {
  chatEndpoint,
  createSessions,
  type Endpoint,
  healthEndpoint,
  runClients,
  type Session,
} from './bench/load';
import { type BenchOptions, parseOptions, USAGE, UsageError } from './bench/options';
import { stopAllGroups } from './bench/processes';
import { describeMachine, formatReport, type Report, readLoadAverage } from './bench/report';
import {
  assertBuildExists,
  benchServerSettings,
  buildApp,
  createServerEnv,
  findFreePort,
  readServerRss,
  type Server,
  ServerError,
  startServer,
  waitUntilReady,
} from './bench/server';
import { type CellResult, computeRatios, summarizeCell } from './bench/stats';
import { benchTurns, formatTurnsBench } from './bench/turns';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const ENDPOINTS = [healthEndpoint, chatEndpoint];

const interruption = new AbortController();
// One listener per in-flight request.
setMaxListeners(0, interruption.signal);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.only === 'dashboard' && !options.dashboardDb) {
    throw new UsageError('--only dashboard needs --dashboard-db <postgres url>');
  }
  if (options.dashboardDb) {
    const dashboard = await benchDashboard(options.dashboardDb, progress);
    console.log(`\n${formatDashboardBench(dashboard)}`);
    if (options.only === 'dashboard') return 0;
  }
  if (options.only === 'turns') return runTurnsBench(options);
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-bench-'));
  let engines: Engines | undefined;
  const cleanUp = once(async () => {
    await stopAllGroups();
    await rm(dataDir, { recursive: true, force: true });
    await engines?.drop();
  });
  installSignalHandlers(cleanUp);
  try {
    engines = await prepareEngines(options);
    if (engines.databaseUrl) progress(`created ${redactUrl(engines.databaseUrl)} for this run`);
    const env = createServerEnv(dataDir, { tokenDelayMs: options.tokenDelayMs, engines });
    if (options.skipBuild) assertBuildExists(ROOT);
    else await buildApp(ROOT, env);
    const report = await benchServer(options, env, engines);
    await cleanUp();
    console.log(`\n${formatReport(report)}`);
    if (options.jsonPath) await writeJson(options.jsonPath, report);
    return reportBrokenEndpoints(report.results) ? 1 : 0;
  } finally {
    await cleanUp();
  }
}

async function runTurnsBench(options: BenchOptions): Promise<number> {
  const engines = await prepareEngines(options);
  installSignalHandlers(() => engines.drop());
  try {
    const serverEnv = benchServerSettings({ tokenDelayMs: options.tokenDelayMs, engines });
    const result = await benchTurns({
      turns: options.turns,
      engines,
      serverEnv,
      progress,
      cpuProfDir: options.cpuProfDir,
    });
    console.log(`\n${formatTurnsBench(result)}`);
    if (options.jsonPath) await writeJson(options.jsonPath, result);
    return 0;
  } finally {
    await engines.drop();
  }
}

async function benchServer(
  options: BenchOptions,
  env: NodeJS.ProcessEnv,
  engines: Engines,
): Promise<Report> {
  const loadAtStart = readLoadAverage();
  const servers: Server[] = [];
  let readyMs = 0;
  // One after the other: the first applies the migrations and seeds, the rest find them done.
  for (let i = 0; i < options.instances; i++) {
    const server = startServer(ROOT, await findFreePort(), env, { cpuProfDir: options.cpuProfDir });
    progress(`starting scripts/start.mjs on ${server.baseUrl} (data in ${env.TANDEM_DATA_DIR})`);
    const ms = await waitUntilReady(server, READY_TIMEOUT_MS);
    progress(`ready after ${(ms / 1000).toFixed(1)} s`);
    if (i === 0) readyMs = ms;
    servers.push(server);
  }
  const afterReady = await Promise.all(servers.map((s) => readServerRss(s.group.pgid)));
  const results = await measureEndpoints(servers, options);
  const afterRun = await Promise.all(servers.map((s) => readServerRss(s.group.pgid)));
  await Promise.all(servers.map((s) => s.group.stop()));
  const serverRssByInstance = servers.map((_, i) => ({
    afterReady: afterReady[i] ?? null,
    afterRun: afterRun[i] ?? null,
  }));
  return {
    machine: describeMachine(),
    loadAverage: { atStart: loadAtStart, atEnd: readLoadAverage() },
    mode: {
      database: engines.databaseUrl ? 'postgresql' : 'pglite',
      cache: engines.redisUrl ? 'redis' : 'memory',
      instances: options.instances,
    },
    settings: {
      warmupSeconds: options.warmupMs / 1000,
      durationSeconds: options.durationMs / 1000,
      concurrencies: options.concurrencies,
      tokenDelayMs: options.tokenDelayMs,
      serverEnv: benchServerSettings({ tokenDelayMs: options.tokenDelayMs, engines }),
    },
    readyMs,
    results,
    ratios: computeRatios(results, chatEndpoint.name, healthEndpoint.name),
    serverRss: serverRssByInstance[0] ?? { afterReady: null, afterRun: null },
    serverRssByInstance,
  };
}

/** Health and chat back to back at each concurrency, so each ratio compares the same moment. */
async function measureEndpoints(servers: Server[], options: BenchOptions): Promise<CellResult[]> {
  const sessions = new Map(
    ENDPOINTS.map((endpoint) => [endpoint, createSessions(Math.max(...options.concurrencies))]),
  );
  const results: CellResult[] = [];
  for (const concurrency of options.concurrencies) {
    for (const endpoint of ENDPOINTS) {
      const clients = sessions.get(endpoint)?.slice(0, concurrency) ?? [];
      results.push(await measureCell(servers, endpoint, clients, options));
    }
  }
  return results;
}

async function measureCell(
  servers: Server[],
  endpoint: Endpoint,
  clients: Session[],
  options: BenchOptions,
): Promise<CellResult> {
  const label = `${endpoint.path} × ${clients.length}`;
  const baseUrls = servers.map((server) => server.baseUrl);
  if (options.warmupMs > 0) {
    progress(`${label}: warming up ${options.warmupMs / 1000} s`);
    await runClients(baseUrls, endpoint, clients, options.warmupMs, interruption.signal);
    assertServersRunning(servers);
  }
  progress(`${label}: measuring ${options.durationMs / 1000} s`);
  const samples = await runClients(
    baseUrls,
    endpoint,
    clients,
    options.durationMs,
    interruption.signal,
  );
  assertServersRunning(servers);
  const cell = summarizeCell(endpoint, clients.length, samples);
  progress(
    `${label}: ${cell.requestsPerSecond.toFixed(1)} req/s, p50 ${cell.latencyMs.p50.toFixed(2)} ms, ${cell.errors} errors`,
  );
  return cell;
}

function assertServersRunning(servers: Server[]): void {
  for (const server of servers) {
    if (server.group.hasExited()) throw new ServerError('a server exited during the run', server);
  }
}

/** An endpoint that answered nothing successfully makes the whole run a failure. */
function reportBrokenEndpoints(results: CellResult[]): boolean {
  const broken = ENDPOINTS.filter((endpoint) =>
    results.every((cell) => cell.endpoint !== endpoint.name || cell.requests === 0),
  );
  for (const endpoint of broken) console.error(`bench: every ${endpoint.path} request failed`);
  return broken.length > 0;
}

async function writeJson(path: string, report: unknown): Promise<void> {
  const target = resolve(path);
  await writeFile(target, `${JSON.stringify(report, null, 2)}\n`);
  progress(`wrote ${target}`);
}

function installSignalHandlers(cleanUp: () => Promise<void>): void {
  const exitCodes = { SIGINT: 130, SIGTERM: 143 } as const;
  for (const [signal, code] of Object.entries(exitCodes)) {
    // `on`, not `once`: tsx and the terminal may both deliver the same Ctrl-C.
    process.on(signal, () => {
      if (interruption.signal.aborted) return;
      progress(`${signal}: stopping the clients and the server`);
      interruption.abort();
      void cleanUp().finally(() => process.exit(code));
    });
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= action();
    return running;
  };
}

function progress(message: string): void {
  if (!interruption.signal.aborted) console.error(`bench: ${message}`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (interruption.signal.aborted) return;
    if (error instanceof UsageError) console.error(`bench: ${error.message}\n\n${USAGE}`);
    else console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
