import type { Samples } from './load';

export interface Percentiles {
  p50: number;
  p99: number;
}

export interface CellResult {
  endpoint: string;
  path: string;
  concurrency: number;
  seconds: number;
  requests: number;
  errors: number;
  errorKinds: Record<string, number>;
  requestsPerSecond: number;
  latencyMs: Percentiles;
  ttfbMs: Percentiles;
}

export interface Ratio {
  concurrency: number;
  requestsPerSecond: number;
  p50Latency: number;
}

/** Throughput counts successful requests; latencies and TTFB are of successful requests only. */
export function summarizeCell(
  endpoint: { name: string; path: string },
  concurrency: number,
  samples: Samples,
): CellResult {
  const seconds = samples.elapsedMs / 1000;
  const requests = samples.latenciesMs.length;
  return {
    endpoint: endpoint.name,
    path: endpoint.path,
    concurrency,
    seconds,
    requests,
    errors: [...samples.errors.values()].reduce((sum, n) => sum + n, 0),
    errorKinds: Object.fromEntries(samples.errors),
    requestsPerSecond: seconds > 0 ? requests / seconds : 0,
    latencyMs: computePercentiles(samples.latenciesMs),
    ttfbMs: computePercentiles(samples.ttfbsMs),
  };
}

function computePercentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  return { p50: pickPercentile(sorted, 0.5), p99: pickPercentile(sorted, 0.99) };
}

/** Nearest rank; NaN when there is nothing to rank. */
function pickPercentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

/** chat ÷ health at each concurrency measured for both. */
export function computeRatios(results: CellResult[], over: string, under: string): Ratio[] {
  return results
    .filter((cell) => cell.endpoint === over)
    .flatMap((top) => {
      const bottom = results.find((c) => c.endpoint === under && c.concurrency === top.concurrency);
      if (!bottom) return [];
      return [
        {
          concurrency: top.concurrency,
          requestsPerSecond: divide(top.requestsPerSecond, bottom.requestsPerSecond),
          p50Latency: divide(top.latencyMs.p50, bottom.latencyMs.p50),
        },
      ];
    });
}

function divide(top: number, bottom: number): number {
  return bottom > 0 && Number.isFinite(top) ? top / bottom : Number.NaN;
}
