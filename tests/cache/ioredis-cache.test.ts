import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '@/lib/cache';
import { createIoredisCache } from '@/lib/cache/ioredis-cache';
import { testEnv } from '../harness/test-env';
import { createTestPrefix, describeCacheContract } from './cache-contract';

const redisUrl = testEnv.redisUrl;

describe.skipIf(!redisUrl)('cache: ioredis (real redis-server)', () => {
  const url = redisUrl ?? '';

  describeCacheContract('contract', async () =>
    createIoredisCache({ url, prefix: createTestPrefix() }),
  );

  describe('storage layout', () => {
    const prefix = createTestPrefix();
    let raw: Redis;
    let cache: Cache;

    beforeAll(() => {
      raw = new Redis(url);
      cache = createIoredisCache({ url, prefix });
    });

    afterAll(async () => {
      await raw.del(`${prefix}stored`, `${prefix}counter`);
      await Promise.all([cache.close(), raw.quit()]);
    });

    it('stores keys under the prefix and gives counters a TTL', async () => {
      await cache.set('stored', 'value', { ttlSeconds: 30 });
      await cache.increment('counter', { windowSeconds: 30 });
      expect(await raw.get(`${prefix}stored`)).toBe('value');
      expect(await raw.get('stored')).toBeNull();
      const ttlMs = await raw.pttl(`${prefix}counter`);
      expect(ttlMs).toBeGreaterThan(0);
      expect(ttlMs).toBeLessThanOrEqual(30_000);
    });

    it('publishes on the prefixed channel', async () => {
      const listener = new Redis(url);
      const received: string[] = [];
      listener.on('message', (_channel: string, message: string) => received.push(message));
      await listener.subscribe(`${prefix}raw-events`);
      await cache.publish('raw-events', 'ping');
      await expect.poll(() => received).toEqual(['ping']);
      await listener.quit();
    });
  });
});

describe('cache: ioredis (unreachable redis-server)', () => {
  it('rejects ping within a few seconds instead of hanging', async () => {
    const cache = createIoredisCache({ url: 'redis://127.0.0.1:1', prefix: createTestPrefix() });
    const started = Date.now();
    await expect(cache.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
    await cache.close();
  }, 10_000);
});
