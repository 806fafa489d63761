import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { caches, closeCaches, configureCaches } from './index.js';

after(closeCaches);

describe('the memory cache', () => {
  it('drops the least recently used entry beyond maxEntries', async () => {
    await configureCaches({ default: { maxEntries: 3 } });
    const cache = caches.get('default');
    await cache.setMany({ a: 1, b: 2, c: 3 });
    assert.equal(await cache.get('a'), 1, 'reading a makes b the least recently used');
    await cache.set('d', 4);
    assert.deepEqual(
      [...(await cache.getMany(['a', 'b', 'c', 'd']))],
      [
        ['a', 1],
        ['c', 3],
        ['d', 4],
      ],
    );
    await cache.set('c', 30);
    await cache.set('e', 5);
    assert.equal(await cache.has('a'), false, 'a was read before c was rewritten');
    assert.deepEqual([...(await cache.getMany(['c', 'd', 'e']))].length, 3);
  });

  it('keeps the very object it was given, without copying', async () => {
    await configureCaches({ default: {} });
    const cache = caches.get('default');
    const user = { id: 1, roles: ['admin'], joined: new Date(0) };
    await cache.set('user', user);
    const cached = await cache.get<typeof user>('user');
    assert.equal(cached, user);
    assert.ok(cached?.joined instanceof Date);
  });

  it('gives every memory cache its own entries, even with the same prefix', async () => {
    await configureCaches({ default: {}, second: {} });
    await caches.get('default').set('k', 'default');
    assert.equal(await caches.get('second').get('k'), undefined);
    await caches.get('second').clear();
    assert.equal(await caches.get('default').get('k'), 'default');
  });
});
