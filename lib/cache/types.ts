export type CacheKind = 'memory' | 'ioredis' | 'upstash';

export interface Cache {
  readonly kind: CacheKind;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { ttlSeconds?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomic increment for rate limits: the first increment in a window sets its expiry. */
  increment(
    key: string,
    options: { windowSeconds: number },
  ): Promise<{ count: number; resetInSeconds: number }>;
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active; returns an unsubscribe function. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
