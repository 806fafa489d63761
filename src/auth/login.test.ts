import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { csrfToken, security } from '../security/index.js';
import { SessionModel } from '../sessions/index.js';
import { TestClient } from '../testing/index.js';
import {
  getUser,
  User,
  updateSessionAuthHash,
  userLoggedIn,
  userLoggedOut,
  userLoginFailed,
} from './index.js';
import { makeUser, migrateAuth, password, secretKey, testApp } from './test-support/app.js';

const djangoHash =
  'pbkdf2_sha256$260000$W7oGWR5qMkQ2lZeJzDbb6p$8xfXtCr04Szfd4SDP9vGEfdGR/e39hY3C74JJsBinLI=';

function changePasswordApp(keepSession: boolean) {
  const app = testApp();
  app.post(
    '/password/',
    async (req) => {
      if (!req.user.isAuthenticated) return { ok: false };
      const { newPassword } = (await req.json()) as { newPassword: string };
      await req.user.setPassword(newPassword);
      await req.user.save();
      if (keepSession) updateSessionAuthHash(req, req.user);
      return { ok: true };
    },
    { name: 'password' },
  );
  return app;
}

async function me(client: TestClient) {
  return (await client.get('/me')).json<{
    authenticated: boolean;
    username: string;
    visits: number | null;
  }>();
}

forEachDatabase('logging in and out', (ctx) => {
  before(async () => {
    await migrateAuth();
    await makeUser('ada');
    await makeUser('sleeper', { isActive: false });
    await User.objects.create({ username: 'grace', password: djangoHash });
  });

  it('authenticates the right password only, and reports failures', async () => {
    const failures: string[] = [];
    const stop = userLoginFailed.connect(({ username }) => {
      failures.push(username);
    });
    try {
      const client = new TestClient(testApp());
      const post = (username: string, pass: string) =>
        client.post('/login/', { json: { username, password: pass } });
      assert.equal((await post('ada', 'not it')).status, 401);
      assert.equal((await post('nobody', password)).status, 401);
      assert.equal((await post('sleeper', password)).status, 401);
      assert.equal((await post('ADA', password)).status, 401);
      assert.deepEqual(failures, ['ada', 'nobody', 'sleeper', 'ADA']);
      assert.equal((await me(client)).authenticated, false);
      assert.equal((await post('ada', password)).status, 200);
      assert.deepEqual(await me(client), { authenticated: true, username: 'ada', visits: null });
    } finally {
      stop();
    }
  });

  it('gives the session a new id at login, keeping its data (no session fixation)', async () => {
    const client = new TestClient(testApp());
    await client.get('/visit');
    const before = client.cookies.get('sessionid');
    assert.ok(before);
    assert.equal(await SessionModel.objects.filter({ key: before }).count(), 1);
    await client.post('/as/ada');
    const afterLogin = client.cookies.get('sessionid');
    assert.ok(afterLogin);
    assert.notEqual(afterLogin, before);
    assert.equal(await SessionModel.objects.filter({ key: before }).count(), 0);
    assert.deepEqual(await me(client), { authenticated: true, username: 'ada', visits: 1 });
  });

  it('empties a session that belonged to someone else before logging the new user in', async () => {
    const client = new TestClient(testApp());
    await client.post('/as/ada');
    await client.get('/visit');
    await client.post('/as/grace');
    assert.deepEqual(await me(client), { authenticated: true, username: 'grace', visits: null });
  });

  it('gives the visitor a new CSRF secret at login when security() is listed', async () => {
    const app = testApp({ apps: [security()] });
    app.get('/token', (req) => ({ token: csrfToken(req) }), { name: 'token' });
    app.post('/echo', () => ({ ok: true }), { name: 'echo' });
    const client = new TestClient(app);
    const token = async () => (await client.get('/token')).json<{ token: string }>().token;
    const before = await token();
    const post = (path: string, value: string) =>
      client.post(path, { headers: { 'x-csrftoken': value } });
    assert.equal((await post('/echo', before)).status, 200);
    assert.equal((await post('/as/ada', before)).status, 200);
    assert.equal((await post('/echo', before)).status, 403);
    assert.equal((await post('/echo', await token())).status, 200);
  });

  it('works the same with sessions in signed cookies', async () => {
    const client = new TestClient(testApp({ cookieSessions: true }));
    await client.get('/visit');
    const before = client.cookies.get('sessionid');
    await client.post('/as/ada');
    assert.notEqual(client.cookies.get('sessionid'), before);
    assert.deepEqual(await me(client), { authenticated: true, username: 'ada', visits: 1 });
    await client.post('/logout/');
    assert.equal(client.cookies.get('sessionid'), undefined);
    assert.equal((await me(client)).authenticated, false);
  });

  it('records lastLogin and sends userLoggedIn', async () => {
    const seen: string[] = [];
    const stop = userLoggedIn.connect(({ user }) => {
      seen.push(user.username);
    });
    try {
      const startedAt = Date.now() - 1000;
      await new TestClient(testApp()).post('/as/ada');
      const ada = await User.objects.get({ username: 'ada' });
      assert.ok(ada.lastLogin !== null && ada.lastLogin.getTime() >= startedAt);
      assert.deepEqual(seen, ['ada']);
    } finally {
      stop();
    }
  });

  it('accepts a Django pbkdf2_sha256 hash and replaces it with scrypt at login', async () => {
    const client = new TestClient(testApp());
    const res = await client.post('/login/', { json: { username: 'grace', password } });
    assert.equal(res.status, 200);
    const grace = await User.objects.get({ username: 'grace' });
    assert.match(grace.password, /^scrypt\$32768\$8\$3\$/);
    // The new hash still works, and the session made at login survives the upgrade.
    assert.equal((await me(client)).authenticated, true);
    const again = new TestClient(testApp());
    assert.equal(
      (await again.post('/login/', { json: { username: 'grace', password } })).status,
      200,
    );
  });

  it('logs out: the session is flushed and its row deleted', async () => {
    const seen: (string | null)[] = [];
    const stop = userLoggedOut.connect(({ user }) => {
      seen.push(user === null ? null : user.username);
    });
    try {
      const client = new TestClient(testApp());
      await client.post('/as/ada');
      const id = client.cookies.get('sessionid');
      assert.ok(id);
      await client.post('/logout/');
      assert.equal(client.cookies.get('sessionid'), undefined);
      assert.equal(await SessionModel.objects.filter({ key: id }).count(), 0);
      assert.deepEqual(await me(client), { authenticated: false, username: '', visits: null });
      await client.post('/logout/');
      assert.deepEqual(seen, ['ada', null]);
    } finally {
      stop();
    }
  });

  it('ends the other sessions when the password changes, keeping the one that changed it', async () => {
    await makeUser('linus');
    const app = changePasswordApp(true);
    const here = new TestClient(app);
    const elsewhere = new TestClient(app);
    await here.post('/as/linus');
    await elsewhere.post('/as/linus');
    assert.equal((await me(elsewhere)).authenticated, true);
    const changed = await here.post('/password/', { json: { newPassword: 'a new and long one' } });
    assert.deepEqual(changed.json(), { ok: true });
    assert.equal((await me(here)).authenticated, true);
    assert.equal((await me(elsewhere)).authenticated, false);
  });

  it('without updateSessionAuthHash, the session that changed the password ends too', async () => {
    await makeUser('ken');
    const client = new TestClient(changePasswordApp(false));
    await client.post('/as/ken');
    await client.post('/password/', { json: { newPassword: 'another long one' } });
    assert.equal((await me(client)).authenticated, false);
  });

  it('is anonymous when the user was deleted or deactivated', async () => {
    const temp = await makeUser('temp');
    const client = new TestClient(testApp());
    await client.post('/as/temp');
    temp.isActive = false;
    await temp.save();
    assert.equal((await me(client)).authenticated, false);
    await temp.delete();
    assert.equal((await me(client)).authenticated, false);
  });

  it('starts afresh when the session names a key of another type (a swapped user model)', async () => {
    const app = testApp();
    app.get(
      '/plant',
      (req) => {
        req.session.set('_auth_user_id', 'not-a-number');
        req.session.set('_auth_user_hash', 'x');
        return { ok: true };
      },
      { name: 'plant' },
    );
    const client = new TestClient(app);
    await client.get('/plant');
    const res = await client.get('/me');
    assert.equal(res.status, 200);
    assert.equal(res.json<{ authenticated: boolean }>().authenticated, false);
  });

  it('keeps sessions logged in across a secret key rotation', async () => {
    const client = new TestClient(testApp());
    await client.post('/as/ada');
    const newKey = 'n'.repeat(48);
    const rotated = testApp({ config: { secretKey: newKey, secretKeyFallbacks: [secretKey] } });
    const next = new TestClient(rotated);
    next.cookies.set('sessionid', client.cookies.get('sessionid')!);
    assert.equal((await me(next)).authenticated, true);
    // The hash was signed again with the new key: the old one is no longer needed.
    const dropped = new TestClient(testApp({ config: { secretKey: newKey } }));
    dropped.cookies.set('sessionid', next.cookies.get('sessionid')!);
    assert.equal((await me(dropped)).authenticated, true);
    const unknownKey = new TestClient(testApp({ config: { secretKey: 'u'.repeat(48) } }));
    unknownKey.cookies.set('sessionid', next.cookies.get('sessionid')!);
    assert.equal((await me(unknownKey)).authenticated, false);
  });

  it('does not load the user for static files unless asked', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'carafe-auth-static-'));
    writeFileSync(join(folder, 'site.css'), 'body {}');
    const app = testApp({ config: { static: folder } });
    const seen: string[] = [];
    app.use(async (req, next) => {
      if (req.path.endsWith('.css')) {
        assert.throws(() => req.user, { code: 'CARAFE_AUTH_USER_NOT_LOADED' });
        if (req.query.has('load')) seen.push((await getUser(req)).username);
      }
      return next();
    });
    const client = new TestClient(app);
    await client.post('/as/ada');
    const queries: string[] = [];
    const stop = ctx.database.onQuery((event) => {
      queries.push(event.sql);
    });
    try {
      assert.equal((await client.get('/static/site.css')).status, 200);
      assert.equal(queries.filter((sql) => sql.includes('auth_user')).length, 0);
      assert.equal((await client.get('/static/site.css?load=1')).status, 200);
      assert.deepEqual(seen, ['ada']);
      // Pages do load it: one query for the user.
      queries.length = 0;
      await me(client);
      assert.equal(queries.filter((sql) => sql.includes('auth_user')).length, 1);
    } finally {
      stop();
    }
  });
});
