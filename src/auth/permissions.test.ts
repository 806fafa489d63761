import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { f, model } from '../db/index.js';
import { defineApp } from '../index.js';
import { TestClient } from '../testing/index.js';
import {
  AnonymousUser,
  anonymousUser,
  asAuthUser,
  createPermissions,
  Group,
  Permission,
  User,
} from './index.js';
import { makeUser, migrateAuth, testApp } from './test-support/app.js';

const Article = model('authperms.Article', { title: f.string({ max: 100 }) });
const BlogPost = model(
  'authperms.BlogPost',
  { title: f.string({ max: 100 }), tags: f.manyToMany(() => Article, { relatedName: 'posts' }) },
  { verboseName: 'blog post' },
);
const perms = defineApp({ name: 'authperms', models: [Article, BlogPost] });

describe('the anonymous user', () => {
  it('has no permissions and says it is anonymous', async () => {
    assert.ok(anonymousUser instanceof AnonymousUser);
    assert.equal(anonymousUser.isAuthenticated, false);
    assert.equal(anonymousUser.isAnonymous, true);
    assert.equal(await anonymousUser.hasPerm('authperms.view_article'), false);
    assert.equal(await anonymousUser.hasModulePerms('authperms'), false);
    assert.deepEqual([...(await anonymousUser.getAllPermissions())], []);
    assert.equal(String(anonymousUser), 'AnonymousUser');
  });

  it('asAuthUser takes rows of a user model only', () => {
    assert.throws(() => asAuthUser({ username: 'fake' }), { code: 'CARAFE_AUTH_NOT_A_USER' });
    assert.throws(() => asAuthUser(new Article({ title: 'x' })), {
      code: 'CARAFE_AUTH_USER_MODEL',
    });
  });
});

forEachDatabase('permissions', (ctx) => {
  before(migrateAuth);

  it('creates add, change, delete and view for each model, once', async () => {
    assert.equal(await createPermissions({ apps: [perms] }), 8);
    assert.equal(await createPermissions({ apps: [perms], models: [Article] }), 0);
    const rows = await Permission.objects
      .filter({ model: 'authperms.blogpost' })
      .valuesList('codename', 'name');
    assert.deepEqual(rows, [
      ['add_blogpost', 'Can add blog post'],
      ['change_blogpost', 'Can change blog post'],
      ['delete_blogpost', 'Can delete blog post'],
      ['view_blogpost', 'Can view blog post'],
    ]);
    // The automatic join table of BlogPost.tags gets none.
    assert.equal(await Permission.objects.filter({ model: { contains: '_tags' } }).count(), 0);
    await assert.rejects(createPermissions({ models: [{} as never] }), {
      code: 'CARAFE_AUTH_NOT_A_MODEL',
    });
  });

  it('gives a user their own permissions and their groups', async () => {
    await createPermissions({ apps: [perms] });
    const viewArticle = await Permission.objects.get({
      model: 'authperms.article',
      codename: 'view_article',
    });
    const changeArticle = await Permission.objects.get({
      model: 'authperms.article',
      codename: 'change_article',
    });
    const editors = await Group.objects.create({ name: 'editors' });
    await editors.related('permissions').add(changeArticle);
    const mia = await makeUser('mia');
    await mia.related('userPermissions').add(viewArticle);
    await mia.related('groups').add(editors);
    const noah = await makeUser('noah');

    const user = asAuthUser(mia);
    assert.equal(user.isAuthenticated, true);
    assert.equal(await user.hasPerm('authperms.view_article'), true);
    assert.equal(await user.hasPerm('authperms.change_article'), true);
    assert.equal(await user.hasPerm('authperms.delete_article'), false);
    assert.equal(await user.hasPerm('otherapp.view_article'), false);
    assert.equal(await user.hasPerms(['authperms.view_article', 'authperms.change_article']), true);
    assert.equal(
      await user.hasPerms(['authperms.view_article', 'authperms.delete_article']),
      false,
    );
    assert.equal(await user.hasModulePerms('authperms'), true);
    assert.equal(await user.hasModulePerms('auth'), false);
    assert.deepEqual([...(await user.getAllPermissions())].sort(), [
      'authperms.change_article',
      'authperms.view_article',
    ]);
    const other = asAuthUser(noah);
    assert.equal(await other.hasPerm('authperms.view_article'), false);
    assert.equal(await other.hasModulePerms('authperms'), false);
  });

  it('gives an active superuser every permission, and an inactive user none', async () => {
    await createPermissions({ apps: [perms] });
    const root = asAuthUser(await makeUser('root', { isSuperuser: true }));
    assert.equal(await root.hasPerm('authperms.delete_article'), true);
    assert.equal(await root.hasPerm('anything.at_all'), true);
    assert.equal(await root.hasModulePerms('authperms'), true);
    assert.equal((await root.getAllPermissions()).size, await Permission.objects.count());

    const retired = await makeUser('retired', { isSuperuser: true, isActive: false });
    const perm = await Permission.objects.get({ codename: 'view_article' });
    await retired.related('userPermissions').add(perm);
    const user = asAuthUser(retired);
    assert.equal(await user.hasPerm('authperms.view_article'), false);
    assert.equal(await user.hasModulePerms('authperms'), false);
    assert.deepEqual([...(await user.getAllPermissions())], []);
  });

  it('looks permissions up once per user object, in one query', async () => {
    await createPermissions({ apps: [perms] });
    const sam = await makeUser('sam');
    await sam
      .related('userPermissions')
      .add(await Permission.objects.get({ codename: 'view_blogpost' }));
    const user = asAuthUser(await User.objects.get({ username: 'sam' }));
    const queries: string[] = [];
    const stop = ctx.database.onQuery((event) => {
      queries.push(event.sql);
    });
    try {
      await Promise.all([
        user.hasPerm('authperms.view_blogpost'),
        user.hasPerm('authperms.add_blogpost'),
      ]);
      await user.hasPerms(['authperms.view_blogpost', 'authperms.view_article']);
      await user.hasModulePerms('authperms');
      assert.equal(queries.length, 1, queries.join('\n'));
      // A fresh object (the next request's) reads them again.
      await asAuthUser(await User.objects.get({ username: 'sam' })).hasPerm(
        'authperms.view_blogpost',
      );
      assert.equal(queries.length, 3);
    } finally {
      stop();
    }
  });

  it('answers req.user.hasPerm in handlers, reading once per request', async () => {
    await createPermissions({ apps: [perms] });
    const zoe = await makeUser('zoe');
    await zoe
      .related('userPermissions')
      .add(await Permission.objects.get({ codename: 'add_article' }));
    const app = testApp();
    app.get(
      '/can',
      async (req) => ({
        add: await req.user.hasPerm('authperms.add_article'),
        view: await req.user.hasPerm('authperms.view_article'),
      }),
      { name: 'can' },
    );
    const client = new TestClient(app);
    assert.deepEqual((await client.get('/can')).json(), { add: false, view: false });
    await client.post('/as/zoe');
    const queries: string[] = [];
    const stop = ctx.database.onQuery((event) => {
      queries.push(event.sql);
    });
    try {
      assert.deepEqual((await client.get('/can')).json(), { add: true, view: false });
    } finally {
      stop();
    }
    assert.equal(queries.filter((sql) => sql.includes('auth_permission')).length, 1);
  });
});
