import type { Cache } from '@/lib/cache';

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
  /** When refused: seconds to wait before the next request can pass. */
  retryAfterSeconds: number;
}

/**
 * A sliding-window counter (the current window's count plus the previous window's, weighted by
 * how much of it still overlaps). Written on the Cache interface rather than with a library
 * because it must work alike on the in-process cache, ioredis and Upstash's REST client, which no
 * single rate-limiting package covers; the atomic increment makes it safe across instances.
 */
export async function slidingWindowLimit(
  cache: Cache,
  key: string,
  limit: number,
  { windowSeconds = 60, now = Date.now() }: { windowSeconds?: number; now?: number } = {},
): Promise<RateLimitResult> {
  const windowMs = windowSeconds * 1000;
  const window = Math.floor(now / windowMs);
  const elapsed = (now % windowMs) / windowMs;
  const [current, previousRaw] = await Promise.all([
    cache.increment(`ratelimit:${key}:${window}`, { windowSeconds: windowSeconds * 2 }),
    cache.get(`ratelimit:${key}:${window - 1}`),
  ]);
  const previous = Number(previousRaw ?? 0);
  const used = previous * (1 - elapsed) + current.count;
  const resetSeconds = Math.max(1, Math.ceil((1 - elapsed) * windowSeconds));
  const allowed = used <= limit;
  let retryAfterSeconds = 0;
  if (!allowed) {
    // The previous window's weight fades linearly; wait until enough of it has gone, or for
    // the next window if this one alone is over the limit.
    const excess = used - limit;
    retryAfterSeconds =
      previous > 0 && current.count <= limit
        ? Math.max(1, Math.ceil((excess / previous) * windowSeconds))
        : resetSeconds;
  }
  return {
    allowed,
    limit,
    remaining: Math.max(0, Math.floor(limit - used)),
    resetSeconds,
    retryAfterSeconds,
  };
}

/** The weighted count {@link slidingWindowLimit} would see for `key` now, without counting. */
export async function peekSlidingWindow(
  cache: Cache,
  key: string,
  { windowSeconds = 60, now = Date.now() }: { windowSeconds?: number; now?: number } = {},
): Promise<number> {
  const windowMs = windowSeconds * 1000;
  const window = Math.floor(now / windowMs);
  const elapsed = (now % windowMs) / windowMs;
  const [current, previous] = await Promise.all([
    cache.get(`ratelimit:${key}:${window}`),
    cache.get(`ratelimit:${key}:${window - 1}`),
  ]);
  return Number(previous ?? 0) * (1 - elapsed) + Number(current ?? 0);
}

/** Forgets what {@link slidingWindowLimit} counted for `key`. */
export async function clearSlidingWindow(
  cache: Cache,
  key: string,
  { windowSeconds = 60, now = Date.now() }: { windowSeconds?: number; now?: number } = {},
): Promise<void> {
  const window = Math.floor(now / (windowSeconds * 1000));
  await Promise.all([
    cache.delete(`ratelimit:${key}:${window}`),
    cache.delete(`ratelimit:${key}:${window - 1}`),
  ]);
}

export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  return {
    'x-ratelimit-limit': String(result.limit),
    'x-ratelimit-remaining': String(result.remaining),
    'x-ratelimit-reset': String(result.resetSeconds),
    ...(result.allowed ? {} : { 'retry-after': String(result.retryAfterSeconds) }),
  };
}
