import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { cache } from '../cache/index.js';
import type { Carafe } from '../index.js';
import { TestClient } from '../testing/index.js';
import {
  auth,
  cacheThrottleStore,
  type LoginThrottleOptions,
  MemoryThrottleStore,
  userLoginFailed,
} from './index.js';
import { makeUser, migrateAuth, password, testApp } from './test-support/app.js';

/** The JSON login of the test app, from a given client address. */
async function attempt(app: Carafe, username: string, pass: string, ip = '203.0.113.7') {
  const response = await app.fetch(
    new Request('http://localhost/login/', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password: pass }),
    }),
    { remoteAddress: ip },
  );
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function throttledApp(loginThrottle?: LoginThrottleOptions | false) {
  return testApp({ auth: { loginThrottle } });
}

describe('MemoryThrottleStore', () => {
  it('counts within a window that starts at the first failure', async () => {
    let now = 0;
    const store = new MemoryThrottleStore({ now: () => now });
    assert.equal(await store.increment('a', 10), 1);
    now = 9_000;
    assert.equal(await store.increment('a', 10), 2);
    assert.equal(await store.get('a'), 2);
    now = 10_000;
    assert.equal(await store.get('a'), 0);
    assert.equal(await store.increment('a', 10), 1);
    await store.reset('a');
    assert.equal(await store.get('a'), 0);
  });

  it('keeps at most maxKeys, dropping expired then the oldest windows', async () => {
    let now = 0;
    const store = new MemoryThrottleStore({ maxKeys: 2, now: () => now });
    await store.increment('old', 1);
    await store.increment('mid', 100);
    now = 5_000;
    await store.increment('new', 100);
    assert.deepEqual(
      [await store.get('old'), await store.get('mid'), await store.get('new')],
      [0, 1, 1],
    );
    await store.increment('newer', 100);
    assert.deepEqual([await store.get('mid'), await store.get('newer')], [0, 1]);
    assert.throws(() => new MemoryThrottleStore({ maxKeys: 0 }), { code: 'CARAFE_AUTH_OPTION' });
  });

  it('works over a carafe/cache cache', async () => {
    const store = cacheThrottleStore(cache);
    const key = `throttle-test-${Date.now()}`;
    assert.equal(await store.get(key), 0);
    assert.equal(await store.increment(key, 60), 1);
    assert.equal(await store.increment(key, 60), 2);
    assert.equal(await store.get(key), 2);
    await store.reset(key);
    assert.equal(await store.get(key), 0);
  });

  it('checks the options of auth()', () => {
    assert.throws(() => auth({ loginThrottle: { perAccount: 0 } }), { code: 'CARAFE_AUTH_OPTION' });
    assert.throws(() => auth({ loginThrottle: { window: 1.5 } }), { code: 'CARAFE_AUTH_OPTION' });
  });
});

forEachDatabase('login throttling', () => {
  before(async () => {
    await migrateAuth();
    for (const name of ['ada', 'bob', 'cy', 'dee']) await makeUser(name);
  });

  it('refuses the 6th attempt on an account with a 429, even with the right password', async () => {
    const reasons: string[] = [];
    const stop = userLoginFailed.connect(({ reason }) => {
      reasons.push(reason);
    });
    try {
      const app = throttledApp();
      for (let index = 0; index < 5; index++) {
        // From different addresses: the account's own count is what stops it.
        assert.equal((await attempt(app, 'ada', 'wrong', `198.51.100.${index}`)).status, 401);
      }
      const refused = await attempt(app, 'ADA', password, '198.51.100.99');
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '900');
      assert.match(refused.body, /CARAFE_AUTH_THROTTLED/);
      assert.equal((await attempt(app, 'ada', password, '198.51.100.98')).status, 429);
      assert.deepEqual(reasons, [...Array(5).fill('credentials'), 'throttled', 'throttled']);
      // Other accounts are not affected.
      assert.equal((await attempt(app, 'bob', password)).status, 200);
    } finally {
      stop();
    }
  });

  it('clears an account’s count when its right password is given', async () => {
    const app = throttledApp();
    for (let index = 0; index < 4; index++) {
      assert.equal((await attempt(app, 'cy', 'wrong', `192.0.2.${index}`)).status, 401);
    }
    assert.equal((await attempt(app, 'cy', password, '192.0.2.50')).status, 200);
    for (let index = 0; index < 4; index++) {
      assert.equal((await attempt(app, 'cy', 'wrong', `192.0.2.${index + 10}`)).status, 401);
    }
    assert.equal((await attempt(app, 'cy', password, '192.0.2.60')).status, 200);
  });

  it('limits failures per client address across names', async () => {
    const app = throttledApp({ perIp: 3 });
    for (const name of ['x1', 'x2', 'x3']) {
      assert.equal((await attempt(app, name, 'wrong', '203.0.113.9')).status, 401);
    }
    assert.equal((await attempt(app, 'dee', password, '203.0.113.9')).status, 429);
    // A success elsewhere does not reset the address's count.
    assert.equal((await attempt(app, 'dee', password, '203.0.113.10')).status, 200);
    assert.equal((await attempt(app, 'dee', password, '203.0.113.9')).status, 429);
  });

  it('honours its settings, or none at all', async () => {
    const strict = throttledApp({ perAccount: 2, window: 60 });
    await attempt(strict, 'bob', 'wrong', '192.0.2.200');
    await attempt(strict, 'bob', 'wrong', '192.0.2.201');
    const refused = await attempt(strict, 'bob', password, '192.0.2.202');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '60');
    const open = throttledApp(false);
    for (let index = 0; index < 8; index++) await attempt(open, 'bob', 'wrong');
    assert.equal((await attempt(open, 'bob', password)).status, 200);
  });

  it('shares counts between apps through a shared store', async () => {
    const store = new MemoryThrottleStore();
    const first = throttledApp({ store, perAccount: 2 });
    const second = throttledApp({ store, perAccount: 2 });
    await attempt(first, 'dee', 'wrong', '192.0.2.70');
    await attempt(second, 'dee', 'wrong', '192.0.2.71');
    assert.equal((await attempt(first, 'dee', password, '192.0.2.72')).status, 429);
    // The JSON login through the test client (no client address) is throttled per account too.
    const client = new TestClient(second);
    const res = await client.post('/login/', { json: { username: 'dee', password } });
    assert.equal(res.status, 429);
  });
});
