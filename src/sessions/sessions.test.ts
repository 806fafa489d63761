import assert from 'node:assert/strict';
import { after, afterEach, describe, it, mock } from 'node:test';
import { createClient } from 'redis';
import { serviceSkip } from '../../test/support/services.js';
import { Carafe, type CarafeConfig, CarafeError } from '../index.js';
import { TestClient } from '../testing/index.js';
import { redisSessions, type SessionStore, type SessionsOptions, sessions } from './index.js';

const config = {
  debug: false,
  secretKey: 'x'.repeat(48),
  allowedHosts: ['localhost', 'example.com'],
  log: { level: 'silent' },
} satisfies CarafeConfig;

const apps: Carafe[] = [];
after(async () => {
  for (const app of apps) await app.shutdown();
});

function sessionApp(options: SessionsOptions = {}, overrides: CarafeConfig = {}): Carafe {
  const app = new Carafe({ ...config, ...overrides, apps: [sessions(options)] });
  apps.push(app);
  app.get(
    '/set',
    (req) => {
      for (const [key, value] of req.query) req.session.set(key, value);
      return { ok: true };
    },
    { name: 'set' },
  );
  app.get(
    '/get',
    (req) => {
      const values: Record<string, unknown> = Object.create(null);
      for (const key of req.query.keys()) values[key] = req.session.get(key) ?? null;
      return {
        values,
        id: req.session.id ?? null,
        empty: req.session.isEmpty,
        expiry: req.session.expiry,
      };
    },
    { name: 'get' },
  );
  app.get('/untouched', () => 'nothing', { name: 'untouched' });
  app.get(
    '/clear',
    (req) => {
      req.session.clear();
      return { ok: true };
    },
    { name: 'clear' },
  );
  app.get(
    '/flush',
    (req) => {
      req.session.flush();
      return { ok: true };
    },
    { name: 'flush' },
  );
  app.get(
    '/regenerate',
    (req) => {
      req.session.regenerate();
      return { ok: true };
    },
    { name: 'regenerate' },
  );
  app.get(
    '/expiry/<int:seconds>',
    (req) => {
      req.session.setExpiry(req.params.seconds);
      return { expiry: req.session.expiry };
    },
    { name: 'expiry' },
  );
  app.get(
    '/fail',
    (req) => {
      req.session.set('half', 'done');
      throw new Error('boom');
    },
    { name: 'fail' },
  );
  return app;
}

interface GetBody {
  values: Record<string, unknown>;
  id: string | null;
  empty: boolean;
  expiry: number;
}

async function read(client: TestClient, ...keys: string[]): Promise<GetBody> {
  const res = await client.get('/get', { query: Object.fromEntries(keys.map((key) => [key, ''])) });
  assert.equal(res.status, 200);
  return res.json<GetBody>();
}

function setCookieLine(res: { headers: Headers }, name = 'sessionid'): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

const redisSkip = await serviceSkip('redis');
const redisPrefix = `carafe-test:${process.pid}:${Date.now()}:`;

const backends: { name: string; skip: false | string; backend: () => 'cookie' | SessionStore }[] = [
  { name: 'signed cookie', skip: false, backend: () => 'cookie' },
  { name: 'redis', skip: redisSkip, backend: () => redisSessions({ prefix: redisPrefix }) },
];

for (const { name, skip, backend } of backends) {
  describe(`sessions on the ${name} backend`, { skip }, () => {
    it('round-trips values through the cookie', async () => {
      const client = new TestClient(sessionApp({ backend: backend() }));
      const res = await client.get('/set', { query: { user: '42', theme: 'dark' } });
      const line = setCookieLine(res);
      assert.ok(line, 'a session cookie is set');
      assert.match(line, /; Path=\/; Max-Age=1209600; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
      assert.deepEqual((await read(client, 'user', 'theme', 'missing')).values, {
        user: '42',
        theme: 'dark',
        missing: null,
      });
    });

    it('writes no cookie when the session is untouched, only read, or new and empty', async () => {
      const client = new TestClient(sessionApp({ backend: backend() }));
      assert.equal(setCookieLine(await client.get('/untouched')), undefined);
      assert.equal(setCookieLine(await client.get('/get', { query: { a: '' } })), undefined);
      await client.get('/set', { query: { a: '1' } });
      assert.equal(setCookieLine(await client.get('/get', { query: { a: '' } })), undefined);
      assert.equal(setCookieLine(await client.get('/untouched')), undefined);
    });

    it('adds Vary: Cookie when the session was read', async () => {
      const client = new TestClient(sessionApp({ backend: backend() }));
      assert.equal((await client.get('/get', { query: { a: '' } })).header('vary'), 'Cookie');
      assert.equal((await client.get('/untouched')).header('vary'), null);
    });

    it('marks the cookie Secure on HTTPS', async () => {
      const client = new TestClient(sessionApp({ backend: backend() }), {
        baseUrl: 'https://example.com',
      });
      assert.match(
        setCookieLine(await client.get('/set', { query: { a: '1' } })) ?? '',
        /; Secure/,
      );
    });

    it('gives an empty session for a tampered or malformed cookie', async () => {
      const client = new TestClient(sessionApp({ backend: backend() }));
      await client.get('/set', { query: { role: 'user' } });
      const value = client.cookies.get('sessionid') ?? '';
      for (const forged of [`${value.slice(0, -2)}xy`, 'garbage', `${'A'.repeat(32)}`, '']) {
        client.cookies.set('sessionid', forged);
        const body = await read(client, 'role');
        assert.deepEqual(body.values, { role: null });
        assert.equal(body.empty, true);
      }
    });

    it('clear() and flush() empty the session and delete the cookie', async () => {
      for (const path of ['/clear', '/flush']) {
        const client = new TestClient(sessionApp({ backend: backend() }));
        await client.get('/set', { query: { a: '1' } });
        const old = client.cookies.get('sessionid');
        const res = await client.get(path);
        assert.match(setCookieLine(res) ?? '', /^sessionid=; .*Max-Age=0/);
        assert.equal(client.cookies.get('sessionid'), undefined);
        if (old !== undefined) client.cookies.set('sessionid', old);
        // Replaying the old cookie: cookie sessions are stateless, so only the server-side
        // backend can forget the data; both give an empty session once flushed.
        if (path === '/flush' && name !== 'signed cookie')
          assert.equal((await read(client, 'a')).empty, true);
      }
    });

    it('regenerate() keeps the data and writes the cookie again', async () => {
      const client = new TestClient(sessionApp({ backend: backend() }));
      await client.get('/set', { query: { cart: '3' } });
      const res = await client.get('/regenerate');
      assert.ok(setCookieLine(res));
      assert.deepEqual((await read(client, 'cart')).values, { cart: '3' });
    });

    it('setExpiry(0) makes a browser-session cookie; setExpiry(n) sets Max-Age', async () => {
      const client = new TestClient(sessionApp({ backend: backend() }));
      await client.get('/set', { query: { a: '1' } });
      const browser = setCookieLine(await client.get('/expiry/0')) ?? '';
      assert.ok(browser.startsWith('sessionid='));
      assert.doesNotMatch(browser, /Max-Age|Expires/);
      assert.equal((await read(client)).expiry, 0);
      assert.match(setCookieLine(await client.get('/expiry/60')) ?? '', /; Max-Age=60;/);
      const body = await read(client, 'a');
      assert.equal(body.expiry, 60);
      assert.deepEqual(body.values, { a: '1' });
    });

    it('does not save a session changed by a request that failed', async () => {
      const client = new TestClient(sessionApp({ backend: backend() }));
      const res = await client.get('/fail');
      assert.equal(res.status, 500);
      assert.equal(setCookieLine(res), undefined);
    });

    it('saveEveryRequest renews the cookie on every request that has one', async () => {
      const client = new TestClient(sessionApp({ backend: backend(), saveEveryRequest: true }));
      assert.equal(setCookieLine(await client.get('/untouched')), undefined);
      await client.get('/set', { query: { a: '1' } });
      assert.ok(setCookieLine(await client.get('/untouched')));
    });

    it('honours cookieName, maxAge and cookie attributes', async () => {
      const app = sessionApp({
        backend: backend(),
        cookieName: 'app_session',
        maxAge: 3600,
        cookie: { domain: 'example.com', sameSite: 'Strict', path: '/' },
      });
      const client = new TestClient(app, { baseUrl: 'http://example.com' });
      const line =
        setCookieLine(await client.get('/set', { query: { a: '1' } }), 'app_session') ?? '';
      assert.match(line, /; Domain=example\.com; Max-Age=3600;.*; SameSite=Strict$/);
      assert.deepEqual((await read(client, 'a')).values, { a: '1' });
    });
  });
}

describe('signed cookie sessions', () => {
  afterEach(() => mock.timers.reset());

  it('rejects a cookie replayed after it expired', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.UTC(2030, 0, 1) });
    const client = new TestClient(sessionApp({ maxAge: 600 }));
    await client.get('/set', { query: { a: '1' } });
    const value = client.cookies.get('sessionid') ?? '';
    mock.timers.tick(599_000);
    assert.deepEqual((await read(client, 'a')).values, { a: '1' });
    mock.timers.tick(2_000);
    client.cookies.set('sessionid', value);
    assert.deepEqual((await read(client, 'a')).values, { a: null });
  });

  it('enforces a per-session expiry and still caps a browser session at maxAge', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.UTC(2030, 0, 1) });
    const client = new TestClient(sessionApp({ maxAge: 600 }));
    await client.get('/set', { query: { a: '1' } });
    await client.get('/expiry/60');
    const short = client.cookies.get('sessionid') ?? '';
    await client.get('/expiry/0');
    const browser = client.cookies.get('sessionid') ?? '';
    mock.timers.tick(61_000);
    client.cookies.set('sessionid', short);
    assert.equal((await read(client, 'a')).empty, true);
    client.cookies.set('sessionid', browser);
    assert.equal((await read(client, 'a')).empty, false);
    mock.timers.tick(540_000);
    client.cookies.set('sessionid', browser);
    assert.equal((await read(client, 'a')).empty, true);
  });

  it('accepts a cookie signed with a fallback key and re-signs it with the current key', async () => {
    const oldKey = 'o'.repeat(48);
    const newKey = 'n'.repeat(48);
    const before = new TestClient(sessionApp({}, { secretKey: oldKey }));
    await before.get('/set', { query: { user: '7' } });
    const oldCookie = before.cookies.get('sessionid') ?? '';

    const rotated = new TestClient(
      sessionApp({}, { secretKey: newKey, secretKeyFallbacks: [oldKey] }),
    );
    rotated.cookies.set('sessionid', oldCookie);
    const res = await rotated.get('/get', { query: { user: '' } });
    assert.deepEqual(res.json<GetBody>().values, { user: '7' });
    const resigned = rotated.cookies.get('sessionid') ?? '';
    assert.ok(setCookieLine(res), 'the session is written again');
    assert.notEqual(resigned, oldCookie);

    const newOnly = new TestClient(sessionApp({}, { secretKey: newKey }));
    newOnly.cookies.set('sessionid', resigned);
    assert.deepEqual((await read(newOnly, 'user')).values, { user: '7' });
    newOnly.cookies.set('sessionid', oldCookie);
    assert.deepEqual((await read(newOnly, 'user')).values, { user: null });
  });

  it('fails clearly when the session outgrows a cookie', async () => {
    const app = sessionApp({}, { debug: true });
    const client = new TestClient(app);
    const res = await client.get('/set', {
      query: { blob: 'x'.repeat(4000) },
      headers: { accept: 'application/json' },
    });
    assert.equal(res.status, 500);
    assert.equal(setCookieLine(res), undefined);
    assert.match(
      res.json<{ detail: string }>().detail,
      /above the 4093 browsers keep.*redisSessions/,
    );
    const fits = await client.get('/set', { query: { blob: 'x'.repeat(2000) } });
    assert.equal(fits.status, 200);
  });

  it('keeps JSON-looking keys like __proto__ as ordinary data', async () => {
    const client = new TestClient(sessionApp());
    await client.get('/set', {
      query: new URLSearchParams([
        ['__proto__', 'p'],
        ['constructor', 'c'],
      ]),
    });
    const { values } = await read(client, '__proto__', 'constructor');
    assert.equal(Object.getOwnPropertyDescriptor(values, '__proto__')?.value, 'p');
    assert.equal(values.constructor, 'c');
  });
});

describe('redis sessions', { skip: redisSkip }, () => {
  const redis = createClient({ url: 'redis://127.0.0.1:6379' });
  after(async () => {
    if (redis.isOpen) {
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length > 0) await redis.del(keys);
      await redis.close();
    }
  });

  async function connected() {
    if (!redis.isOpen) await redis.connect();
    return redis;
  }

  it('keeps only the id in the cookie and the data in Redis with the session TTL', async () => {
    const client = new TestClient(
      sessionApp({ backend: redisSessions({ prefix: redisPrefix }), maxAge: 900 }),
    );
    await client.get('/set', { query: { user: '9' } });
    const id = client.cookies.get('sessionid') ?? '';
    assert.match(id, /^[A-Za-z0-9_-]{32}$/);
    const db = await connected();
    assert.deepEqual(JSON.parse((await db.get(redisPrefix + id)) ?? 'null'), {
      data: { user: '9' },
    });
    const ttl = await db.ttl(redisPrefix + id);
    assert.ok(ttl > 890 && ttl <= 900, `ttl ${ttl}`);
    assert.equal((await read(client)).id, id);
    await client.get('/expiry/60');
    assert.ok((await db.ttl(redisPrefix + id)) <= 60);
  });

  it('regenerate() moves the data to a new id and deletes the old one', async () => {
    const client = new TestClient(sessionApp({ backend: redisSessions({ prefix: redisPrefix }) }));
    await client.get('/set', { query: { cart: '1' } });
    const oldId = client.cookies.get('sessionid') ?? '';
    await client.get('/regenerate');
    const newId = client.cookies.get('sessionid') ?? '';
    assert.notEqual(newId, oldId);
    const db = await connected();
    assert.equal(await db.exists(redisPrefix + oldId), 0);
    assert.equal(await db.exists(redisPrefix + newId), 1);
    const body = await read(client, 'cart');
    assert.equal(body.id, newId);
    assert.deepEqual(body.values, { cart: '1' });
  });

  it('flush() deletes the stored session', async () => {
    const client = new TestClient(sessionApp({ backend: redisSessions({ prefix: redisPrefix }) }));
    await client.get('/set', { query: { a: '1' } });
    const id = client.cookies.get('sessionid') ?? '';
    await client.get('/flush');
    assert.equal(await (await connected()).exists(redisPrefix + id), 0);
  });

  it('treats an id Redis does not know as a new, empty session', async () => {
    const client = new TestClient(sessionApp({ backend: redisSessions({ prefix: redisPrefix }) }));
    client.cookies.set('sessionid', 'B'.repeat(32));
    assert.equal((await read(client)).empty, true);
    await client.get('/set', { query: { a: '1' } });
    assert.notEqual(
      client.cookies.get('sessionid'),
      'B'.repeat(32),
      'an unknown id is never adopted',
    );
  });

  it('implements the store contract', async () => {
    const store = redisSessions({ prefix: redisPrefix });
    try {
      const id = await store.create({ data: { a: 1 } }, 60);
      assert.equal(await store.exists(id), true);
      assert.deepEqual(await store.load(id), { data: { a: 1 }, expiry: undefined });
      await store.save(id, { data: { a: 2 }, expiry: 30 }, 30);
      assert.deepEqual(await store.load(id), { data: { a: 2 }, expiry: 30 });
      await store.delete(id);
      assert.equal(await store.exists(id), false);
      assert.equal(await store.load(id), undefined);
      await (await connected()).set(`${redisPrefix}corrupt`, '{not json');
      assert.equal(await store.load('corrupt'), undefined);
    } finally {
      await store.close?.();
    }
  });
});

describe('an unreachable session store', () => {
  it('fails the request at once instead of hanging', async () => {
    const app = sessionApp({ backend: redisSessions({ url: 'redis://127.0.0.1:1' }) });
    const client = new TestClient(app);
    client.cookies.set('sessionid', 'C'.repeat(32));
    const started = Date.now();
    assert.equal((await client.get('/get')).status, 500);
    assert.equal((await client.get('/set', { query: { a: '1' } })).status, 500);
    assert.ok(Date.now() - started < 5000);
    assert.equal(
      (await client.get('/untouched')).status,
      500,
      'a session cookie means a store read',
    );
    client.cookies.clear();
    assert.equal((await client.get('/untouched')).status, 200, 'no cookie, no store');
  });
});

describe('session API misuse', () => {
  it('rejects bad options with the fix', () => {
    const cases: [SessionsOptions, RegExp][] = [
      [{ maxAge: 0 }, /maxAge.*whole seconds > 0/],
      [{ maxAge: 1.5 }, /maxAge/],
      [{ cookieName: 'my session' }, /not a valid cookie name/],
      [{ backend: 'memory' as 'cookie' }, /'cookie' or a SessionStore/],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => sessions(options),
        (error) => {
          assert.ok(error instanceof CarafeError);
          assert.equal(error.code, 'CARAFE_SESSIONS_OPTION');
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });

  it('rejects a bad expiry and an undefined value', async () => {
    const app = sessionApp({}, { debug: true });
    app.get(
      '/bad-expiry',
      (req) => {
        req.session.setExpiry(-5);
        return 'unreachable';
      },
      { name: 'bad_expiry' },
    );
    app.get(
      '/bad-value',
      (req) => {
        req.session.set('a', undefined as unknown as string);
        return 'unreachable';
      },
      { name: 'bad_value' },
    );
    const client = new TestClient(app, { headers: { accept: 'application/json' } });
    const expiry = await client.get('/bad-expiry');
    assert.equal(expiry.status, 500);
    assert.match(expiry.json<{ detail: string }>().detail, /setExpiry\(-5\): give whole seconds/);
    const value = await client.get('/bad-value');
    assert.match(value.json<{ detail: string }>().detail, /use session\.delete\(key\)/);
  });
});
