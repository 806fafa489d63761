import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { createTables, type Database } from '../db/index.js';
import { Carafe, type CarafeConfig } from '../index.js';
import { TestClient } from '../testing/index.js';
import {
  type DatabaseSessionsOptions,
  databaseSessions,
  SessionModel,
  type SessionsOptions,
  sessions,
} from './index.js';

const config = {
  debug: false,
  secretKey: 'x'.repeat(48),
  allowedHosts: ['localhost'],
  log: { level: 'silent' },
} satisfies CarafeConfig;

function sessionApp(
  options: Omit<SessionsOptions, 'backend'> = {},
  store: DatabaseSessionsOptions = {},
): Carafe {
  const app = new Carafe({
    ...config,
    apps: [sessions({ ...options, backend: databaseSessions(store) })],
  });
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
      return { values, id: req.session.id ?? null, empty: req.session.isEmpty };
    },
    { name: 'get' },
  );
  app.get('/untouched', () => 'nothing', { name: 'untouched' });
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
      return { ok: true };
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
}

async function read(client: TestClient, ...keys: string[]): Promise<GetBody> {
  const res = await client.get('/get', { query: Object.fromEntries(keys.map((key) => [key, ''])) });
  assert.equal(res.status, 200);
  return res.json<GetBody>();
}

function setCookieLine(res: { headers: Headers }): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith('sessionid='));
}

function sessionKey(client: TestClient): string {
  const key = client.cookies.get('sessionid');
  assert.ok(key !== undefined, 'the client holds a session cookie');
  return key;
}

/** The SQL statements `db` runs during `fn`. */
async function queriesDuring(db: Database, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const stop = db.onQuery((event) => seen.push(event.sql));
  try {
    await fn();
  } finally {
    stop();
  }
  return seen;
}

const row = (key: string) => SessionModel.objects.filter({ key }).first();
const secondsFromNow = (date: Date) => (date.getTime() - Date.now()) / 1000;

forEachDatabase('database sessions', (ctx) => {
  before(() => createTables([SessionModel]));

  it('keeps only the key in the cookie and the data as JSON in a row', async () => {
    const client = new TestClient(sessionApp({ maxAge: 900 }));
    const res = await client.get('/set', { query: { user: '42', theme: 'dark' } });
    assert.match(setCookieLine(res) ?? '', /; Max-Age=900;/);
    const key = sessionKey(client);
    assert.match(key, /^[A-Za-z0-9_-]{32}$/);
    const stored = await row(key);
    assert.ok(stored);
    assert.deepEqual(JSON.parse(stored.data), { data: { user: '42', theme: 'dark' } });
    const left = secondsFromNow(stored.expiresAt);
    assert.ok(left > 890 && left <= 900, `expires in ${left}s`);
    const body = await read(client, 'user', 'theme', 'missing');
    assert.deepEqual(body.values, { user: '42', theme: 'dark', missing: null });
    assert.equal(body.id, key);
  });

  it('writes nothing when the session is only read or not touched', async () => {
    const client = new TestClient(sessionApp());
    await client.get('/set', { query: { a: '1' } });
    const writes = (
      await queriesDuring(ctx.database, async () => {
        assert.equal(setCookieLine(await client.get('/get', { query: { a: '' } })), undefined);
        assert.equal(setCookieLine(await client.get('/untouched')), undefined);
      })
    ).filter((sql) => !/^\s*select/i.test(sql));
    assert.deepEqual(writes, []);
  });

  it('gives an empty session and a new key for a key it does not know', async () => {
    const client = new TestClient(sessionApp());
    const unknown = 'B'.repeat(32);
    client.cookies.set('sessionid', unknown);
    assert.equal((await read(client)).empty, true);
    await client.get('/set', { query: { a: '1' } });
    const key = sessionKey(client);
    assert.notEqual(key, unknown, 'an unknown key is never adopted');
    assert.equal(await row(unknown), null);
    assert.deepEqual((await read(client, 'a')).values, { a: '1' });
  });

  it('never sends a cookie that cannot be a key to the database', async () => {
    const client = new TestClient(sessionApp());
    await client.get('/set', { query: { role: 'user' } });
    const real = sessionKey(client);
    const forged = [
      `${real}x`,
      real.slice(0, -1),
      `${real.slice(0, -1)}'`,
      'x'.repeat(4000),
      "' OR 1=1 --",
      '',
    ];
    for (const value of forged) {
      client.cookies.set('sessionid', value);
      const queries = await queriesDuring(ctx.database, async () => {
        const body = await read(client, 'role');
        assert.deepEqual(body.values, { role: null });
        assert.equal(body.empty, true);
      });
      assert.deepEqual(queries, [], `cookie ${JSON.stringify(value.slice(0, 40))}`);
    }
    const store = databaseSessions();
    const queries = await queriesDuring(ctx.database, async () => {
      assert.equal(await store.load('y'.repeat(100_000)), undefined);
      assert.equal(await store.exists('%'), false);
      await store.delete('%');
      await store.save('%', { data: { a: 1 } }, 60);
    });
    assert.deepEqual(queries, []);
    assert.equal(await SessionModel.objects.filter({ key: real }).count(), 1);
  });

  it('treats an expired row as no session', async () => {
    const client = new TestClient(sessionApp());
    await client.get('/set', { query: { a: '1' } });
    const key = sessionKey(client);
    await SessionModel.objects.filter({ key }).update({ expiresAt: new Date(Date.now() - 1000) });
    assert.equal((await read(client, 'a')).empty, true);
    await client.get('/set', { query: { b: '2' } });
    assert.notEqual(sessionKey(client), key);
    assert.deepEqual((await read(client, 'a', 'b')).values, { a: null, b: '2' });
  });

  it('regenerate() keeps the data under a new key and deletes the old row', async () => {
    const client = new TestClient(sessionApp());
    await client.get('/set', { query: { cart: '3' } });
    const oldKey = sessionKey(client);
    assert.ok(setCookieLine(await client.get('/regenerate')));
    const newKey = sessionKey(client);
    assert.notEqual(newKey, oldKey);
    assert.equal(await row(oldKey), null);
    assert.ok(await row(newKey));
    const body = await read(client, 'cart');
    assert.equal(body.id, newKey);
    assert.deepEqual(body.values, { cart: '3' });
    client.cookies.set('sessionid', oldKey);
    assert.equal((await read(client, 'cart')).empty, true, 'the old key is dead');
  });

  it('flush() deletes the row and the cookie', async () => {
    const client = new TestClient(sessionApp());
    await client.get('/set', { query: { user: '7' } });
    const key = sessionKey(client);
    assert.match(setCookieLine(await client.get('/flush')) ?? '', /^sessionid=; .*Max-Age=0/);
    assert.equal(client.cookies.get('sessionid'), undefined);
    assert.equal(await row(key), null);
    client.cookies.set('sessionid', key);
    assert.equal((await read(client, 'user')).empty, true);
  });

  it('stores the expiry a session sets, and caps a browser session at maxAge', async () => {
    const client = new TestClient(sessionApp({ maxAge: 600 }));
    await client.get('/set', { query: { a: '1' } });
    const key = sessionKey(client);
    assert.match(setCookieLine(await client.get('/expiry/60')) ?? '', /; Max-Age=60;/);
    let stored = await row(key);
    assert.ok(stored);
    assert.ok(secondsFromNow(stored.expiresAt) <= 60);
    assert.deepEqual(JSON.parse(stored.data), { data: { a: '1' }, expiry: 60 });
    assert.doesNotMatch(setCookieLine(await client.get('/expiry/0')) ?? '', /Max-Age/);
    stored = await row(key);
    assert.ok(stored);
    const left = secondsFromNow(stored.expiresAt);
    assert.ok(left > 590 && left <= 600, `expires in ${left}s`);
  });

  it('saveEveryRequest pushes the expiry back on every request', async () => {
    const client = new TestClient(sessionApp({ saveEveryRequest: true, maxAge: 600 }));
    await client.get('/set', { query: { a: '1' } });
    const key = sessionKey(client);
    const early = new Date(Date.now() + 100_000);
    await SessionModel.objects.filter({ key }).update({ expiresAt: early });
    assert.ok(setCookieLine(await client.get('/untouched')));
    const stored = await row(key);
    assert.ok(stored);
    assert.ok(stored.expiresAt.getTime() > early.getTime() + 400_000);
  });

  it('does not save a session changed by a request that failed', async () => {
    const client = new TestClient(sessionApp());
    const before = await SessionModel.objects.count();
    assert.equal((await client.get('/fail')).status, 500);
    assert.equal(await SessionModel.objects.count(), before);
  });

  it('does not bring back a row deleted while a request was running', async () => {
    const client = new TestClient(sessionApp());
    await client.get('/set', { query: { user: '1' } });
    const key = sessionKey(client);
    const store = databaseSessions();
    const loaded = await store.load(key);
    assert.ok(loaded);
    await store.delete(key);
    await store.save(key, { data: { user: '1', more: 2 } }, 60);
    assert.equal(await row(key), null);
    assert.equal(await store.exists(key), false);
  });

  it('keeps concurrent visitors apart', async () => {
    const clients = Array.from({ length: 12 }, () => new TestClient(sessionApp()));
    await Promise.all(clients.map((client, i) => client.get('/set', { query: { me: String(i) } })));
    const keys = new Set(clients.map(sessionKey));
    assert.equal(keys.size, clients.length);
    const bodies = await Promise.all(clients.map((client) => read(client, 'me')));
    assert.deepEqual(
      bodies.map((body) => body.values.me),
      clients.map((_, i) => String(i)),
    );
    await Promise.all(
      clients.map((client, i) => client.get('/set', { query: { again: String(i * 10) } })),
    );
    const again = await Promise.all(clients.map((client) => read(client, 'me', 'again')));
    assert.deepEqual(
      again.map((body) => body.values),
      clients.map((_, i) => ({ me: String(i), again: String(i * 10) })),
    );
  });

  it('implements the store contract', async () => {
    const store = databaseSessions();
    const id = await store.create({ data: { a: 1 } }, 60);
    assert.equal(await store.exists(id), true);
    assert.deepEqual(await store.load(id), { data: { a: 1 }, expiry: undefined });
    await store.save(id, { data: { a: 2 }, expiry: 30 }, 30);
    assert.deepEqual(await store.load(id), { data: { a: 2 }, expiry: 30 });
    await store.delete(id);
    assert.equal(await store.exists(id), false);
    assert.equal(await store.load(id), undefined);
    const corrupt = await store.create({ data: {} }, 60);
    await SessionModel.objects.filter({ key: corrupt }).update({ data: '{not json' });
    assert.equal(await store.load(corrupt), undefined);
  });
});
