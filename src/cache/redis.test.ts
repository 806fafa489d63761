import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { serviceSkip } from '../../test/support/services.js';
import { caches, closeCaches, configureCaches } from './index.js';

const skip = await serviceSkip('redis');
const prefix = `carafe-test:${process.pid}:${Date.now()}:redis`;

describe('the redis cache', { skip }, () => {
  const raw = createClient({ url: 'redis://127.0.0.1:6379' });
  before(async () => {
    await raw.connect();
    await configureCaches({
      default: { backend: 'redis', prefix, ttl: 30 },
      next: { backend: 'redis', prefix, version: 2 },
      forever: { backend: 'redis', prefix: `${prefix}:forever`, ttl: null },
    });
  });
  after(async () => {
    for (const alias of caches.aliases()) await caches.get(alias).clear();
    await closeCaches();
    await raw.close();
  });

  it('stores JSON under prefix:version:key with the ttl as the key expiry', async () => {
    const cache = caches.get('default');
    await cache.set('user:1', { id: 1, joined: new Date(0) });
    assert.equal(
      await raw.get(`${prefix}:1:user:1`),
      '{"id":1,"joined":"1970-01-01T00:00:00.000Z"}',
    );
    const ttl = await raw.pTTL(`${prefix}:1:user:1`);
    assert.ok(ttl > 29_000 && ttl <= 30_000, `pttl ${ttl}`);
    assert.deepEqual(await cache.get('user:1'), { id: 1, joined: '1970-01-01T00:00:00.000Z' });
    await caches.get('forever').set('k', 1);
    assert.equal(await raw.pTTL(`${prefix}:forever:1:k`), -1);
  });

  it('shares the server between caches, which a version keeps apart', async () => {
    await caches.get('default').set('page', 'v1');
    await caches.get('next').set('page', 'v2');
    assert.equal(await caches.get('default').get('page'), 'v1');
    assert.equal(await caches.get('next').get('page'), 'v2');
    assert.equal(await caches.get('next').get('page', { version: 1 }), 'v1');
  });

  it('sees what another process wrote', async () => {
    await raw.set(`${prefix}:1:from-elsewhere`, '[1,2,3]');
    assert.deepEqual(await caches.get('default').get('from-elsewhere'), [1, 2, 3]);
  });
});

describe('a redis cache whose server is down', () => {
  it('connects only when used, and then fails at once', async () => {
    await configureCaches({ default: { backend: 'redis', url: 'redis://127.0.0.1:1' } });
    const started = performance.now();
    await assert.rejects(caches.get('default').get('k'), /ECONNREFUSED/);
    assert.ok(performance.now() - started < 2000);
    await closeCaches();
  });
});
