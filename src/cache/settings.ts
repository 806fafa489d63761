// The `cache` setting (Django's CACHES): named caches, each with its backend, default time to
// live, key prefix and version. Checked when the config is resolved, so a typo fails at startup.
import {
  checkObject,
  checkOneOf,
  checkPositiveInteger,
  checkString,
  registerSetting,
  type SettingContext,
} from '../index.js';

interface CommonCacheConfig {
  /**
   * Seconds an entry lives when `set` gives no `ttl`; fractions allowed; `null` = until evicted
   * or deleted. Default 300, as Django's TIMEOUT.
   */
  ttl?: number | null | undefined;
  /** Put before every key (`prefix:version:key`), so several apps can share one Redis. Default `''`. */
  prefix?: string | undefined;
  /** Part of every key: raise it to make every entry written before unreachable. Default 1. */
  version?: number | undefined;
}

/** A cache in this process's memory: values are kept as they are, not copied. */
export interface MemoryCacheConfig extends CommonCacheConfig {
  backend?: 'memory' | undefined;
  /** Entries kept before the least recently used is dropped. Default 1000. */
  maxEntries?: number | undefined;
}

/** A cache in Redis, shared by every process that uses the same server: values go through JSON. */
export interface RedisCacheConfig extends CommonCacheConfig {
  backend: 'redis';
  /** `redis://[:password@]host[:port][/db]`. Default `'redis://127.0.0.1:6379'`. */
  url?: string | undefined;
}

export type CacheConfig = MemoryCacheConfig | RedisCacheConfig;

/** Caches by name; `default` is the one `cache` stands for and must be there. */
export type CachesConfig = Readonly<Record<string, CacheConfig>>;

interface ResolvedCommon {
  /** Milliseconds, or `null` for no expiry. */
  readonly ttlMs: number | null;
  readonly prefix: string;
  readonly version: number;
}

export interface ResolvedMemoryCacheConfig extends ResolvedCommon {
  readonly backend: 'memory';
  readonly maxEntries: number;
}

export interface ResolvedRedisCacheConfig extends ResolvedCommon {
  readonly backend: 'redis';
  readonly url: string;
}

export type ResolvedCacheConfig = ResolvedMemoryCacheConfig | ResolvedRedisCacheConfig;

export type ResolvedCachesConfig = Readonly<Record<string, ResolvedCacheConfig>>;

declare module '../index.js' {
  interface CarafeConfig {
    /** Named caches (`carafe/cache`); read when `caching()` is in `apps`. */
    cache?: CachesConfig | undefined;
  }
  interface ResolvedConfig {
    readonly cache: ResolvedCachesConfig;
  }
}

export const defaultTtlSeconds = 300;
const defaultMaxEntries = 1000;
const defaultRedisUrl = 'redis://127.0.0.1:6379';

/** A time to live in seconds, as `set()` and the setting take it, in milliseconds. */
export function ttlMilliseconds(
  value: unknown,
  path: string,
  fail: (path: string, problem: string, fix: string) => never,
): number | null {
  if (value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return Math.max(1, Math.round(value * 1000));
  }
  return fail(
    path,
    `must be a number of seconds above 0, or null (got ${typeof value === 'number' ? value : typeof value})`,
    'Give seconds such as 60 (fractions allowed), null to keep the entry until it is evicted, or delete the entry instead of caching it for 0 seconds.',
  );
}

function checkVersion(value: unknown, path: string, context: SettingContext): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return context.fail(
    path,
    `must be a whole number ≥ 0 (got ${typeof value === 'number' ? value : typeof value})`,
    'Give a version such as 2; raising it makes the entries written under the old one unreachable.',
  );
}

function resolveCache(value: unknown, path: string, context: SettingContext): ResolvedCacheConfig {
  const given = checkObject(
    value,
    ['backend', 'ttl', 'prefix', 'version', 'maxEntries', 'url'],
    path,
    context,
  );
  const backend =
    given.backend === undefined
      ? 'memory'
      : checkOneOf(given.backend, ['memory', 'redis'] as const, `${path}.backend`, context);
  const fail = (at: string, problem: string, fix: string) => context.fail(at, problem, fix);
  const common = {
    ttlMs:
      given.ttl === undefined
        ? defaultTtlSeconds * 1000
        : ttlMilliseconds(given.ttl, `${path}.ttl`, fail),
    prefix: given.prefix === undefined ? '' : checkString(given.prefix, `${path}.prefix`, context),
    version:
      given.version === undefined ? 1 : checkVersion(given.version, `${path}.version`, context),
  };
  if (backend === 'memory') {
    if (given.url !== undefined) {
      context.fail(
        `${path}.url`,
        'is only read by the redis backend',
        "Add backend: 'redis', or remove url.",
      );
    }
    return Object.freeze({
      backend,
      ...common,
      maxEntries:
        given.maxEntries === undefined
          ? defaultMaxEntries
          : checkPositiveInteger(
              given.maxEntries,
              `${path}.maxEntries`,
              context,
              'entries',
              defaultMaxEntries,
            ),
    });
  }
  if (given.maxEntries !== undefined) {
    context.fail(
      `${path}.maxEntries`,
      'is only read by the memory backend',
      "Redis evicts by its own maxmemory-policy; remove maxEntries, or use backend: 'memory'.",
    );
  }
  return Object.freeze({
    backend,
    ...common,
    url: given.url === undefined ? defaultRedisUrl : redisUrl(given.url, `${path}.url`, context),
  });
}

function redisUrl(value: unknown, path: string, context: SettingContext): string {
  const text = checkString(value, path, context);
  if (!/^rediss?:\/\//.test(text)) {
    context.fail(
      path,
      `must start with redis:// or rediss:// (got ${JSON.stringify(text.slice(0, 20))}…)`,
      'Write it like redis://127.0.0.1:6379/0, or rediss:// for TLS.',
    );
  }
  return text;
}

export function resolveCacheSetting(value: unknown, context: SettingContext): ResolvedCachesConfig {
  if (value === undefined)
    return Object.freeze({ default: resolveCache({}, 'cache.default', context) });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return context.fail(
      'cache',
      'must be an object of caches by name',
      "Give { default: { backend: 'memory' } }, adding other names as you need them.",
    );
  }
  const caches: Record<string, ResolvedCacheConfig> = {};
  for (const [alias, config] of Object.entries(value)) {
    caches[alias] = resolveCache(config, `cache.${alias}`, context);
  }
  if (caches.default === undefined) {
    context.fail(
      'cache.default',
      'is missing',
      "Name one cache 'default': it is the one `cache` stands for.",
    );
  }
  return Object.freeze(caches);
}

registerSetting('cache', { resolve: resolveCacheSetting });
