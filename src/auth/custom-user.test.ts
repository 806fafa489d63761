import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { createTables, f, model } from '../db/index.js';
import { TestClient } from '../testing/index.js';
import {
  asAuthUser,
  auth,
  authenticate,
  createPermissions,
  createUser,
  Group,
  login,
  Permission,
} from './index.js';
import { migrateAuth, testApp } from './test-support/app.js';

// A project's own user model: email to log in, no username, its own extra field.
const Account = model('authcustom.Account', {
  email: f.email({ unique: true }),
  displayName: f.string({ max: 100, default: '' }),
  password: f.string({ max: 128 }),
  isActive: f.boolean({ default: true }),
  isStaff: f.boolean({ default: false }),
  isSuperuser: f.boolean({ default: false }),
  lastLogin: f.datetime({ nullable: true }),
  groups: f.manyToMany(() => Group, { relatedName: 'accounts' }),
  userPermissions: f.manyToMany(() => Permission, { relatedName: 'accounts' }),
});

const Member = model('authcustom.Member', {
  handle: f.string({ max: 50 }),
  password: f.string({ max: 128 }),
  isActive: f.boolean({ default: true }),
  lastLogin: f.datetime({ nullable: true }),
});

const Loose = model('authcustom.Loose', {
  nickname: f.string({ max: 50 }),
  password: f.string({ max: 128 }),
  isActive: f.boolean({ default: true }),
  isStaff: f.boolean({ default: false }),
  isSuperuser: f.boolean({ default: false }),
  lastLogin: f.datetime({ nullable: true }),
  groups: f.manyToMany(() => Permission, { relatedName: 'looseGroups' }),
});

describe('a custom user model', () => {
  it('must have the fields auth reads', () => {
    // @ts-expect-error: no isStaff / isSuperuser fields
    assert.throws(() => auth({ userModel: Member, usernameField: 'handle' }), {
      code: 'CARAFE_AUTH_USER_MODEL',
      message: /no isStaff field/,
    });
    assert.throws(() => auth({ userModel: Loose, usernameField: 'nickname' }), {
      code: 'CARAFE_AUTH_USER_MODEL',
      message: /"groups" must be a many-to-many field to 'auth.Group'/,
    });
    assert.throws(() => auth({ userModel: Account, usernameField: 'displayName' }), {
      code: 'CARAFE_AUTH_USER_MODEL',
      message: /must be unique/,
    });
    assert.throws(() => auth({ userModel: Account }), {
      message: /"username" is not one of its fields/,
    });
  });
});

forEachDatabase('a custom user model', () => {
  before(async () => {
    await migrateAuth();
    await createTables([Account]);
    await createPermissions({ models: [Account] });
  });

  it('logs in by email and checks permissions through its groups', async () => {
    const app = testApp({ auth: { userModel: Account, usernameField: 'email' } });
    app.post(
      '/account-login/',
      async (req) => {
        const user = await authenticate(req, {
          username: 'kim@example.com',
          password: 'kim-long-password',
        });
        if (user === null) return { ok: false };
        await login(req, user);
        return { ok: true };
      },
      { name: 'accountLogin' },
    );
    app.get(
      '/whoami',
      async (req) => ({
        authenticated: req.user.isAuthenticated,
        isAccount: req.user instanceof Account,
        canView: await req.user.hasPerm('authcustom.view_account'),
        canDelete: await req.user.hasPerm('authcustom.delete_account'),
      }),
      { name: 'whoami' },
    );
    const kim = await createUser(
      { email: 'kim@example.com', displayName: 'Kim', password: 'kim-long-password' },
      { model: Account },
    );
    const viewers = await Group.objects.create({ name: 'account viewers' });
    await viewers
      .related('permissions')
      .add(await Permission.objects.get({ codename: 'view_account' }));
    await kim.related('groups').add(viewers);

    const client = new TestClient(app);
    assert.deepEqual((await client.post('/account-login/')).json(), { ok: true });
    assert.deepEqual((await client.get('/whoami')).json(), {
      authenticated: true,
      isAccount: true,
      canView: true,
      canDelete: false,
    });
    const stored = await Account.objects.get({ email: 'kim@example.com' });
    assert.ok(stored.lastLogin instanceof Date);
    assert.equal(await asAuthUser(stored).hasPerm('authcustom.view_account'), true);
  });
});
