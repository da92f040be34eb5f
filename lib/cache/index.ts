import { createIoredisCache, type IoredisCacheOptions } from './ioredis-cache';
import { createMemoryCache, type MemoryCacheOptions } from './memory-cache';
import type { Cache } from './types';
import { createUpstashCache, type UpstashCacheOptions } from './upstash-cache';

export type { Cache, CacheKind } from './types';
export type { IoredisCacheOptions, MemoryCacheOptions, UpstashCacheOptions };

export type CreateCacheOptions =
  | ({ kind: 'memory' } & MemoryCacheOptions)
  | ({ kind: 'ioredis' } & IoredisCacheOptions)
  | ({ kind: 'upstash' } & UpstashCacheOptions);

export function createCache(options: CreateCacheOptions): Cache {
  switch (options.kind) {
    case 'memory':
      return createMemoryCache(options);
    case 'ioredis':
      return createIoredisCache(options);
    case 'upstash':
      return createUpstashCache(options);
  }
}
