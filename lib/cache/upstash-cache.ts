import { Redis } from '@upstash/redis';
import {
  deliverMessage,
  incrementScript,
  parseIncrementReply,
  toMilliseconds,
} from './cache-helpers';
import type { Cache } from './types';

export interface UpstashCacheOptions {
  url: string;
  token: string;
  prefix: string;
  /** How long `subscribe` waits for the server to confirm the event stream. */
  subscribeTimeoutMs?: number;
}

type Subscriber = ReturnType<Redis['subscribe']>;

function waitForSubscription(subscriber: Subscriber, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Upstash subscribe was not confirmed within ${timeoutMs} ms`)),
      timeoutMs,
    );
    subscriber.on('subscribe', () => {
      clearTimeout(timer);
      resolve();
    });
    subscriber.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export function createUpstashCache({
  url,
  token,
  prefix,
  subscribeTimeoutMs = 10_000,
}: UpstashCacheOptions): Cache {
  const redis = new Redis({
    url,
    token,
    // Values are opaque strings to callers; the default JSON parsing would turn "42" into 42.
    automaticDeserialization: false,
    // Self-hosters never opted in to SDK telemetry headers.
    enableTelemetry: false,
  });
  const openSubscriptions = new Set<() => Promise<void>>();

  return {
    kind: 'upstash',
    // @upstash/redis streams SUBSCRIBE over server-sent events on a long-lived POST.

    async get(key) {
      return redis.get<string>(prefix + key);
    },

    async set(key, value, options) {
      const ttlSeconds = options?.ttlSeconds;
      if (ttlSeconds === undefined) {
        await redis.set(prefix + key, value);
      } else {
        await redis.set(prefix + key, value, { px: toMilliseconds(ttlSeconds, 'ttlSeconds') });
      }
    },

    async delete(key) {
      await redis.del(prefix + key);
    },

    async increment(key, { windowSeconds }) {
      const windowMs = toMilliseconds(windowSeconds, 'windowSeconds');
      return parseIncrementReply(await redis.eval(incrementScript, [prefix + key], [windowMs]));
    },

    async publish(channel, message) {
      await redis.publish(prefix + channel, message);
    },

    async subscribe(channel, onMessage) {
      const subscriber = redis.subscribe<string>(prefix + channel);
      let active = true;
      subscriber.on('message', ({ message }) => {
        if (active) deliverMessage(onMessage, message);
      });
      const unsubscribe = async () => {
        if (!active) return;
        active = false;
        openSubscriptions.delete(unsubscribe);
        await subscriber.unsubscribe();
      };
      openSubscriptions.add(unsubscribe);
      try {
        await waitForSubscription(subscriber, subscribeTimeoutMs);
      } catch (error) {
        await unsubscribe();
        throw error;
      }
      return unsubscribe;
    },

    async ping() {
      await redis.ping();
    },

    async close() {
      await Promise.all([...openSubscriptions].map((unsubscribe) => unsubscribe()));
    },
  };
}
