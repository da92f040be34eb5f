import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Cache } from '@/lib/cache';

export interface CacheContractOptions {
  /** Lets TTLs run out: real engines sleep, the memory cache moves its injected clock. */
  advanceTime?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A namespace no other test run (or other user of the shared Redis) can collide with. */
export function createTestPrefix(): string {
  return `tandem_test:${randomUUID()}:`;
}

export function describeCacheContract(
  name: string,
  makeCache: () => Promise<Cache>,
  { advanceTime = sleep }: CacheContractOptions = {},
): void {
  describe(name, () => {
    const openCaches: Cache[] = [];
    const usedKeys: string[] = [];
    let cache: Cache;

    const uniqueKey = (label: string) => {
      const key = `${label}:${randomUUID()}`;
      usedKeys.push(key);
      return key;
    };
    const uniqueChannel = (label: string) => `${label}:${randomUUID()}`;
    const openCache = async () => {
      const opened = await makeCache();
      openCaches.push(opened);
      return opened;
    };

    beforeAll(async () => {
      cache = await openCache();
    });

    afterAll(async () => {
      for (const opened of openCaches) {
        await Promise.all(usedKeys.map((key) => opened.delete(key)));
        await opened.close();
      }
    });

    it('round-trips a value exactly, even one that looks like JSON or a number', async () => {
      const text = uniqueKey('text');
      const numeric = uniqueKey('numeric');
      const value = '{"greeting":"héllo, 世界 👋","n":1}';
      await cache.set(text, value);
      await cache.set(numeric, '42');
      expect(await cache.get(text)).toBe(value);
      expect(await cache.get(numeric)).toBe('42');
    });

    it('returns null for a missing key', async () => {
      expect(await cache.get(uniqueKey('missing'))).toBeNull();
    });

    it('overwrites an existing value', async () => {
      const key = uniqueKey('overwrite');
      await cache.set(key, 'first');
      await cache.set(key, 'second');
      expect(await cache.get(key)).toBe('second');
    });

    it('deletes a key, and deleting a missing key is fine', async () => {
      const key = uniqueKey('delete');
      await cache.set(key, 'value');
      await cache.delete(key);
      expect(await cache.get(key)).toBeNull();
      await expect(cache.delete(key)).resolves.toBeUndefined();
    });

    it('expires a value after its TTL; a later set without TTL keeps the key', async () => {
      const expiring = uniqueKey('ttl');
      const persisted = uniqueKey('ttl-cleared');
      await cache.set(expiring, 'soon gone', { ttlSeconds: 1 });
      await cache.set(persisted, 'first', { ttlSeconds: 1 });
      await cache.set(persisted, 'second');
      expect(await cache.get(expiring)).toBe('soon gone');
      await advanceTime(1_300);
      expect(await cache.get(expiring)).toBeNull();
      expect(await cache.get(persisted)).toBe('second');
    });

    it('rejects a TTL or window that is not a positive number of seconds', async () => {
      const key = uniqueKey('invalid');
      await expect(cache.set(key, 'v', { ttlSeconds: 0 })).rejects.toThrow(RangeError);
      await expect(cache.increment(key, { windowSeconds: -1 })).rejects.toThrow(RangeError);
      expect(await cache.get(key)).toBeNull();
    });

    it('increments 1, 2, 3 and reports the reset within the window', async () => {
      const key = uniqueKey('counter');
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await cache.increment(key, { windowSeconds: 60 }));
      expect(results.map((r) => r.count)).toEqual([1, 2, 3]);
      for (const { resetInSeconds } of results) {
        expect(resetInSeconds).toBeGreaterThanOrEqual(1);
        expect(resetInSeconds).toBeLessThanOrEqual(60);
      }
      expect(await cache.get(key)).toBe('3');
    });

    it('increments atomically under 50 concurrent calls', async () => {
      const key = uniqueKey('concurrent');
      const results = await Promise.all(
        Array.from({ length: 50 }, () => cache.increment(key, { windowSeconds: 60 })),
      );
      const counts = results.map((r) => r.count).sort((a, b) => a - b);
      expect(counts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await cache.get(key)).toBe('50');
    });

    it('starts a new window at 1 once the previous one expired', async () => {
      const key = uniqueKey('window');
      expect((await cache.increment(key, { windowSeconds: 1 })).count).toBe(1);
      expect((await cache.increment(key, { windowSeconds: 1 })).count).toBe(2);
      await advanceTime(1_300);
      const next = await cache.increment(key, { windowSeconds: 1 });
      expect(next).toEqual({ count: 1, resetInSeconds: 1 });
    });

    it('arms the window on a counter that was stored without expiry', async () => {
      const key = uniqueKey('no-expiry');
      await cache.set(key, '5');
      const result = await cache.increment(key, { windowSeconds: 1 });
      expect(result).toEqual({ count: 6, resetInSeconds: 1 });
      await advanceTime(1_300);
      expect(await cache.get(key)).toBeNull();
    });

    it('isolates keys between caches with different prefixes', async () => {
      const other = await openCache();
      const key = uniqueKey('isolated');
      await cache.set(key, 'mine');
      expect(await other.get(key)).toBeNull();
      await other.set(key, 'theirs');
      expect(await cache.get(key)).toBe('mine');
      expect(
        (await other.increment(uniqueKey('isolated-counter'), { windowSeconds: 60 })).count,
      ).toBe(1);
    });

    it('answers ping', async () => {
      await expect(cache.ping()).resolves.toBeUndefined();
    });

    describe('publish/subscribe', () => {
      const message = '{"type":"message","text":"hi, there"}';

      it('delivers to a subscriber and stops after unsubscribe', async () => {
        const channel = uniqueChannel('events');
        const received: string[] = [];
        const witnessed: string[] = [];
        const unsubscribe = await cache.subscribe(channel, (m) => received.push(m));
        const unsubscribeWitness = await cache.subscribe(channel, (m) => witnessed.push(m));

        await cache.publish(channel, message);
        await vi.waitFor(() => expect(received).toEqual([message]), { timeout: 5_000 });

        await unsubscribe();
        await unsubscribe();
        await cache.publish(channel, 'after unsubscribe');
        // The still-subscribed witness proves the message went out; the first callback missed it.
        await vi.waitFor(() => expect(witnessed).toEqual([message, 'after unsubscribe']), {
          timeout: 5_000,
        });
        expect(received).toEqual([message]);
        await unsubscribeWitness();
      });

      it('keeps channels apart across prefixes', async () => {
        const other = await openCache();
        const channel = uniqueChannel('shared-name');
        const mine: string[] = [];
        const theirs: string[] = [];
        const unsubscribeMine = await cache.subscribe(channel, (m) => mine.push(m));
        const unsubscribeTheirs = await other.subscribe(channel, (m) => theirs.push(m));

        await other.publish(channel, 'for them');
        await cache.publish(channel, 'for me');
        await vi.waitFor(() => expect(mine).toEqual(['for me']), { timeout: 5_000 });
        await vi.waitFor(() => expect(theirs).toEqual(['for them']), { timeout: 5_000 });
        await Promise.all([unsubscribeMine(), unsubscribeTheirs()]);
      });

      it('keeps delivering to others when one subscriber throws', async () => {
        const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
        const channel = uniqueChannel('throwing');
        const received: string[] = [];
        const unsubscribeThrower = await cache.subscribe(channel, () => {
          throw new Error('subscriber bug');
        });
        const unsubscribe = await cache.subscribe(channel, (m) => received.push(m));
        try {
          await cache.publish(channel, message);
          await vi.waitFor(() => expect(received).toEqual([message]), { timeout: 5_000 });
          await vi.waitFor(() => expect(logged).toHaveBeenCalled(), { timeout: 5_000 });
        } finally {
          logged.mockRestore();
          await Promise.all([unsubscribeThrower(), unsubscribe()]);
        }
      });
    });
  });
}
