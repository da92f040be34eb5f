import { cpus, release, totalmem } from 'node:os';
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

export interface Report {
  machine: Machine;
  settings: { warmupSeconds: number; durationSeconds: number; concurrencies: number[] };
  readyMs: number;
  results: CellResult[];
  ratios: Ratio[];
  serverRss: ServerMemory;
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

export function formatReport(report: Report): string {
  const { machine, settings, serverRss } = report;
  return [
    `Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB.toFixed(1)} GiB, ${machine.platform}, Node ${machine.node}`,
    `Server:  npm start (scripts/start.mjs) on loopback, offline model, embedded PGlite + memory cache; ready in ${formatNumber(report.readyMs / 1000, 1)} s`,
    `Server RSS: ${formatRss(serverRss.afterReady)} after ready, ${formatRss(serverRss.afterRun)} after the run`,
    `Load: closed-loop clients sharing the server's cores; ${settings.warmupSeconds} s warm-up, then ${settings.durationSeconds} s measured per row`,
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
