import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { f, model } from '../db/index.js';
import { Blueprint, type Carafe, defineApp } from '../index.js';
import { TestClient } from '../testing/index.js';
import {
  type AuthOptions,
  createPermissions,
  loginNotRequired,
  loginRequired,
  Permission,
  permissionRequired,
  staffRequired,
} from './index.js';
import { makeUser, migrateAuth, testApp } from './test-support/app.js';

const Report = model('authguard.Report', { title: f.string({ max: 100 }) });
const reports = defineApp({ name: 'authguard', models: [Report] });

const ok = () => ({ ok: true });

function guardedApp(auth?: AuthOptions): Carafe {
  const app = testApp({ auth });
  app.get('/private', ok, { name: 'private', middleware: [loginRequired()] });
  app.get('/edit', ok, {
    name: 'edit',
    middleware: [permissionRequired('authguard.change_report')],
  });
  app.get('/staff', ok, { name: 'staff', middleware: [staffRequired()] });
  app.get('/elsewhere', ok, {
    name: 'elsewhere',
    middleware: [
      loginRequired({ loginUrl: 'https://sso.example.com/login', redirectField: 'return' }),
    ],
  });

  const account = new Blueprint('account', { prefix: '/account', middleware: [loginRequired()] });
  account.get('/', ok, { name: 'home' });
  account.get('/signup/', ok, { name: 'signup', middleware: [loginNotRequired] });
  const open = new Blueprint('open', { prefix: '/open', middleware: [loginNotRequired] });
  open.get('/', ok, { name: 'index' });
  // A guard inside a public blueprint still applies.
  const inner = new Blueprint('inner', { prefix: '/inner', middleware: [staffRequired()] });
  inner.get('/', ok, { name: 'index' });
  open.register(inner);
  account.register(open);
  app.register(account);
  return app;
}

describe('permissionRequired', () => {
  it("refuses names that are not 'app.codename'", () => {
    assert.throws(() => permissionRequired('change_report'), {
      code: 'CARAFE_AUTH_PERMISSION_NAME',
    });
    assert.throws(() => permissionRequired([]), { code: 'CARAFE_AUTH_PERMISSION_NAME' });
  });
});

forEachDatabase('guards', () => {
  before(async () => {
    await migrateAuth();
    await createPermissions({ apps: [reports] });
    await makeUser('plain');
    await makeUser('boss', { isStaff: true });
    const editor = await makeUser('editor');
    await editor
      .related('userPermissions')
      .add(await Permission.objects.get({ codename: 'change_report' }));
  });

  it('sends anonymous visitors to the login page with ?next=, and JSON clients a 401', async () => {
    const client = new TestClient(guardedApp());
    for (const path of ['/private?tab=2', '/edit', '/staff', '/account/']) {
      const res = await client.get(path);
      assert.equal(res.status, 302, path);
      assert.equal(res.location, `/accounts/login/?next=${encodeURIComponent(path)}`);
    }
    const api = await client.get('/private', { headers: { accept: 'application/json' } });
    assert.equal(api.status, 401);
    assert.deepEqual(api.json(), {
      error: 'Log in to see this.',
      status: 401,
      code: 'CARAFE_AUTH_LOGIN_REQUIRED',
    });
    const preferred = await client.get('/staff', {
      headers: { accept: 'application/json, text/html;q=0.9' },
    });
    assert.equal(preferred.status, 401);
    const browser = await client.get('/staff', {
      headers: { accept: 'text/html, application/json;q=0.9' },
    });
    assert.equal(browser.status, 302);
  });

  it('lets logged-in users through loginRequired', async () => {
    const client = new TestClient(guardedApp());
    await client.post('/as/plain');
    assert.equal((await client.get('/private')).status, 200);
    assert.equal((await client.get('/account/')).status, 200);
  });

  it('answers 403 to logged-in users without the permission or staff status', async () => {
    const plain = new TestClient(guardedApp());
    await plain.post('/as/plain');
    const denied = await plain.get('/edit');
    assert.equal(denied.status, 403);
    assert.equal(
      (await plain.get('/edit', { headers: { accept: 'application/json' } })).json<{
        code: string;
      }>().code,
      'CARAFE_AUTH_PERMISSION_DENIED',
    );
    assert.equal((await plain.get('/staff')).status, 403);

    const editor = new TestClient(guardedApp());
    await editor.post('/as/editor');
    assert.equal((await editor.get('/edit')).status, 200);
    assert.equal((await editor.get('/staff')).status, 403);

    const boss = new TestClient(guardedApp());
    await boss.post('/as/boss');
    assert.equal((await boss.get('/staff')).status, 200);
    assert.equal((await boss.get('/edit')).status, 403);
  });

  it('guards a whole blueprint, except routes and blueprints marked loginNotRequired', async () => {
    const client = new TestClient(guardedApp());
    assert.equal((await client.get('/account/')).status, 302);
    assert.equal((await client.get('/account/signup/')).status, 200);
    assert.equal((await client.get('/account/open/')).status, 200);
    // The marker on `open` does not undo the guard of `inner`, inside it.
    assert.equal((await client.get('/account/open/inner/')).status, 302);
    await client.post('/as/plain');
    assert.equal((await client.get('/account/open/inner/')).status, 403);
  });

  it('takes the login page from auth({ loginUrl }), as a route name too, or from the guard', async () => {
    const byName = new TestClient(
      guardedApp({ loginUrl: 'account.signup', redirectField: 'then' }),
    );
    assert.equal((await byName.get('/private')).location, '/account/signup/?then=%2Fprivate');
    const client = new TestClient(guardedApp());
    assert.equal(
      (await client.get('/elsewhere?a=1')).location,
      `https://sso.example.com/login?return=${encodeURIComponent('http://localhost/elsewhere?a=1')}`,
    );
  });

  it('guards a whole site from app middleware, leaving 404s alone', async () => {
    const app = testApp();
    app.use(loginRequired());
    app.get('/', ok, { name: 'home' });
    app.get('/accounts/login/', ok, { name: 'loginPage', middleware: [loginNotRequired] });
    const client = new TestClient(app);
    assert.equal((await client.get('/')).status, 302);
    assert.equal((await client.get('/accounts/login/')).status, 200);
    assert.equal((await client.get('/missing')).status, 404);
  });

  it('fails loudly when the login page itself is guarded', async () => {
    const app = testApp({ config: { debug: true } });
    app.use(loginRequired());
    app.get('/accounts/login/', ok, { name: 'loginPage' });
    const res = await new TestClient(app).get('/accounts/login/', {
      headers: { accept: 'application/json' },
    });
    assert.equal(res.status, 401);
    const page = await new TestClient(app).get('/accounts/login/');
    assert.equal(page.status, 500);
    assert.match(page.text, /CARAFE_AUTH_LOGIN_LOOP/);
  });
});
