import { EventEmitter } from 'node:events';
import { deliverMessage, toMilliseconds } from './cache-helpers';
import type { Cache } from './types';

export interface MemoryCacheOptions {
  prefix: string;
  now?: () => number;
  sweepIntervalMs?: number;
}

export interface MemoryCache extends Cache {
  readonly kind: 'memory';
  /** Entries held right now, including expired ones the sweep has not reached yet. */
  readonly size: number;
}

interface Entry {
  value: string;
  expiresAt: number | null;
}

const integerPattern = /^-?\d+$/;

export function createMemoryCache({
  prefix,
  now = () => Date.now(),
  sweepIntervalMs = 60_000,
}: MemoryCacheOptions): MemoryCache {
  const entries = new Map<string, Entry>();
  const channels = new EventEmitter();
  // One listener per live subscriber (e.g. each open SSE stream), so there is no sane cap.
  channels.setMaxListeners(0);

  const isExpired = (entry: Entry) => entry.expiresAt !== null && entry.expiresAt <= now();

  function readEntry(fullKey: string): Entry | undefined {
    const entry = entries.get(fullKey);
    if (entry && isExpired(entry)) {
      entries.delete(fullKey);
      return undefined;
    }
    return entry;
  }

  const sweep = setInterval(() => {
    for (const [fullKey, entry] of entries) {
      if (isExpired(entry)) entries.delete(fullKey);
    }
  }, sweepIntervalMs);
  sweep.unref();

  return {
    kind: 'memory',

    get size() {
      return entries.size;
    },

    async get(key) {
      return readEntry(prefix + key)?.value ?? null;
    },

    async set(key, value, options) {
      const ttlSeconds = options?.ttlSeconds;
      const expiresAt =
        ttlSeconds === undefined ? null : now() + toMilliseconds(ttlSeconds, 'ttlSeconds');
      entries.set(prefix + key, { value, expiresAt });
    },

    async delete(key) {
      entries.delete(prefix + key);
    },

    async increment(key, { windowSeconds }) {
      const windowMs = toMilliseconds(windowSeconds, 'windowSeconds');
      const fullKey = prefix + key;
      const entry = readEntry(fullKey);
      if (entry && !integerPattern.test(entry.value)) {
        throw new Error(`Cannot increment ${key}: value is not an integer`);
      }
      const count = (entry ? Number(entry.value) : 0) + 1;
      const expiresAt = entry?.expiresAt ?? now() + windowMs;
      entries.set(fullKey, { value: String(count), expiresAt });
      return { count, resetInSeconds: Math.max(1, Math.ceil((expiresAt - now()) / 1000)) };
    },

    async publish(channel, message) {
      const fullChannel = prefix + channel;
      // Deliver later, as a broker would, so publishers never run subscriber code inline.
      setImmediate(() => channels.emit(fullChannel, message));
    },

    async subscribe(channel, onMessage) {
      const fullChannel = prefix + channel;
      const listener = (message: string) => deliverMessage(onMessage, message);
      channels.on(fullChannel, listener);
      return async () => {
        channels.off(fullChannel, listener);
      };
    },

    async ping() {},

    async close() {
      clearInterval(sweep);
      entries.clear();
      channels.removeAllListeners();
    },
  };
}
