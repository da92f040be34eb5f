import { setMaxListeners } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDashboard, formatDashboardBench } from './bench/dashboard';
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
import { describeMachine, formatReport, type Report } from './bench/report';
import {
  assertBuildExists,
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
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-bench-'));
  const cleanUp = once(async () => {
    await stopAllGroups();
    await rm(dataDir, { recursive: true, force: true });
  });
  installSignalHandlers(cleanUp);
  try {
    const env = createServerEnv(dataDir);
    if (options.skipBuild) assertBuildExists(ROOT);
    else await buildApp(ROOT, env);
    const report = await benchServer(options, env);
    await cleanUp();
    console.log(`\n${formatReport(report)}`);
    if (options.jsonPath) await writeJson(options.jsonPath, report);
    return reportBrokenEndpoints(report.results) ? 1 : 0;
  } finally {
    await cleanUp();
  }
}

async function benchServer(options: BenchOptions, env: NodeJS.ProcessEnv): Promise<Report> {
  const server = startServer(ROOT, await findFreePort(), env);
  progress(`starting scripts/start.mjs on ${server.baseUrl} (data in ${env.TANDEM_DATA_DIR})`);
  const readyMs = await waitUntilReady(server, READY_TIMEOUT_MS);
  progress(`ready after ${(readyMs / 1000).toFixed(1)} s`);
  const afterReady = await readServerRss(server.group.pgid);
  const results = await measureEndpoints(server, options);
  const afterRun = await readServerRss(server.group.pgid);
  await server.group.stop();
  return {
    machine: describeMachine(),
    settings: {
      warmupSeconds: options.warmupMs / 1000,
      durationSeconds: options.durationMs / 1000,
      concurrencies: options.concurrencies,
    },
    readyMs,
    results,
    ratios: computeRatios(results, chatEndpoint.name, healthEndpoint.name),
    serverRss: { afterReady, afterRun },
  };
}

/** Health and chat back to back at each concurrency, so each ratio compares the same moment. */
async function measureEndpoints(server: Server, options: BenchOptions): Promise<CellResult[]> {
  const sessions = new Map(
    ENDPOINTS.map((endpoint) => [endpoint, createSessions(Math.max(...options.concurrencies))]),
  );
  const results: CellResult[] = [];
  for (const concurrency of options.concurrencies) {
    for (const endpoint of ENDPOINTS) {
      const clients = sessions.get(endpoint)?.slice(0, concurrency) ?? [];
      results.push(await measureCell(server, endpoint, clients, options));
    }
  }
  return results;
}

async function measureCell(
  server: Server,
  endpoint: Endpoint,
  clients: Session[],
  options: BenchOptions,
): Promise<CellResult> {
  const label = `${endpoint.path} × ${clients.length}`;
  if (options.warmupMs > 0) {
    progress(`${label}: warming up ${options.warmupMs / 1000} s`);
    await runClients(server.baseUrl, endpoint, clients, options.warmupMs, interruption.signal);
    assertServerRunning(server);
  }
  progress(`${label}: measuring ${options.durationMs / 1000} s`);
  const samples = await runClients(
    server.baseUrl,
    endpoint,
    clients,
    options.durationMs,
    interruption.signal,
  );
  assertServerRunning(server);
  const cell = summarizeCell(endpoint, clients.length, samples);
  progress(
    `${label}: ${cell.requestsPerSecond.toFixed(1)} req/s, p50 ${cell.latencyMs.p50.toFixed(2)} ms, ${cell.errors} errors`,
  );
  return cell;
}

function assertServerRunning(server: Server): void {
  if (server.group.hasExited()) throw new ServerError('the server exited during the run', server);
}

/** An endpoint that answered nothing successfully makes the whole run a failure. */
function reportBrokenEndpoints(results: CellResult[]): boolean {
  const broken = ENDPOINTS.filter((endpoint) =>
    results.every((cell) => cell.endpoint !== endpoint.name || cell.requests === 0),
  );
  for (const endpoint of broken) console.error(`bench: every ${endpoint.path} request failed`);
  return broken.length > 0;
}

async function writeJson(path: string, report: Report): Promise<void> {
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
