import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { createTables, f, model } from '../db/index.js';
import { TestClient } from '../testing/index.js';
import { authViews, createUser, minimumLength, User } from './index.js';
import { makeUser, migrateAuth, password } from './test-support/app.js';
import { logIn, viewsApp } from './test-support/views-app.js';

// A project's own user model that logs in by email.
const Member = model('authviews.Member', {
  email: f.email({ unique: true }),
  password: f.string({ max: 128 }),
  isActive: f.boolean({ default: true }),
  isStaff: f.boolean({ default: false }),
  isSuperuser: f.boolean({ default: false }),
  lastLogin: f.datetime({ nullable: true }),
});

async function me(client: TestClient) {
  return (await client.get('/me')).json<{ authenticated: boolean; username: string }>();
}

/** The value of the hidden CSRF input of a page. */
function csrfFrom(html: string): string {
  const match = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
  assert.ok(match, 'the page has a CSRF input');
  return match[1]!;
}

describe('authViews()', () => {
  it('names its routes like Django and mounts them under /accounts/', () => {
    const app = viewsApp();
    const names = app
      .listRoutes()
      .filter((route) => route.name.startsWith('accounts.'))
      .map((route) => `${route.name} ${route.pattern}`);
    assert.deepEqual(names, [
      'accounts.login /accounts/login/',
      'accounts.logout /accounts/logout/',
      'accounts.password_change /accounts/password_change/',
      'accounts.password_change_done /accounts/password_change/done/',
      'accounts.password_reset /accounts/password_reset/',
      'accounts.password_reset_done /accounts/password_reset/done/',
      'accounts.password_reset_confirm /accounts/reset/<uidb64>/<token>/',
      'accounts.password_reset_complete /accounts/reset/done/',
    ]);
  });

  it('checks its options', () => {
    assert.throws(() => authViews({ loginRedirect: 'home' }), { code: 'CARAFE_AUTH_OPTION' });
    assert.throws(() => authViews({ siteUrl: 'https://example.com/path' }), {
      code: 'CARAFE_AUTH_OPTION',
    });
    assert.throws(() => authViews({ passwordResetTimeout: 0 }), { code: 'CARAFE_AUTH_OPTION' });
  });
});

forEachDatabase('the login and logout pages', () => {
  before(async () => {
    await migrateAuth();
    await makeUser('ada');
    await makeUser('sleeper', { isActive: false });
  });

  it('shows the form, and logs in with the right password', async () => {
    const client = new TestClient(viewsApp());
    const form = await client.get('/accounts/login/');
    assert.equal(form.status, 200);
    assert.match(form.text, /<title>Log in<\/title>/);
    assert.match(form.text, /<input type="text" name="username"[^>]*autocomplete="username"/);
    assert.match(form.text, /<input type="password" name="password"/);
    const res = await logIn(client, 'ada', password);
    assert.equal(res.status, 302);
    assert.equal(res.location, '/');
    const who = await me(client);
    assert.deepEqual([who.authenticated, who.username], [true, 'ada']);
  });

  it('refuses a wrong password, an unknown name and an inactive account alike', async () => {
    const client = new TestClient(viewsApp());
    const answers = [
      await logIn(client, 'ada', 'not the password'),
      await logIn(client, 'nobody', password),
      await logIn(client, 'sleeper', password),
    ];
    for (const res of answers) {
      assert.equal(res.status, 400);
      assert.match(res.text, /Wrong username or password\. Both are case-sensitive\./);
    }
    // The name typed stays in the form; the password does not.
    assert.match(answers[0]!.text, /name="username" value="ada"/);
    assert.doesNotMatch(answers[0]!.text, /not the password/);
    assert.equal((await me(client)).authenticated, false);
  });

  it('goes to ?next= after logging in, and keeps it in the form', async () => {
    const client = new TestClient(viewsApp());
    const form = await client.get('/accounts/login/?next=/reports/%3Fyear%3D2024');
    assert.match(form.text, /<input type="hidden" name="next" value="\/reports\/\?year=2024">/);
    const res = await logIn(client, 'ada', password, { next: '/reports/?year=2024' });
    assert.equal(res.location, '/reports/?year=2024');
    // From the query string of the POST too.
    const other = new TestClient(viewsApp());
    const posted = await other.post('/accounts/login/?next=/inbox/', {
      form: { username: 'ada', password },
    });
    assert.equal(posted.location, '/inbox/');
  });

  it('refuses to send the visitor to another site', async () => {
    for (const next of [
      'https://evil.example.com/',
      '//evil.example.com/',
      '/\\evil.example.com',
      'javascript:alert(1)',
      'https://localhost@evil.example.com/',
    ]) {
      const client = new TestClient(viewsApp());
      const form = await client.get('/accounts/login/', { query: { next } });
      assert.match(form.text, /name="next" value=""/, next);
      const res = await logIn(client, 'ada', password, { next });
      assert.equal(res.location, '/', next);
    }
    const client = new TestClient(
      viewsApp({ views: { allowedRedirectHosts: ['shop.example.com'] } }),
    );
    const res = await logIn(client, 'ada', password, { next: 'http://shop.example.com/cart' });
    assert.equal(res.location, 'http://shop.example.com/cart');
    const own = await logIn(new TestClient(viewsApp()), 'ada', password, {
      next: 'http://localhost/inbox/',
    });
    assert.equal(own.location, 'http://localhost/inbox/');
  });

  it('uses loginRedirect, and can send logged-in visitors on', async () => {
    const app = viewsApp({
      views: { loginRedirect: '/welcome/', redirectAuthenticatedUser: true },
    });
    const client = new TestClient(app);
    assert.equal((await logIn(client, 'ada', password)).location, '/welcome/');
    const again = await client.get('/accounts/login/?next=/inbox/');
    assert.equal(again.status, 302);
    assert.equal(again.location, '/inbox/');
  });

  it('works with CSRF protection on', async () => {
    const client = new TestClient(viewsApp({ csrf: true }));
    const page = await client.get('/accounts/login/');
    const token = csrfFrom(page.text);
    const refused = await logIn(client, 'ada', password);
    assert.equal(refused.status, 403);
    const res = await logIn(client, 'ada', password, { csrfmiddlewaretoken: token });
    assert.equal(res.status, 302);
    assert.equal((await me(client)).authenticated, true);
  });

  it('follows the login field of a custom user model', async () => {
    await createTables([Member]);
    await createUser({ email: 'kim@example.com', password }, { model: Member });
    const client = new TestClient(
      viewsApp({ auth: { userModel: Member, usernameField: 'email' } }),
    );
    const form = await client.get('/accounts/login/');
    assert.match(form.text, /<label for="id_username">Email<\/label>/);
    const wrong = await logIn(client, 'kim@example.com', 'nope');
    assert.match(wrong.text, /Wrong email or password\./);
    assert.equal((await logIn(client, 'kim@example.com', password)).status, 302);
  });

  it('renders the project’s own template when it has one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carafe-auth-views-'));
    mkdirSync(join(dir, 'registration'));
    writeFileSync(
      join(dir, 'registration', 'login.html'),
      '<h1>Our login</h1>{{ form.render() | safe }}{{ authUrls.passwordReset }}',
    );
    const client = new TestClient(viewsApp({ templateDirs: [dir] }));
    const res = await client.get('/accounts/login/');
    assert.match(res.text, /^<h1>Our login<\/h1>/);
    assert.match(res.text, /\/accounts\/password_reset\/$/);
  });

  it('logs out on POST only, then shows the logged-out page or redirects', async () => {
    const client = new TestClient(viewsApp());
    await logIn(client, 'ada', password);
    assert.equal((await client.get('/accounts/logout/')).status, 405);
    assert.equal((await me(client)).authenticated, true);
    const res = await client.post('/accounts/logout/');
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Logged out<\/h1>/);
    assert.equal((await me(client)).authenticated, false);

    const redirecting = new TestClient(viewsApp({ views: { logoutRedirect: '/bye/' } }));
    await logIn(redirecting, 'ada', password);
    assert.equal((await redirecting.post('/accounts/logout/')).location, '/bye/');
    await logIn(redirecting, 'ada', password);
    const next = await redirecting.post('/accounts/logout/', { form: { next: '/see-you/' } });
    assert.equal(next.location, '/see-you/');
    await logIn(redirecting, 'ada', password);
    const evil = await redirecting.post('/accounts/logout/?next=https://evil.example.com/');
    assert.equal(evil.location, '/bye/');
  });

  it('shows a clear error on the form once the account is throttled', async () => {
    await makeUser('target');
    const client = new TestClient(viewsApp());
    for (let attempt = 0; attempt < 5; attempt++) {
      assert.equal((await logIn(client, 'target', 'guess')).status, 400);
    }
    const refused = await logIn(client, 'target', password);
    assert.equal(refused.status, 429);
    assert.match(
      refused.text,
      /Too many failed login attempts\. Wait up to 15 minutes and try again\./,
    );
    assert.equal((await me(client)).authenticated, false);
  });
});

forEachDatabase('the password change pages', () => {
  before(migrateAuth);

  it('asks anonymous visitors to log in first', async () => {
    const client = new TestClient(viewsApp());
    const res = await client.get('/accounts/password_change/');
    assert.equal(res.status, 302);
    assert.equal(res.location, '/accounts/login/?next=%2Faccounts%2Fpassword_change%2F');
    assert.equal((await client.get('/accounts/password_change/done/')).status, 302);
  });

  it('refuses a wrong old password, different entries and weak passwords', async () => {
    await makeUser('grace');
    const client = new TestClient(viewsApp());
    await logIn(client, 'grace', password);
    const page = await client.get('/accounts/password_change/');
    assert.equal(page.status, 200);
    assert.match(page.text, /Your password must contain at least 8 characters\./);
    const change = (oldPassword: string, newPassword1: string, newPassword2 = newPassword1) =>
      client.post('/accounts/password_change/', {
        form: { oldPassword, newPassword1, newPassword2 },
      });
    const wrongOld = await change('wrong', 'a fine new passphrase');
    assert.equal(wrongOld.status, 400);
    assert.match(wrongOld.text, /Your old password is not right\./);
    const differ = await change(password, 'a fine new passphrase', 'another passphrase');
    assert.match(differ.text, /The two new passwords differ\./);
    const weak = await change(password, '1234');
    assert.equal(weak.status, 400);
    assert.match(weak.text, /This password is too short/);
    assert.match(weak.text, /This password is entirely numeric\./);
    assert.match(weak.text, /This password is too common\./);
    const grace = await User.objects.get({ username: 'grace' });
    assert.equal(
      await (await import('./index.js')).asAuthUser(grace).checkPassword(password),
      true,
    );
  });

  it('changes the password, keeps this session and ends the others', async () => {
    await makeUser('linus');
    const app = viewsApp();
    const here = new TestClient(app);
    const elsewhere = new TestClient(app);
    await logIn(here, 'linus', password);
    await logIn(elsewhere, 'linus', password);
    const res = await here.post('/accounts/password_change/', {
      form: {
        oldPassword: password,
        newPassword1: 'penguins like cold weather',
        newPassword2: 'penguins like cold weather',
      },
    });
    assert.equal(res.status, 302);
    assert.equal(res.location, '/accounts/password_change/done/');
    const done = await here.get('/accounts/password_change/done/');
    assert.match(done.text, /Password change successful/);
    assert.equal((await me(here)).authenticated, true);
    assert.equal((await me(elsewhere)).authenticated, false);
    const fresh = new TestClient(app);
    assert.equal((await logIn(fresh, 'linus', password)).status, 400);
    assert.equal((await logIn(fresh, 'linus', 'penguins like cold weather')).status, 302);
  });

  it('applies the validators it is given', async () => {
    await makeUser('ken');
    const client = new TestClient(viewsApp({ views: { passwordValidators: [minimumLength(30)] } }));
    await logIn(client, 'ken', password);
    const res = await client.post('/accounts/password_change/', {
      form: {
        oldPassword: password,
        newPassword1: 'long enough for Django',
        newPassword2: 'long enough for Django',
      },
    });
    assert.equal(res.status, 400);
    assert.match(res.text, /at least 30 characters/);
  });
});
