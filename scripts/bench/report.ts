import { cpus, loadavg, release, totalmem } from 'node:os';
import type { Rss } from './server';
import type { CellResult, Ratio } from './stats';

export interface Machine {
  cpuCount: number;
  cpuModel: string;
  node: string;
  platform: string;
  memoryGiB: number;
}

export interface ServerMemory {
  afterReady: Rss | null;
  afterRun: Rss | null;
}

export interface Mode {
  database: 'pglite' | 'postgresql';
  cache: 'memory' | 'redis';
  instances: number;
}

export interface Report {
  machine: Machine;
  /** The load average (1, 5, 15 min) when the run started and ended: other work skews figures. */
  loadAverage: { atStart: number[]; atEnd: number[] };
  mode: Mode;
  settings: {
    warmupSeconds: number;
    durationSeconds: number;
    concurrencies: number[];
    /** The offline model's pause between streamed pieces during the run. */
    tokenDelayMs: number;
    /** Every variable the bench set for the server itself (URLs with passwords hidden). */
    serverEnv: Record<string, string>;
  };
  readyMs: number;
  results: CellResult[];
  ratios: Ratio[];
  /** The first instance's. */
  serverRss: ServerMemory;
  serverRssByInstance: ServerMemory[];
}

export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpuCount: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${release()}`,
    memoryGiB: totalmem() / 2 ** 30,
  };
}

export function readLoadAverage(): number[] {
  return loadavg().map((n) => Math.round(n * 100) / 100);
}

export function formatReport(report: Report): string {
  const { machine, settings, mode } = report;
  const engines = `${mode.database === 'postgresql' ? 'PostgreSQL (a database of its own)' : 'embedded PGlite'} + ${mode.cache === 'redis' ? 'Redis' : 'memory cache'}`;
  const instances = mode.instances > 1 ? `${mode.instances} instances` : 'one instance';
  return [
    `Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB.toFixed(1)} GiB, ${machine.platform}, Node ${machine.node}`,
    `Load average (1/5/15 min): ${report.loadAverage.atStart.join(' ')} at start, ${report.loadAverage.atEnd.join(' ')} at end`,
    `Server:  npm start (scripts/start.mjs) on loopback, ${instances}, offline model, ${engines}; ready in ${formatNumber(report.readyMs / 1000, 1)} s`,
    ...report.serverRssByInstance.map(
      (rss, i) =>
        `Server RSS${mode.instances > 1 ? ` (instance ${i + 1})` : ''}: ${formatRss(rss.afterReady)} after ready, ${formatRss(rss.afterRun)} after the run`,
    ),
    `Settings the bench set: ${Object.entries(settings.serverEnv)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}`,
    `  (widget limits raised and the consent notice off so one address can send every message; offline pacing ${settings.tokenDelayMs} ms per piece${settings.tokenDelayMs === 0 ? ', since pacing is a sleep, not work' : ''})`,
    `Load: closed-loop clients sharing the server's cores${mode.instances > 1 ? ', client i on instance i mod n' : ''}; ${settings.warmupSeconds} s warm-up, then ${settings.durationSeconds} s measured per row`,
    '',
    formatResultsTable(report.results),
    '',
    formatRatiosTable(report.ratios),
    ...formatErrorKinds(report.results),
  ].join('\n');
}

function formatResultsTable(results: CellResult[]): string {
  const header = [
    'endpoint',
    'clients',
    'requests',
    'req/s',
    'p50 ms',
    'p99 ms',
    'TTFB p50 ms',
    'TTFB p99 ms',
    'errors',
  ];
  const rows = results.map((cell) => [
    cell.path,
    String(cell.concurrency),
    String(cell.requests),
    formatNumber(cell.requestsPerSecond, 1),
    formatNumber(cell.latencyMs.p50, 2),
    formatNumber(cell.latencyMs.p99, 2),
    formatNumber(cell.ttfbMs.p50, 2),
    formatNumber(cell.ttfbMs.p99, 2),
    String(cell.errors),
  ]);
  return formatTable([header, ...rows]);
}

function formatRatiosTable(ratios: Ratio[]): string {
  const header = ['chat / health', 'clients', 'req/s ratio', 'p50 latency ratio'];
  const rows = ratios.map((ratio) => [
    '',
    String(ratio.concurrency),
    `${formatNumber(ratio.requestsPerSecond, 3)}×`,
    `${formatNumber(ratio.p50Latency, 1)}×`,
  ]);
  return formatTable([header, ...rows]);
}

function formatErrorKinds(results: CellResult[]): string[] {
  const failing = results.filter((cell) => cell.errors > 0);
  if (failing.length === 0) return [];
  return [
    '',
    'Errors:',
    ...failing.map((cell) => {
      const kinds = Object.entries(cell.errorKinds).map(([kind, n]) => `${n} × ${kind}`);
      return `  ${cell.path} @ ${cell.concurrency}: ${kinds.join(', ')}`;
    }),
  ];
}

/** First column left-aligned, the rest right-aligned, two spaces between columns. */
function formatTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => row[col]?.length ?? 0)));
  return rows
    .map((row) =>
      row
        .map((cell, col) =>
          col === 0 ? cell.padEnd(widths?.[col] ?? 0) : cell.padStart(widths?.[col] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function formatNumber(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

function formatRss(rss: Rss | null): string {
  return rss ? `${(rss.bytes / 2 ** 20).toFixed(0)} MiB (pid ${rss.pid})` : 'n/a';
}
