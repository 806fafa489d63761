// 'carafe/cache': Django's cache API (get, set, getOrSet, incr, …) over named caches in memory
// (LRU, per process) or in Redis. Importing it registers the `cache` setting.
import './settings.js';

export { caching } from './app.js';
export type { Cache, KeyOptions, SetOptions } from './cache.js';
export { cache, caches, closeCaches, configureCaches } from './registry.js';
export type {
  CacheConfig,
  CachesConfig,
  MemoryCacheConfig,
  RedisCacheConfig,
  ResolvedCacheConfig,
  ResolvedCachesConfig,
  ResolvedMemoryCacheConfig,
  ResolvedRedisCacheConfig,
} from './settings.js';
