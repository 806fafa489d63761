// The admin's own login page, logout and password change, through auth's login and logout.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { User } from '../auth/index.js';
import { AdminClient, adminApp, makeUser, migrateAdmin, password } from './test-support/app.js';

forEachDatabase(
  'admin login',
  () => {
    const app = adminApp();

    before(async () => {
      await migrateAdmin();
      await makeUser('ada', { permissions: ['polls.view_question'] });
      await makeUser('bob', { staff: false });
    });

    it('logs a staff member in and sends them where they were going', async () => {
      const client = new AdminClient(app);
      const page = await client.get('/admin/login/?next=/admin/polls/question/');
      assert.equal(page.status, 200);
      assert.match(page.text, /<input type="text" name="username"[^>]*autocomplete="username"/);
      assert.match(page.text, /<input type="password" name="password"/);
      const wrong = await client.post('/admin/login/?next=/admin/polls/question/', {
        username: 'ada',
        password: 'not it',
      });
      assert.equal(wrong.status, 400);
      assert.match(
        wrong.text,
        /Please enter the correct username and password for a staff account/,
      );
      assert.match(wrong.text, /value="ada"/);
      const right = await client.post('/admin/login/?next=/admin/polls/question/', {
        username: 'ada',
        password,
      });
      assert.equal(right.status, 303);
      assert.equal(right.location, '/admin/polls/question/');
      assert.equal((await client.get('/admin/polls/question/')).status, 200);
      // Logged in already: the login page moves on.
      assert.equal((await client.get('/admin/login/')).location, '/admin/');
    });

    it('refuses users who are not staff, and redirects nowhere off the site', async () => {
      const client = new AdminClient(app);
      await client.get('/admin/login/');
      const bob = await client.post('/admin/login/', { username: 'bob', password });
      assert.equal(bob.status, 400);
      assert.match(bob.text, /for a staff account/);
      await client.get('/admin/login/');
      const away = await client.post('/admin/login/?next=https://evil.example/', {
        username: 'ada',
        password,
      });
      assert.equal(away.location, '/admin/');
    });

    it('logs out with a POST; a GET only asks, with a form that posts', async () => {
      const client = await new AdminClient(app).loginAs('ada');
      const ask = await client.get('/admin/logout/');
      assert.equal(ask.status, 200);
      assert.match(ask.text, /<h1>Log out\?<\/h1>/);
      assert.match(ask.text, /logged in as <strong>ada<\/strong>/);
      assert.match(
        ask.text,
        /<form method="post" class="confirm">\s*<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">\s*<button type="submit" class="default">Log out<\/button>/,
      );
      // Asking changed nothing: still logged in.
      assert.equal((await client.get('/admin/')).status, 200);
      const res = await client.post('/admin/logout/', {});
      assert.equal(res.status, 200);
      assert.match(res.text, /Log in again/);
      assert.equal((await client.get('/admin/')).status, 302);
      // Nobody to log out: the GET sends a visitor to the login page.
      const again = await client.get('/admin/logout/');
      assert.equal(again.status, 302);
      assert.equal(again.location, '/admin/login/');
    });

    it('asks any logged-in user, staff or not, and logs a non-staff user out too', async () => {
      const client = await new AdminClient(app).loginAs('bob');
      const ask = await client.get('/admin/logout/');
      assert.equal(ask.status, 200);
      assert.match(ask.text, /logged in as <strong>bob<\/strong>/);
      const res = await client.post('/admin/logout/', {});
      assert.equal(res.status, 200);
      assert.equal((await client.get('/admin/logout/')).location, '/admin/login/');
    });

    it('changes the password, keeping this session and checking the old one', async () => {
      await makeUser('cy');
      const client = await new AdminClient(app).loginAs('cy');
      await client.get('/admin/password_change/');
      const wrongOld = await client.post('/admin/password_change/', {
        oldPassword: 'nope',
        newPassword1: 'a fresh passphrase',
        newPassword2: 'a fresh passphrase',
      });
      assert.equal(wrongOld.status, 400);
      assert.match(wrongOld.text, /Your old password was entered incorrectly/);
      const weak = await client.post('/admin/password_change/', {
        oldPassword: password,
        newPassword1: '12345678',
        newPassword2: '12345678',
      });
      assert.equal(weak.status, 400);
      assert.match(weak.text, /This password is too common\./);
      const mismatch = await client.post('/admin/password_change/', {
        oldPassword: password,
        newPassword1: 'a fresh passphrase',
        newPassword2: 'another passphrase',
      });
      assert.match(mismatch.text, /The two password fields didn’t match\./);
      const done = await client.post('/admin/password_change/', {
        oldPassword: password,
        newPassword1: 'a fresh passphrase',
        newPassword2: 'a fresh passphrase',
      });
      assert.equal(done.status, 303);
      assert.equal(done.location, '/admin/password_change/done/');
      assert.equal((await client.get(done.location!)).status, 200);
      const user = await User.objects.get({ username: 'cy' });
      assert.match(user.password, /^scrypt\$/);
      assert.notEqual(user.password, (await User.objects.get({ username: 'ada' })).password);
    });
  },
  { dialects: ['sqlite'] },
);
