import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { Blueprint } from '../index.js';
import { csrfToken, security } from '../security/index.js';
import { TestClient } from '../testing/index.js';
import {
  authenticateToken,
  createToken,
  loginRequired,
  requestToken,
  revokeToken,
  Token,
  tokenAuth,
  User,
} from './index.js';
import { makeUser, migrateAuth, testApp } from './test-support/app.js';

function apiApp() {
  const app = testApp({ apps: [security()] });
  const api = new Blueprint('api', { prefix: '/api', middleware: [tokenAuth()] });
  api.get(
    '/me',
    (req) => ({
      username: req.user.isAuthenticated ? req.user.username : null,
      token: requestToken(req)?.name ?? null,
    }),
    { name: 'me' },
  );
  api.post('/items', (req) => ({ by: req.user.username }), {
    name: 'items',
    middleware: [loginRequired()],
  });
  app.register(api);
  app.get('/csrf', (req) => ({ token: csrfToken(req) }), { name: 'csrf' });
  return app;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

forEachDatabase('API tokens', () => {
  before(async () => {
    await migrateAuth();
    await makeUser('ada');
    await makeUser('sleeper', { isActive: false });
  });

  it('gives the plain token once and stores only a hash of its secret', async () => {
    const ada = await User.objects.get({ username: 'ada' });
    const { token, key } = await createToken(ada, { name: 'deploy' });
    assert.match(key, /^cft_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const stored = await Token.objects.get({ id: token.id });
    assert.equal(stored.name, 'deploy');
    assert.equal(stored.userId, ada.id);
    assert.equal(key.includes(stored.prefix), true);
    const secret = key.slice(4 + 16 + 1);
    assert.equal(stored.secretHash, createHash('sha256').update(secret).digest('hex'));
    assert.equal(JSON.stringify(stored).includes(secret), false);
    assert.equal(stored.lastUsed, null);
    assert.equal(stored.expires, null);
    await assert.rejects(createToken(new User({ username: 'unsaved', password: '!' })), {
      code: 'CARAFE_AUTH_TOKEN_USER',
    });
    await assert.rejects(createToken(ada, { expiresIn: 0 }), { code: 'CARAFE_AUTH_OPTION' });
  });

  it('logs a request in by a valid token, and records when it was used', async () => {
    const ada = await User.objects.get({ username: 'ada' });
    const { token, key } = await createToken(ada, { name: 'script' });
    const client = new TestClient(apiApp());
    const res = await client.get('/api/me', { headers: bearer(key) });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { username: 'ada', token: 'script' });
    // No session is made for a token.
    assert.equal(client.cookies.get('sessionid'), undefined);
    const used = (await Token.objects.get({ id: token.id })).lastUsed;
    assert.ok(used !== null && Date.now() - used.getTime() < 10_000);

    // At most once a minute.
    const recent = new Date(Date.now() - 30_000);
    await Token.objects.filter({ id: token.id }).update({ lastUsed: recent });
    await client.get('/api/me', { headers: bearer(key) });
    const kept = (await Token.objects.get({ id: token.id })).lastUsed;
    assert.equal(kept?.getTime(), recent.getTime());
    const old = new Date(Date.now() - 120_000);
    await Token.objects.filter({ id: token.id }).update({ lastUsed: old });
    await client.get('/api/me', { headers: bearer(key) });
    const renewed = (await Token.objects.get({ id: token.id })).lastUsed;
    assert.ok(renewed !== null && renewed.getTime() > old.getTime() + 60_000);
  });

  it('refuses wrong, malformed, revoked and expired tokens with a 401', async () => {
    const ada = await User.objects.get({ username: 'ada' });
    const { key } = await createToken(ada);
    const client = new TestClient(apiApp());
    const wrongSecret = `${key.slice(0, -4)}AAAA`;
    const { key: expiring, token: expiringRow } = await createToken(ada, { expiresIn: 3600 });
    const { key: revoked } = await createToken(ada);
    assert.equal(await revokeToken(wrongSecret), false);
    assert.equal(await revokeToken(revoked), true);
    assert.equal(await revokeToken(revoked), false);
    assert.equal((await client.get('/api/me', { headers: bearer(expiring) })).status, 200);
    await Token.objects
      .filter({ id: expiringRow.id })
      .update({ expires: new Date(Date.now() - 1000) });
    for (const value of [wrongSecret, revoked, expiring, 'cft_nope', '', 'a b']) {
      const res = await client.get('/api/me', {
        headers: { authorization: `Bearer ${value}`, accept: 'application/json' },
      });
      assert.equal(res.status, 401, value);
      assert.equal(res.header('www-authenticate'), 'Bearer error="invalid_token"');
      assert.match(res.text, /CARAFE_AUTH_INVALID_TOKEN/);
    }
    // The right one still works, and revoking by row works too.
    assert.equal((await client.get('/api/me', { headers: bearer(key) })).status, 200);
    const row = (await authenticateToken(key))?.token;
    assert.ok(row);
    assert.equal(await revokeToken(row), true);
    assert.equal((await client.get('/api/me', { headers: bearer(key) })).status, 401);
  });

  it('refuses the token of an inactive user', async () => {
    const sleeper = await User.objects.get({ username: 'sleeper' });
    const { key } = await createToken(sleeper);
    assert.equal(await authenticateToken(key), null);
    const res = await new TestClient(apiApp()).get('/api/me', { headers: bearer(key) });
    assert.equal(res.status, 401);
  });

  it('leaves requests without a bearer token to the session', async () => {
    const client = new TestClient(apiApp());
    assert.deepEqual((await client.get('/api/me')).json(), { username: null, token: null });
    const { token } = (await client.get('/csrf')).json<{ token: string }>();
    await client.post('/as/ada', { headers: { 'x-csrftoken': token } });
    assert.deepEqual((await client.get('/api/me')).json(), { username: 'ada', token: null });
    const basic = await client.get('/api/me', { headers: { authorization: 'Basic YTpi' } });
    assert.deepEqual(basic.json(), { username: 'ada', token: null });
  });

  it('skips CSRF checks for bearer requests without cookies only', async () => {
    const ada = await User.objects.get({ username: 'ada' });
    const { key } = await createToken(ada);
    const app = apiApp();
    const script = new TestClient(app);
    const res = await script.post('/api/items', { headers: bearer(key), json: { name: 'x' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { by: 'ada' });
    // A browser with a session cookie stays CSRF-checked, token or not.
    const browser = new TestClient(app);
    await browser.get('/csrf');
    assert.ok(browser.cookies.get('sessionid'));
    assert.equal((await browser.post('/api/items', { headers: bearer(key) })).status, 403);
    assert.equal((await browser.post('/api/items')).status, 403);
    // Without a token, a cookie-less POST is still refused by CSRF, not let through.
    assert.equal((await new TestClient(app).post('/api/items')).status, 403);
  });
});
