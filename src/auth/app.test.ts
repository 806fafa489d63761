import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { makemigrations, migrate } from '../db/migrations/index.js';
import { Carafe } from '../index.js';
import { sessions } from '../sessions/index.js';
import { render } from '../templates/index.js';
import { TestClient } from '../testing/index.js';
import { auth, createSuperuser, createUser, Group, Permission, Token, User } from './index.js';
import { migrateAuth, secretKey, testApp } from './test-support/app.js';

describe('the auth app', () => {
  it('declares its models and a migration that matches them', async () => {
    const app = auth();
    assert.deepEqual(app.models, [Permission, Group, User, Token]);
    const lines: string[] = [];
    const result = await makemigrations({
      apps: [sessions(), app],
      check: true,
      output: (line) => lines.push(line),
    });
    assert.equal(result.exitCode, 0, lines.join('\n'));
  });

  it('uses Django’s table names', () => {
    assert.deepEqual(
      [User, Group, Permission].map((model) => model.meta.table),
      ['auth_user', 'auth_group', 'auth_permission'],
    );
    const joins = [...User.meta.manyToMany, ...Group.meta.manyToMany].map(
      (field) => field.through?.table,
    );
    assert.deepEqual(joins, [
      'auth_user_groups',
      'auth_user_user_permissions',
      'auth_group_permissions',
    ]);
  });

  it('needs sessions listed before it', () => {
    const build = (apps: Carafe['config']['apps']) =>
      new Carafe({ secretKey, allowedHosts: ['localhost'], log: { level: 'silent' }, apps });
    assert.throws(() => build([auth()]).compile(), { code: 'CARAFE_APP_ORDER' });
    assert.throws(() => build([auth(), sessions()]).compile(), { code: 'CARAFE_APP_ORDER' });
    assert.doesNotThrow(() => build([sessions(), auth()]).compile());
  });

  it('checks its options', () => {
    assert.throws(() => auth({ usernameField: 'email' }), { code: 'CARAFE_AUTH_USER_MODEL' });
    assert.throws(() => auth({ usernameField: 'nickname' }), { code: 'CARAFE_AUTH_USER_MODEL' });
    assert.throws(() => auth({ loginUrl: '' }), { code: 'CARAFE_AUTH_OPTION' });
  });
});

forEachDatabase('the auth tables', (ctx) => {
  before(migrateAuth);

  it('creates users with hashed passwords, or unusable ones', async () => {
    const ada = await createUser({
      username: 'ada',
      email: 'Ada@Example.COM',
      password: 'tangerine-kayak-47',
    });
    assert.match(ada.password, /^scrypt\$/);
    assert.equal(ada.email, 'Ada@example.com');
    assert.equal(ada.isStaff, false);
    assert.equal(await ada.checkPassword('tangerine-kayak-47'), true);
    assert.equal(await ada.checkPassword('tangerine-kayak-48'), false);
    assert.equal(ada.hasUsablePassword, true);
    // The row's own properties are still just the stored values.
    assert.equal(JSON.stringify(ada).includes('hasPerm'), false);
    assert.ok(ada instanceof User);

    const service = await createUser({ username: 'service' });
    assert.equal(service.hasUsablePassword, false);
    assert.equal(await service.checkPassword(''), false);

    const root = await createSuperuser({ username: 'root', password: 'another-long-one' });
    assert.deepEqual([root.isStaff, root.isSuperuser], [true, true]);
    await assert.rejects(createSuperuser({ username: 'x', isStaff: false }), {
      code: 'CARAFE_AUTH_SUPERUSER',
    });
    await assert.rejects(createUser({ username: 'ada' }));
  });

  it('upgrades an outdated hash when checkPassword succeeds', async () => {
    const django =
      'pbkdf2_sha256$260000$W7oGWR5qMkQ2lZeJzDbb6p$8xfXtCr04Szfd4SDP9vGEfdGR/e39hY3C74JJsBinLI=';
    const row = await User.objects.create({ username: 'moved', password: django });
    const { asAuthUser } = await import('./index.js');
    assert.equal(await asAuthUser(row).checkPassword('correct horse battery staple'), true);
    assert.match((await User.objects.get({ username: 'moved' })).password, /^scrypt\$32768\$/);
  });

  it('puts the user in template contexts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carafe-auth-templates-'));
    writeFileSync(
      join(dir, 'who.html'),
      '{% if user.isAuthenticated %}hi {{ user.username }}{% else %}anonymous{% endif %}',
    );
    const app = testApp({ config: { templates: { dirs: [dir] } } });
    app.get('/who', (req) => render(req, 'who.html'), { name: 'who' });
    app.errorHandler(404, (_error, req) => render(req, 'who.html', {}, { status: 404 }));
    await createUser({ username: 'tess' });
    const client = new TestClient(app);
    assert.equal((await client.get('/who')).text, 'anonymous');
    await client.post('/as/tess');
    assert.equal((await client.get('/who')).text, 'hi tess');
    const missing = await client.get('/nowhere');
    assert.equal(missing.status, 404);
    assert.equal(missing.text, 'hi tess');
  });

  it('goes back to zero, dropping its tables', async () => {
    const apps = [sessions(), auth()];
    assert.equal(
      (await migrate({ apps, app: 'auth', target: 'zero', output: () => {} })).exitCode,
      0,
    );
    await assert.rejects(ctx.database.raw('SELECT 1 FROM auth_user'));
    await assert.rejects(ctx.database.raw('SELECT 1 FROM auth_user_groups'));
    assert.equal((await migrate({ apps, output: () => {} })).exitCode, 0);
    assert.equal(await User.objects.count(), 0);
  });

  it('creates the permissions of every model after migrate, once', async () => {
    const apps = [sessions(), auth()];
    await migrate({ apps, app: 'auth', target: 'zero', output: () => {} });
    await migrate({ apps, output: () => {} });
    const codenames = async () =>
      (
        await Permission.objects
          .filter({ model: 'auth.group' })
          .valuesList('codename', { flat: true })
      ).sort();
    assert.deepEqual(await codenames(), [
      'add_group',
      'change_group',
      'delete_group',
      'view_group',
    ]);
    assert.ok(
      await Permission.objects
        .filter({ model: 'sessions.session', codename: 'view_session' })
        .exists(),
    );
    const total = await Permission.objects.count();
    await migrate({ apps, output: () => {} });
    assert.equal(await Permission.objects.count(), total);
  });
});
