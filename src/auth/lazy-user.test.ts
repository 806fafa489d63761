// auth({ lazyUser: true }): a logged-in request that never asks for its user costs no query;
// asking (getUser, a guard, a template) loads it once, and req.user before that says what to do.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { CarafeError } from '../index.js';
import { TestClient } from '../testing/index.js';
import { captureQueries } from '../testing/queries.js';
import { auth, getUser, loginRequired } from './index.js';
import { makeUser, migrateAuth, testApp } from './test-support/app.js';

function lazyApp() {
  const app = testApp({ auth: { lazyUser: true }, cookieSessions: true });
  app.get('/ping', () => 'pong', { name: 'ping' });
  app.get(
    '/whoami',
    async (req) => {
      const user = await getUser(req);
      return { username: user.isAuthenticated ? user.username : null, again: req.user.username };
    },
    { name: 'whoami' },
  );
  app.get('/guarded', (req) => ({ username: req.user.username }), {
    name: 'guarded',
    middleware: [loginRequired()],
  });
  return app;
}

/** The statements that ran against the users table while `fn` ran. */
async function userQueries(fn: () => Promise<unknown>): Promise<number> {
  const queries = await captureQueries(fn);
  return queries.filter((query) => query.sql.includes('auth_user')).length;
}

forEachDatabase('the user read on demand', () => {
  before(async () => {
    await migrateAuth();
    await makeUser('lazy');
  });

  it('costs no query for a logged-in request that never asks for the user', async () => {
    const client = new TestClient(lazyApp());
    assert.equal((await client.post('/as/lazy')).status, 200);
    let res: Awaited<ReturnType<TestClient['get']>> | undefined;
    assert.equal(
      await userQueries(async () => {
        res = await client.get('/ping');
      }),
      0,
    );
    assert.equal(res?.text, 'pong');
  });

  it('loads the user once when asked, after which req.user reads it', async () => {
    const client = new TestClient(lazyApp());
    await client.post('/as/lazy');
    let res: Awaited<ReturnType<TestClient['get']>> | undefined;
    assert.equal(
      await userQueries(async () => {
        res = await client.get('/whoami');
      }),
      1,
    );
    assert.deepEqual(res?.json(), { username: 'lazy', again: 'lazy' });
    assert.deepEqual((await client.get('/guarded')).json(), { username: 'lazy' });
    const anonymous = new TestClient(lazyApp());
    assert.deepEqual((await anonymous.get('/whoami')).json(), { username: null, again: '' });
    assert.equal((await anonymous.get('/guarded')).status, 302);
  });

  it('says how to load the user when req.user is read first', async () => {
    const app = lazyApp();
    let thrown: unknown;
    app.get(
      '/early',
      (req) => {
        try {
          return { username: req.user.username };
        } catch (error) {
          thrown = error;
          return { username: null };
        }
      },
      { name: 'early' },
    );
    const client = new TestClient(app);
    await client.post('/as/lazy');
    await client.get('/early');
    assert.ok(thrown instanceof CarafeError);
    assert.equal(thrown.code, 'CARAFE_AUTH_USER_NOT_LOADED');
    assert.match(thrown.message, /await getUser\(req\)/);
  });

  it('keeps the default: the user ready in every handler', async () => {
    const client = new TestClient(testApp({ cookieSessions: true }));
    await client.post('/as/lazy');
    assert.deepEqual((await client.get('/me')).json(), {
      authenticated: true,
      username: 'lazy',
      visits: null,
    });
  });

  it('refuses a lazyUser that is not a boolean', () => {
    assert.throws(
      // @ts-expect-error: lazyUser is a boolean
      () => auth({ lazyUser: 'yes' }),
      (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_AUTH_OPTION',
    );
  });
});
