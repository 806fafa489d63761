import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Carafe, type CarafeConfig, CarafeError } from '../index.js';
import {
  type CachesConfig,
  cache,
  caches,
  caching,
  closeCaches,
  configureCaches,
} from './index.js';

const production = {
  secretKey: 's'.repeat(32),
  allowedHosts: ['example.com'],
  log: { level: 'silent' },
} satisfies CarafeConfig;
const cacheOf = (input: CarafeConfig) => new Carafe({ ...production, ...input }).config.cache;
/** For settings the types already refuse, as plain JavaScript or a JSON file could give them. */
const untyped = (cache: unknown) => cacheOf({ cache: cache as CachesConfig });

function assertError(action: () => unknown, code: string, ...fragments: string[]) {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CarafeError);
    assert.equal(error.code, code);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), error.message);
    return true;
  });
}

after(closeCaches);

describe('the cache setting', () => {
  it("defaults to one 'default' memory cache, 1000 entries, 300 s", () => {
    assert.deepEqual(cacheOf({}), {
      default: { backend: 'memory', ttlMs: 300_000, prefix: '', version: 1, maxEntries: 1000 },
    });
    assert.ok(Object.isFrozen(cacheOf({}).default));
  });

  it('resolves named memory and redis caches', () => {
    assert.deepEqual(
      cacheOf({
        cache: {
          default: { maxEntries: 50, ttl: null },
          shared: {
            backend: 'redis',
            url: 'redis://cache.internal:6380/2',
            ttl: 0.5,
            prefix: 'site',
            version: 3,
          },
        },
      }),
      {
        default: { backend: 'memory', ttlMs: null, prefix: '', version: 1, maxEntries: 50 },
        shared: {
          backend: 'redis',
          ttlMs: 500,
          prefix: 'site',
          version: 3,
          url: 'redis://cache.internal:6380/2',
        },
      },
    );
  });

  it('names the mistake and the fix', () => {
    assertError(
      () => cacheOf({ cache: { main: {} } }),
      'CARAFE_CONFIG',
      'cache.default is missing',
    );
    assertError(
      () => untyped({ default: { backend: 'memcached' } }),
      'CARAFE_CONFIG',
      'cache.default.backend',
    );
    assertError(
      () => cacheOf({ cache: { default: { ttl: 0 } } }),
      'CARAFE_CONFIG',
      'cache.default.ttl',
    );
    assertError(
      () => untyped({ default: { maxEntries: 10, backend: 'redis' } }),
      'CARAFE_CONFIG',
      'maxEntries is only read by the memory backend',
    );
    assertError(
      () => untyped({ default: { url: 'redis://x' } }),
      'CARAFE_CONFIG',
      'url is only read by the redis backend',
    );
    assertError(
      () => cacheOf({ cache: { default: { backend: 'redis', url: 'http://x' } } }),
      'CARAFE_CONFIG',
      'redis://',
    );
    assertError(
      () => untyped({ default: { maxEntrys: 5 } }),
      'CARAFE_CONFIG',
      'Did you mean cache.default.maxEntries?',
    );
  });
});

describe('the caches in use', () => {
  it('are the setting once caching() is among the apps, and `cache` follows', async () => {
    await configureCaches({ default: {} });
    await cache.set('before', 1);
    const app = new Carafe({
      ...production,
      apps: [caching()],
      cache: { default: { maxEntries: 2 }, sessions: { prefix: 'sessions' } },
    });
    assert.deepEqual(caches.aliases(), ['default', 'sessions']);
    assert.equal(cache.alias, 'default');
    assert.equal(await cache.get('before'), undefined, 'a new default cache');
    await cache.setMany({ a: 1, b: 2, c: 3 });
    assert.equal((await cache.getMany(['a', 'b', 'c'])).size, 2, 'maxEntries 2 applies');
    await app.shutdown();
  });

  it('refuses an unknown name and a bad configureCaches()', async () => {
    assertError(() => caches.get('nope'), 'CARAFE_CACHE_UNKNOWN', '"nope"', '"default"');
    await assert.rejects(
      configureCaches({ default: { version: -1 } }),
      (error: unknown) =>
        error instanceof CarafeError &&
        error.code === 'CARAFE_CACHE_CONFIG' &&
        error.message.includes('configureCaches(): cache.default.version'),
    );
  });
});
