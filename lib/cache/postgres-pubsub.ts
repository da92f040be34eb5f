import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { deliverMessage } from './cache-helpers';
import type { Cache } from './types';

// NOTIFY payloads are limited to 8,000 bytes; larger messages travel in parts of at most
// 1,900 characters (≤ 7,600 bytes of UTF-8), sent in one transaction and put back together here.
const PART_CHARS = 1900;
const RECONNECT_MS = 1000;
const PARTIAL_TTL_MS = 30_000;

/**
 * Publish/subscribe through PostgreSQL LISTEN/NOTIFY, for instances that share a PostgreSQL
 * server but no Redis: the cache keeps its own storage, and its messages reach every instance.
 */
export function withPostgresPubSub(cache: Cache, url: string, prefix: string): Cache {
  const publisher = new pg.Pool({ connectionString: url, max: 1 });
  let queue: Promise<unknown> = Promise.resolve();
  publisher.on('error', () => {});
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const listening = new Map<string, number>();
  const partial = new Map<string, { parts: string[]; received: number; at: number }>();
  let listener: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closed = false;

  function receive(channel: string, payload: string) {
    const bar = payload.indexOf('|');
    const head = payload.slice(0, bar);
    const body = payload.slice(bar + 1);
    if (head === '') {
      local.emit(channel, body);
      return;
    }
    const [id, index, total] = head.split(':');
    const key = `${channel}\u0000${id}`;
    const entry = partial.get(key) ?? { parts: [], received: 0, at: Date.now() };
    if (entry.parts[Number(index)] === undefined) entry.received++;
    entry.parts[Number(index)] = body;
    partial.set(key, entry);
    if (entry.received === Number(total)) {
      partial.delete(key);
      local.emit(channel, entry.parts.join(''));
    }
    for (const [k, v] of partial) if (Date.now() - v.at > PARTIAL_TTL_MS) partial.delete(k);
  }

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (n) => {
      if (n.payload !== undefined) receive(n.channel, n.payload);
    });
    client.on('error', () => {
      if (listener === client) listener = null;
      client.end().catch(() => {});
      // Reconnect and listen again, so a restarted server does not silence live updates.
      if (!closed && listening.size > 0) {
        setTimeout(() => void ensureListener().catch(() => {}), RECONNECT_MS);
      }
    });
    await client.connect();
    for (const channel of listening.keys()) await client.query(`LISTEN ${quote(channel)}`);
    return client;
  }

  function ensureListener(): Promise<pg.Client> {
    if (listener) return Promise.resolve(listener);
    connecting ??= connect()
      .then((client) => {
        listener = client;
        return client;
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  }

  return {
    ...cache,
    kind: cache.kind,
    publish(channel, message) {
      const id = randomUUID();
      const parts =
        message.length <= PART_CHARS
          ? [`|${message}`]
          : chunk(message).map((part, i, all) => `${id}:${i}:${all.length}|${part}`);
      // One after another, so subscribers see messages in the order they were published.
      const sent = queue.then(() =>
        publisher.query(`select ${parts.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ')}`, [
          prefix + channel,
          ...parts,
        ]),
      );
      queue = sent.catch(() => {});
      return sent.then(() => {});
    },
    async subscribe(channel, onMessage) {
      const full = prefix + channel;
      const handler = (message: string) => deliverMessage(onMessage, message);
      local.on(full, handler);
      const count = listening.get(full) ?? 0;
      listening.set(full, count + 1);
      try {
        const client = await ensureListener();
        if (count === 0) await client.query(`LISTEN ${quote(full)}`);
      } catch (error) {
        local.off(full, handler);
        listening.set(full, count);
        throw error;
      }
      return async () => {
        local.off(full, handler);
        const left = (listening.get(full) ?? 1) - 1;
        if (left > 0) {
          listening.set(full, left);
          return;
        }
        listening.delete(full);
        await listener?.query(`UNLISTEN ${quote(full)}`).catch(() => {});
      };
    },
    async ping() {
      await cache.ping();
      await publisher.query('select 1');
    },
    async close() {
      closed = true;
      await Promise.allSettled([cache.close(), publisher.end(), listener?.end()]);
    },
  };
}

/** Splits on code points, so no part ends in half a surrogate pair. */
function chunk(message: string): string[] {
  const points = Array.from(message);
  const parts: string[] = [];
  for (let i = 0; i < points.length; i += PART_CHARS) {
    parts.push(points.slice(i, i + PART_CHARS).join(''));
  }
  return parts;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
