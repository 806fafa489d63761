import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { serviceSkip } from '../../test/support/services.js';
import { CarafeError } from '../index.js';
import { type CacheConfig, cache, caches, closeCaches, configureCaches } from './index.js';

const redisSkip = await serviceSkip('redis');
const runPrefix = `carafe-test:${process.pid}:${Date.now()}`;

const backends: { name: string; skip: false | string; config: (prefix: string) => CacheConfig }[] =
  [
    { name: 'memory', skip: false, config: (prefix) => ({ backend: 'memory', prefix }) },
    {
      name: 'redis',
      skip: redisSkip,
      config: (prefix) => ({ backend: 'redis', url: 'redis://127.0.0.1:6379', prefix }),
    },
  ];

function assertCacheError(code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof CarafeError, String(error));
    assert.equal(error.code, code);
    return true;
  };
}

after(closeCaches);

for (const { name, skip, config } of backends) {
  describe(`the ${name} cache`, { skip }, () => {
    const prefix = `${runPrefix}:${name}`;
    before(async () => {
      await configureCaches({
        default: config(prefix),
        short: { ...config(`${prefix}:short`), ttl: 0.1 },
        other: config(`${prefix}:other`),
      });
    });
    after(async () => {
      for (const alias of caches.aliases()) await caches.get(alias).clear();
    });

    it('gives back what was set, null included, and undefined on a miss', async () => {
      assert.equal(await cache.get('absent'), undefined);
      await cache.set('user:1', { id: 1, name: 'Ada', tags: ['a', 'b'] });
      assert.deepEqual(await cache.get('user:1'), { id: 1, name: 'Ada', tags: ['a', 'b'] });
      await cache.set('nothing', null);
      assert.equal(await cache.get('nothing'), null);
      assert.equal(await cache.has('nothing'), true);
      assert.equal(await cache.has('absent'), false);
      await cache.set('user:1', 'replaced');
      assert.equal(await cache.get('user:1'), 'replaced');
    });

    it('forgets an entry after its ttl, per call or from the cache setting', async () => {
      await cache.set('brief', 1, { ttl: 0.05 });
      await cache.set('lasting', 2, { ttl: null });
      const short = caches.get('short');
      await short.set('configured', 3);
      await short.set('overridden', 4, { ttl: 60 });
      assert.equal(await cache.get('brief'), 1);
      assert.equal(await short.get('configured'), 3);
      await sleep(150);
      assert.equal(await cache.get('brief'), undefined);
      assert.equal(await cache.has('brief'), false);
      assert.equal(await short.get('configured'), undefined);
      assert.equal(await short.get('overridden'), 4);
      assert.equal(await cache.get('lasting'), 2);
    });

    it('adds only when the key is absent', async () => {
      assert.equal(await cache.add('once', 'first'), true);
      assert.equal(await cache.add('once', 'second'), false);
      assert.equal(await cache.get('once'), 'first');
    });

    it('computes a missing value once with getOrSet', async () => {
      let calls = 0;
      const compute = async () => {
        calls++;
        return { answer: 42 };
      };
      assert.deepEqual(await cache.getOrSet('computed', compute, { ttl: 60 }), { answer: 42 });
      assert.deepEqual(await cache.getOrSet('computed', compute), { answer: 42 });
      assert.equal(calls, 1);
      await cache.set('falsy', 0);
      assert.equal(await cache.getOrSet('falsy', () => 99), 0);
    });

    it('reads and writes many keys at once, leaving misses out', async () => {
      await cache.setMany({ a: 1, b: 'two' });
      await cache.setMany(new Map<string, unknown>([['c', [3]]]), { ttl: 60 });
      const found = await cache.getMany(['a', 'missing', 'b', 'c']);
      assert.deepEqual(
        [...found],
        [
          ['a', 1],
          ['b', 'two'],
          ['c', [3]],
        ],
      );
      assert.equal((await cache.getMany([])).size, 0);
    });

    it('deletes, saying whether the keys were there', async () => {
      await cache.setMany({ d1: 1, d2: 2, d3: 3 });
      assert.equal(await cache.delete('d1'), true);
      assert.equal(await cache.delete('d1'), false);
      assert.equal(await cache.deleteMany(['d2', 'd3', 'never']), 2);
      assert.equal((await cache.getMany(['d1', 'd2', 'd3'])).size, 0);
    });

    it('increments and decrements integers, keeping their expiry', async () => {
      await cache.set('hits', 10, { ttl: 0.15 });
      assert.equal(await cache.incr('hits'), 11);
      assert.equal(await cache.incr('hits', 5), 16);
      assert.equal(await cache.decr('hits', 20), -4);
      assert.equal(await cache.get('hits'), -4);
      await sleep(250);
      assert.equal(await cache.get('hits'), undefined);
      await assert.rejects(cache.incr('hits'), assertCacheError('CARAFE_CACHE_MISSING_KEY'));
      await cache.set('word', 'ten');
      await assert.rejects(cache.incr('word'), assertCacheError('CARAFE_CACHE_NOT_AN_INTEGER'));
      await cache.set('half', 1.5);
      await assert.rejects(cache.decr('half'), assertCacheError('CARAFE_CACHE_NOT_AN_INTEGER'));
      await assert.rejects(cache.incr('word', 0.5), assertCacheError('CARAFE_CACHE_OPTION'));
    });

    it('keeps caches with other prefixes and versions apart', async () => {
      const other = caches.get('other');
      await cache.set('shared-name', 'default');
      await other.set('shared-name', 'other');
      assert.equal(await cache.get('shared-name', { version: 2 }), undefined);
      await cache.set('shared-name', 'version 2', { version: 2 });
      assert.equal(await cache.get('shared-name'), 'default');
      assert.equal(await cache.get('shared-name', { version: 2 }), 'version 2');
      assert.equal(await other.get('shared-name'), 'other');
      assert.equal(await other.get('shared-name', { version: 2 }), undefined);

      // The default prefix is the start of the other's: clearing it must leave the other alone.
      await cache.clear();
      assert.equal(await cache.get('shared-name'), undefined);
      assert.equal(await cache.get('shared-name', { version: 2 }), undefined, 'every version');
      assert.equal(await other.get('shared-name'), 'other');
      await other.clear();
      assert.equal(await other.get('shared-name'), undefined);
    });

    it('refuses undefined values and times to live that mean nothing', async () => {
      await assert.rejects(cache.set('u', undefined), assertCacheError('CARAFE_CACHE_VALUE'));
      await assert.rejects(cache.setMany({ u: undefined }), assertCacheError('CARAFE_CACHE_VALUE'));
      await assert.rejects(cache.set('t', 1, { ttl: 0 }), assertCacheError('CARAFE_CACHE_OPTION'));
      await assert.rejects(cache.set('t', 1, { ttl: -5 }), assertCacheError('CARAFE_CACHE_OPTION'));
      await assert.rejects(
        cache.get('t', { version: -1 }),
        assertCacheError('CARAFE_CACHE_OPTION'),
      );
      assert.equal(await cache.has('u'), false);
      assert.equal(await cache.has('t'), false);
    });
  });
}
