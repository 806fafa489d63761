import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { outbox } from '../mail/index.js';
import { TestClient } from '../testing/index.js';
import { asAuthUser, PasswordResetTokenGenerator, User } from './index.js';
import { makeUser, migrateAuth, password } from './test-support/app.js';
import { logIn, viewsApp } from './test-support/views-app.js';

const newPassword = 'a brand new passphrase';

/** The reset link of the last email, as a path. */
function linkInMail(): string {
  const text = outbox.at(-1)?.text ?? '';
  const match = /http:\/\/localhost(\/accounts\/reset\/[^\s]+\/)/.exec(text);
  assert.ok(match, `a reset link in: ${text}`);
  return match[1]!;
}

async function askForReset(client: TestClient, email: string) {
  return client.post('/accounts/password_reset/', { form: { email } });
}

async function setNewPassword(client: TestClient, link: string, value = newPassword) {
  const moved = await client.get(link);
  assert.equal(moved.status, 302, 'the link moves the token into the session');
  const setPage = moved.location!;
  return {
    setPage,
    res: await client.post(setPage, { form: { newPassword1: value, newPassword2: value } }),
  };
}

describe('PasswordResetTokenGenerator', () => {
  it('checks its timeout', () => {
    assert.throws(() => new PasswordResetTokenGenerator({ timeout: -1 }), {
      code: 'CARAFE_AUTH_OPTION',
    });
    assert.equal(new PasswordResetTokenGenerator().timeout, 3 * 24 * 60 * 60);
  });
});

forEachDatabase('password reset by email', () => {
  before(async () => {
    await migrateAuth();
  });
  beforeEach(() => {
    outbox.length = 0;
  });

  it('answers the same for unknown addresses, and sends nothing', async () => {
    await User.objects.create({ username: 'ghost', email: 'ghost@example.com', password: '!' });
    await makeUser('dormant', { isActive: false });
    await User.objects.filter({ username: 'dormant' }).update({ email: 'dormant@example.com' });
    const client = new TestClient(viewsApp());
    const form = await client.get('/accounts/password_reset/');
    assert.match(form.text, /<input type="email" name="email"/);
    for (const email of ['nobody@example.com', 'ghost@example.com', 'dormant@example.com']) {
      const res = await askForReset(client, email);
      assert.equal(res.status, 302, email);
      assert.equal(res.location, '/accounts/password_reset/done/');
    }
    assert.equal(outbox.length, 0);
    const done = await client.get('/accounts/password_reset/done/');
    assert.match(done.text, /If an account uses the address you entered/);
    const bad = await askForReset(client, 'not an address');
    assert.equal(bad.status, 400);
  });

  it('resets the password end to end, with a link that works once', async () => {
    await makeUser('ada');
    await User.objects.filter({ username: 'ada' }).update({ email: 'ada@example.com' });
    const app = viewsApp({ views: { siteName: 'Polls' } });
    const client = new TestClient(app);
    const res = await askForReset(client, 'ADA@example.com');
    assert.equal(res.location, '/accounts/password_reset/done/');
    assert.equal(outbox.length, 1);
    const message = outbox[0]!;
    assert.deepEqual(message.to, ['ada@example.com']);
    assert.equal(message.from, 'Site <site@example.com>');
    assert.equal(message.subject, 'Password reset on Polls');
    assert.match(message.text, /Your username is ada\./);
    const link = linkInMail();

    const { setPage, res: saved } = await setNewPassword(client, link);
    // The token is in the session now, not in the address (nor in any Referer).
    assert.equal(setPage, link.replace(/\/[^/]+\/$/, '/set-password/'));
    assert.equal(saved.status, 302);
    assert.equal(saved.location, '/accounts/reset/done/');
    assert.match((await client.get('/accounts/reset/done/')).text, /Your new password is set/);
    assert.equal((await client.get('/me')).json<{ authenticated: boolean }>().authenticated, false);

    const fresh = new TestClient(app);
    assert.equal((await logIn(fresh, 'ada', password)).status, 400);
    assert.equal((await logIn(fresh, 'ada', newPassword)).status, 302);

    // Used once: the password hash changed, so the same link is refused.
    const again = await new TestClient(app).get(link);
    assert.equal(again.status, 200);
    assert.match(again.text, /Password reset unsuccessful/);
    assert.match(again.text, /it has been used already, or it has expired/);
  });

  it('shows the form, and refuses weak or different passwords', async () => {
    await makeUser('grace');
    await User.objects.filter({ username: 'grace' }).update({ email: 'grace@example.com' });
    const client = new TestClient(viewsApp());
    await askForReset(client, 'grace@example.com');
    const moved = await client.get(linkInMail());
    const setPage = moved.location!;
    const page = await client.get(setPage);
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>Enter new password<\/h1>/);
    const weak = await client.post(setPage, {
      form: { newPassword1: 'grace', newPassword2: 'grace' },
    });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /too short/);
    assert.match(weak.text, /too similar to the username/);
    const differ = await client.post(setPage, {
      form: { newPassword1: newPassword, newPassword2: 'something else entirely' },
    });
    assert.match(differ.text, /The two new passwords differ\./);
    // Still valid after the failed tries.
    const ok = await client.post(setPage, {
      form: { newPassword1: newPassword, newPassword2: newPassword },
    });
    assert.equal(ok.location, '/accounts/reset/done/');
  });

  it('expires after the timeout', async () => {
    await makeUser('linus');
    await User.objects.filter({ username: 'linus' }).update({ email: 'linus@example.com' });
    let now = Date.UTC(2030, 0, 1);
    const tokenGenerator = new PasswordResetTokenGenerator({ now: () => now });
    const app = viewsApp({ views: { tokenGenerator } });
    await askForReset(new TestClient(app), 'linus@example.com');
    const link = linkInMail();
    now += 3 * 24 * 60 * 60 * 1000;
    assert.equal((await new TestClient(app).get(link)).status, 302, 'still valid at 3 days');
    now += 1000;
    const late = await new TestClient(app).get(link);
    assert.equal(late.status, 200);
    assert.match(late.text, /Password reset unsuccessful/);
    // Expiry is checked again when the new password is posted.
    now -= 2000;
    const client = new TestClient(app);
    const setPage = (await client.get(link)).location!;
    now += 5000;
    const posted = await client.post(setPage, {
      form: { newPassword1: newPassword, newPassword2: newPassword },
    });
    assert.match(posted.text, /Password reset unsuccessful/);
    const linus = asAuthUser(await User.objects.get({ username: 'linus' }));
    assert.equal(await linus.checkPassword(password), true);
  });

  it('stops working once the user logs in', async () => {
    await makeUser('ken');
    await User.objects.filter({ username: 'ken' }).update({ email: 'ken@example.com' });
    const app = viewsApp();
    await askForReset(new TestClient(app), 'ken@example.com');
    const link = linkInMail();
    assert.equal((await logIn(new TestClient(app), 'ken', password)).status, 302);
    assert.match((await new TestClient(app).get(link)).text, /Password reset unsuccessful/);
  });

  it('refuses forged links and the token-less page without a session', async () => {
    await makeUser('tess');
    const tess = await User.objects.get({ username: 'tess' });
    const uid = Buffer.from(String(tess.id)).toString('base64url');
    const client = new TestClient(viewsApp());
    for (const path of [
      `/accounts/reset/${uid}/set-password/`,
      `/accounts/reset/${uid}/1234-AAAAAAAAAAAAAAAAAAAAAA/`,
      `/accounts/reset/${uid}/not-a-token/`,
      '/accounts/reset/bm9wZQ/1234-AAAAAAAAAAAAAAAAAAAAAA/',
      '/accounts/reset/OTk5OTk5/1234-AAAAAAAAAAAAAAAAAAAAAA/',
    ]) {
      const res = await client.get(path);
      assert.equal(res.status, 200, path);
      assert.match(res.text, /Password reset unsuccessful/, path);
    }
  });

  it('links to siteUrl and logs the user in when asked', async () => {
    await makeUser('mary');
    await User.objects.filter({ username: 'mary' }).update({ email: 'mary@example.com' });
    const app = viewsApp({
      views: { siteUrl: 'https://polls.example.com', loginAfterReset: true },
    });
    const client = new TestClient(app);
    await askForReset(client, 'mary@example.com');
    const text = outbox.at(-1)?.text ?? '';
    const match = /https:\/\/polls\.example\.com(\/accounts\/reset\/\S+\/)/.exec(text);
    assert.ok(match, text);
    const { res } = await setNewPassword(client, match[1]!);
    assert.equal(res.location, '/accounts/reset/done/');
    const who = (await client.get('/me')).json<{ authenticated: boolean; username: string }>();
    assert.deepEqual([who.authenticated, who.username], [true, 'mary']);
  });
});
