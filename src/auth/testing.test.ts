import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { forEachDatabase } from '../../test/support/databases.js';
import { serviceSkip } from '../../test/support/services.js';
import { Carafe, json } from '../index.js';
import { databaseSessions, redisSessions, type SessionStore, sessions } from '../sessions/index.js';
import { TestClient } from '../testing/index.js';
import {
  type AuthOptions,
  auth,
  authenticate,
  forceLogin,
  forceLogout,
  login,
  loginRequired,
  staffRequired,
  User,
  userLoggedIn,
} from './index.js';
import { makeUser, migrateAuth, password, secretKey } from './test-support/app.js';

const redisSkip = await serviceSkip('redis');
const redisPrefix = `carafe-test:force-login:${process.pid}:${Date.now()}:`;

const apps: Carafe[] = [];
after(async () => {
  for (const app of apps) await app.shutdown();
  if (redisSkip !== false) return;
  const redis = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
  const keys = await redis.keys(`${redisPrefix}*`);
  if (keys.length > 0) await redis.del(keys);
  await redis.close();
});

/** sessions on `backend` + auth, guarded routes, a password login, and the session's contents. */
function siteApp(backend: 'cookie' | SessionStore, authOptions?: AuthOptions): Carafe {
  const app = new Carafe({
    secretKey,
    allowedHosts: ['localhost'],
    log: { level: 'silent' },
    apps: [sessions({ backend }), auth(authOptions)],
  });
  apps.push(app);
  const whoami = (req: { user: { isAuthenticated: boolean; username: string } }) => ({
    authenticated: req.user.isAuthenticated,
    username: req.user.username,
  });
  app.get('/me', whoami, { name: 'me' });
  app.get('/private', whoami, { name: 'private', middleware: [loginRequired()] });
  app.get('/staff', whoami, { name: 'staff', middleware: [staffRequired()] });
  app.get(
    '/session',
    (req) => Object.fromEntries(req.session.keys().map((key) => [key, req.session.get(key)])),
    { name: 'session' },
  );
  app.get(
    '/visit',
    (req) => {
      req.session.set('visits', 1);
      return { ok: true };
    },
    { name: 'visit' },
  );
  app.post(
    '/login/',
    async (req) => {
      const user = await authenticate(
        req,
        (await req.json()) as { username: string; password: string },
      );
      if (user === null) return json({ ok: false }, { status: 401 });
      await login(req, user);
      return { ok: true };
    },
    { name: 'login' },
  );
  return app;
}

const backends: { name: string; skip: false | string; backend: () => 'cookie' | SessionStore }[] = [
  { name: 'cookie', skip: false, backend: () => 'cookie' },
  { name: 'database', skip: false, backend: () => databaseSessions() },
  { name: 'redis', skip: redisSkip, backend: () => redisSessions({ prefix: redisPrefix }) },
];

forEachDatabase('forceLogin', () => {
  before(async () => {
    await migrateAuth();
    await makeUser('ada');
    await makeUser('boss', { isStaff: true });
    await makeUser('sleeper', { isActive: false });
  });

  for (const { name, skip, backend } of backends) {
    describe(`with ${name} sessions`, { skip }, () => {
      it('logs in without a password: guarded routes answer and req.user is the user', async () => {
        const app = siteApp(backend());
        const client = new TestClient(app);
        await forceLogin(client, await User.objects.get({ username: 'boss' }));
        assert.deepEqual((await client.get('/private')).json(), {
          authenticated: true,
          username: 'boss',
        });
        const staff = await client.get('/staff');
        assert.equal(staff.status, 200);
        assert.deepEqual(staff.json(), { authenticated: true, username: 'boss' });

        const plain = new TestClient(app);
        await forceLogin(plain, await User.objects.get({ username: 'ada' }));
        assert.equal((await plain.get('/private')).status, 200);
        assert.equal((await plain.get('/staff')).status, 403);
      });

      it('leaves the session a password login leaves, under a new session id', async () => {
        const app = siteApp(backend());
        const real = new TestClient(app);
        assert.equal(
          (await real.post('/login/', { json: { username: 'ada', password } })).status,
          200,
        );

        const forced = new TestClient(app);
        await forced.get('/visit');
        const before = forced.cookies.get('sessionid');
        assert.ok(before !== undefined);
        await forceLogin(forced, await User.objects.get({ username: 'ada' }));
        const afterLogin = forced.cookies.get('sessionid');
        assert.ok(afterLogin !== undefined && afterLogin !== before);

        const realSession = (await real.get('/session')).json<Record<string, unknown>>();
        assert.deepEqual(Object.keys(realSession).sort(), ['_auth_user_hash', '_auth_user_id']);
        // Same user, same keys and values; the anonymous session's data is kept, as login() keeps it.
        assert.deepEqual((await forced.get('/session')).json(), { ...realSession, visits: 1 });

        // The pre-login session id no longer logs anyone in.
        const stale = new TestClient(app);
        stale.cookies.set('sessionid', before);
        assert.deepEqual((await stale.get('/me')).json(), { authenticated: false, username: '' });
      });

      it('forceLogout logs out: the guard sends the client to the login page again', async () => {
        const client = new TestClient(siteApp(backend()));
        await forceLogin(client, await User.objects.get({ username: 'ada' }));
        assert.equal((await client.get('/private')).status, 200);
        const loggedInSession = client.cookies.get('sessionid');
        await forceLogout(client);
        assert.equal(client.cookies.get('sessionid'), undefined);
        const res = await client.get('/private');
        assert.equal(res.status, 302);
        assert.equal(res.location, '/accounts/login/?next=%2Fprivate');
        if (name !== 'cookie') {
          // A server-side session is gone, not only its cookie.
          const replay = new TestClient(siteApp(backend()));
          replay.cookies.set('sessionid', loggedInSession ?? '');
          assert.equal((await replay.get('/private')).status, 302);
        }
      });
    });
  }

  it('keeps the session in Redis like a password login', { skip: redisSkip }, async () => {
    const client = new TestClient(siteApp(redisSessions({ prefix: redisPrefix })));
    await forceLogin(client, await User.objects.get({ username: 'ada' }));
    const id = client.cookies.get('sessionid') ?? '';
    const redis = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
    try {
      const stored = JSON.parse((await redis.get(redisPrefix + id)) ?? 'null') as {
        data: Record<string, unknown>;
      } | null;
      const ada = await User.objects.get({ username: 'ada' });
      assert.equal(stored?.data._auth_user_id, ada.id);
      assert.equal(typeof stored?.data._auth_user_hash, 'string');
    } finally {
      await redis.close();
    }
  });

  it('skips the login throttle, saves lastLogin and sends userLoggedIn', async () => {
    const client = new TestClient(
      siteApp(databaseSessions(), { loginThrottle: { perAccount: 1, perIp: 100 } }),
    );
    await client.post('/login/', { json: { username: 'ada', password: 'wrong' } });
    const locked = await client.post('/login/', { json: { username: 'ada', password } });
    assert.equal(locked.status, 429);

    const seen: string[] = [];
    const stop = userLoggedIn.connect(({ user }) => {
      seen.push(String(user.username));
    });
    const startedAt = Date.now();
    try {
      await forceLogin(client, await User.objects.get({ username: 'ada' }));
    } finally {
      stop();
    }
    assert.deepEqual(seen, ['ada']);
    assert.deepEqual((await client.get('/me')).json(), { authenticated: true, username: 'ada' });
    const lastLogin = (await User.objects.get({ username: 'ada' })).lastLogin;
    assert.ok(lastLogin !== null && lastLogin.getTime() >= startedAt - 1000);
  });

  it('logs an inactive user in, who is anonymous again from the next request on', async () => {
    const client = new TestClient(siteApp('cookie'));
    await forceLogin(client, await User.objects.get({ username: 'sleeper' }));
    assert.ok(client.cookies.get('sessionid') !== undefined);
    assert.deepEqual((await client.get('/me')).json(), { authenticated: false, username: '' });
    assert.equal((await client.get('/private')).status, 302);
  });

  it('gets past a site-wide loginRequired, which guards routes, not the login itself', async () => {
    const app = siteApp('cookie');
    app.use(loginRequired());
    const client = new TestClient(app);
    assert.equal((await client.get('/me')).status, 302);
    await forceLogin(client, await User.objects.get({ username: 'ada' }));
    assert.equal((await client.get('/me')).status, 200);
  });

  it('needs a saved user', async () => {
    const client = new TestClient(siteApp('cookie'));
    await assert.rejects(forceLogin(client, new User({ username: 'ghost', password: '' })), {
      code: 'CARAFE_AUTH_LOGIN',
    });
  });
});

describe('forceLogin without auth', () => {
  it('says auth is not installed', async () => {
    const app = new Carafe({
      secretKey,
      allowedHosts: ['localhost'],
      log: { level: 'silent' },
      apps: [sessions()],
    });
    // A user that was never saved: the check fails before any query.
    await assert.rejects(
      forceLogin(new TestClient(app), new User({ username: 'ghost', password: '' })),
      {
        code: 'CARAFE_AUTH_NOT_INSTALLED',
      },
    );
  });
});
