// The process's caches by name, as the `cache` setting (through the caching() app) or
// configureCaches() last set them, and `cache`, which always stands for the current 'default'.
// Until then there is one: 'default', in memory, as Django's default LocMemCache.
import { CarafeError, type SettingContext } from '../index.js';
import type { CacheBackend } from './backend.js';
import { BackendCache, type Cache, type KeyOptions, type SetOptions } from './cache.js';
import { MemoryBackend } from './memory.js';
import { RedisBackend } from './redis.js';
import {
  type CachesConfig,
  type ResolvedCacheConfig,
  type ResolvedCachesConfig,
  resolveCacheSetting,
} from './settings.js';

function createBackend(config: ResolvedCacheConfig): CacheBackend {
  return config.backend === 'memory'
    ? new MemoryBackend(config.maxEntries)
    : new RedisBackend(config.url, config.prefix);
}

function createCaches(config: ResolvedCachesConfig): Map<string, Cache> {
  return new Map(
    Object.entries(config).map(([alias, settings]) => [
      alias,
      new BackendCache(alias, createBackend(settings), settings),
    ]),
  );
}

function scriptContext(): SettingContext {
  return {
    debug: false,
    env: process.env,
    fail(path, problem, fix) {
      throw new CarafeError('CARAFE_CACHE_CONFIG', `configureCaches(): ${path} ${problem}. ${fix}`);
    },
    warn() {},
  };
}

let active = createCaches(resolveCacheSetting(undefined, scriptContext()));

/** Makes `config` (an app's resolved `cache` setting) the caches in use; the previous ones are closed. */
export function useCacheConfig(config: ResolvedCachesConfig): Promise<void> {
  const previous = active;
  active = createCaches(config);
  return closeAll(previous);
}

/**
 * Sets the caches without an app, e.g. in a script or a test:
 * `configureCaches({ default: { backend: 'redis', url } })`. Takes what the `cache` setting takes.
 * Resolves once the caches it replaces are closed.
 */
export async function configureCaches(config: CachesConfig): Promise<void> {
  await useCacheConfig(resolveCacheSetting(config, scriptContext()));
}

async function closeAll(caches: Map<string, Cache>): Promise<void> {
  await Promise.all([...caches.values()].map((cache) => cache.close()));
}

/** Closes every cache's connection (call at the end of a script; the caching() app does it on shutdown). */
export function closeCaches(): Promise<void> {
  return closeAll(active);
}

/** The caches by the names of the `cache` setting: `caches.get('sessions')`. */
export const caches = {
  get(alias: string): Cache {
    const found = active.get(alias);
    if (found !== undefined) return found;
    throw new CarafeError(
      'CARAFE_CACHE_UNKNOWN',
      `No cache named ${JSON.stringify(alias)}; the configured ones are ${[...active.keys()].map((name) => `"${name}"`).join(', ')}. ` +
        'Add it to the `cache` setting (with caching() in apps) or to configureCaches().',
    );
  },
  /** The names configured, 'default' among them. */
  aliases(): string[] {
    return [...active.keys()];
  },
};

const current = (): Cache => caches.get('default');

/** The 'default' cache: `await cache.getOrSet('top-posts', loadTopPosts, { ttl: 60 })`. */
export const cache: Cache = {
  get alias() {
    return current().alias;
  },
  get: <T = unknown>(key: string, options?: KeyOptions) => current().get<T>(key, options),
  set: (key: string, value: unknown, options?: SetOptions) => current().set(key, value, options),
  add: (key: string, value: unknown, options?: SetOptions) => current().add(key, value, options),
  getOrSet: <T>(key: string, compute: () => T | Promise<T>, options?: SetOptions) =>
    current().getOrSet(key, compute, options),
  getMany: <T = unknown>(keys: readonly string[], options?: KeyOptions) =>
    current().getMany<T>(keys, options),
  setMany: (entries, options) => current().setMany(entries, options),
  delete: (key, options) => current().delete(key, options),
  deleteMany: (keys, options) => current().deleteMany(keys, options),
  has: (key, options) => current().has(key, options),
  incr: (key, delta, options) => current().incr(key, delta, options),
  decr: (key, delta, options) => current().decr(key, delta, options),
  clear: () => current().clear(),
  close: () => current().close(),
};
