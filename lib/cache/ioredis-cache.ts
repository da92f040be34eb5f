import { Redis, type RedisOptions } from 'ioredis';
import {
  deliverMessage,
  incrementScript,
  parseIncrementReply,
  toMilliseconds,
} from './cache-helpers';
import type { Cache } from './types';

export interface IoredisCacheOptions {
  url: string;
  prefix: string;
}

/** Commands fail within seconds when Redis is down instead of queueing forever. */
const connectionOptions: RedisOptions = {
  connectTimeout: 5_000,
  commandTimeout: 5_000,
  maxRetriesPerRequest: 2,
};

interface ChannelSubscription {
  listeners: Set<(message: string) => void>;
  ready: Promise<void>;
}

function openConnection(url: string): Redis {
  const connection = new Redis(url, connectionOptions);
  // Failures reach callers as rejected commands; without a listener ioredis logs every retry.
  connection.on('error', () => {});
  return connection;
}

async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    try {
      await connection.quit();
      return;
    } catch {
      // The connection dropped mid-quit; disconnect below still stops reconnecting.
    }
  }
  connection.disconnect();
}

export function createIoredisCache({ url, prefix }: IoredisCacheOptions): Cache {
  const commands = openConnection(url);
  const channels = new Map<string, ChannelSubscription>();
  let subscriber: Redis | undefined;

  // A connection in subscriber mode cannot run other commands, so pub/sub gets its own.
  function getSubscriber(): Redis {
    if (!subscriber) {
      subscriber = openConnection(url);
      subscriber.on('message', (fullChannel: string, message: string) => {
        const subscription = channels.get(fullChannel);
        if (!subscription) return;
        for (const listener of subscription.listeners) deliverMessage(listener, message);
      });
    }
    return subscriber;
  }

  return {
    kind: 'ioredis',

    async get(key) {
      return commands.get(prefix + key);
    },

    async set(key, value, options) {
      const ttlSeconds = options?.ttlSeconds;
      if (ttlSeconds === undefined) {
        await commands.set(prefix + key, value);
      } else {
        await commands.set(prefix + key, value, 'PX', toMilliseconds(ttlSeconds, 'ttlSeconds'));
      }
    },

    async delete(key) {
      await commands.del(prefix + key);
    },

    async increment(key, { windowSeconds }) {
      const windowMs = toMilliseconds(windowSeconds, 'windowSeconds');
      return parseIncrementReply(await commands.eval(incrementScript, 1, prefix + key, windowMs));
    },

    async publish(channel, message) {
      await commands.publish(prefix + channel, message);
    },

    async subscribe(channel, onMessage) {
      const fullChannel = prefix + channel;
      const connection = getSubscriber();
      let subscription = channels.get(fullChannel);
      if (!subscription) {
        subscription = {
          listeners: new Set(),
          ready: connection.subscribe(fullChannel).then(() => undefined),
        };
        channels.set(fullChannel, subscription);
      }
      const current = subscription;
      // A fresh wrapper per call, so subscribing one callback twice needs two unsubscribes.
      const listener = (message: string) => onMessage(message);
      current.listeners.add(listener);

      // Map updates and (UN)SUBSCRIBE calls happen synchronously together, and one connection
      // keeps command order, so racing subscribe/unsubscribe calls settle to the right state.
      const release = (): boolean => {
        current.listeners.delete(listener);
        if (current.listeners.size > 0 || channels.get(fullChannel) !== current) return false;
        channels.delete(fullChannel);
        return true;
      };

      try {
        await current.ready;
      } catch (error) {
        release();
        throw error;
      }

      let active = true;
      return async () => {
        if (!active) return;
        active = false;
        if (release()) await connection.unsubscribe(fullChannel);
      };
    },

    async ping() {
      await commands.ping();
    },

    async close() {
      channels.clear();
      await Promise.all([
        closeConnection(commands),
        subscriber ? closeConnection(subscriber) : Promise.resolve(),
      ]);
    },
  };
}
