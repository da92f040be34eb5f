import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryCache } from '@/lib/cache/memory-cache';
import { createTestPrefix, describeCacheContract } from './cache-contract';

const clock = { now: Date.now() };

describeCacheContract(
  'cache: memory (in-process, injected clock)',
  async () => createMemoryCache({ prefix: createTestPrefix(), now: () => clock.now }),
  {
    advanceTime: async (ms) => {
      clock.now += ms;
    },
  },
);

describe('cache: memory specifics', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sweeps expired entries periodically, even ones nobody reads again', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = 0;
    const cache = createMemoryCache({ prefix: 'sweep:', now: () => now, sweepIntervalMs: 1_000 });
    await cache.set('short', 'v', { ttlSeconds: 1 });
    await cache.set('long', 'v', { ttlSeconds: 60 });
    await cache.set('forever', 'v');
    expect(cache.size).toBe(3);

    now = 2_000;
    vi.advanceTimersByTime(1_000);
    expect(cache.size).toBe(2);
    expect(await cache.get('long')).toBe('v');
    await cache.close();
  });

  it('delivers published messages asynchronously, never inside publish', async () => {
    const cache = createMemoryCache({ prefix: createTestPrefix() });
    const received: string[] = [];
    const unsubscribe = await cache.subscribe('events', (m) => received.push(m));
    await cache.publish('events', 'hello');
    expect(received).toEqual([]);
    await vi.waitFor(() => expect(received).toEqual(['hello']));
    await unsubscribe();
    await cache.close();
  });

  it('refuses to increment a value that is not an integer', async () => {
    const cache = createMemoryCache({ prefix: createTestPrefix() });
    await cache.set('word', 'hello');
    await expect(cache.increment('word', { windowSeconds: 60 })).rejects.toThrow(/not an integer/);
    await cache.close();
  });
});
