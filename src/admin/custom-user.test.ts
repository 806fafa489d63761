// A project that swaps in its own user model before its first migration (Django's
// AUTH_USER_MODEL): accounts.Member logs in by email, and everything pointing at "the user" —
// the admin's history, API tokens, the project's own notes — points at the member table, in the
// models, the migrations and the database's own foreign keys. The swap is made here, before
// anything resolves the models' relations, as a project's config does.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import {
  auth,
  createSuperuser,
  createToken,
  Group,
  Permission,
  Token,
  tokenAuth,
  User,
  type UserModel,
  userModel,
} from '../auth/index.js';
import { database, f, type InstanceOf, model } from '../db/index.js';
import { makemigrations, migrate } from '../db/migrations/index.js';
import { scratchFolder } from '../db/test-support/migration-folders.js';
import { Blueprint, Carafe, defineApp } from '../index.js';
import { security } from '../security/index.js';
import { sessions } from '../sessions/index.js';
import { TestClient } from '../testing/index.js';
import { adminSite, LogEntry } from './index.js';
import { AdminClient } from './test-support/app.js';

const Member = model(
  'accounts.Member',
  {
    email: f.email({ unique: true }),
    password: f.string({ max: 128 }),
    isActive: f.boolean({ default: true }),
    isStaff: f.boolean({ default: false }),
    isSuperuser: f.boolean({ default: false }),
    lastLogin: f.datetime({ nullable: true, blank: true }),
    groups: f.manyToMany(() => Group, { relatedName: 'members', blank: true }),
    userPermissions: f.manyToMany(() => Permission, { relatedName: 'members', blank: true }),
  },
  { display: (member) => member.email },
);

// The project's own relation to the user model, as Django's settings.AUTH_USER_MODEL.
const Note = model('notes.Note', {
  author: f.foreignKey(userModel, { onDelete: 'cascade', relatedName: 'notes' }),
  text: f.text(),
});

const authApp = auth({ userModel: Member, usernameField: 'email' });

/**
 * A member typed as the project's user. A project says so once, for the whole program
 * (`interface AuthUserModel { model: typeof Member }`); this test cannot without changing the
 * type for every other test, so it converts here instead.
 */
function asProjectUser(member: InstanceOf<typeof Member>): InstanceOf<UserModel> {
  return member as unknown as InstanceOf<UserModel>;
}
const scratch = scratchFolder();
after(() => scratch.remove());
const folders = { accounts: join(scratch.path, 'accounts'), notes: join(scratch.path, 'notes') };
const accounts = defineApp({ name: 'accounts', models: [Member], migrations: folders.accounts });
const notes = defineApp({ name: 'notes', models: [Note], migrations: folders.notes });
const site = adminSite();
site.register(Group);
const apps = [sessions(), security(), authApp, accounts, site, notes];
const password = 'a long member passphrase';

let written: Promise<unknown> | undefined;
/**
 * The project's first migrations, once. Only its own apps are written, so that a failure can
 * never leave a migration in the admin's or auth's real folders.
 */
function makeProjectMigrations() {
  written ??= makemigrations({ apps, appLabels: ['accounts', 'notes'], output: () => {} });
  return written;
}

describe('makemigrations with a custom user model', () => {
  it('makes migrations for the project apps only: the admin and auth migrations follow the swap', async () => {
    const result = await makemigrations({ apps, dryRun: true, output: () => {} });
    assert.deepEqual(
      result.migrations.map((migration) => `${migration.app}.${migration.name}`),
      ['accounts.0001_initial', 'notes.0001_initial'],
    );
    const [member, note] = result.migrations.map((migration) => migration.source) as [
      string,
      string,
    ];
    // auth's first migration (groups, permissions), not its token migration, which waits for this one.
    assert.match(member, /dependencies: \[\['auth', '0001_initial'\]\],/);
    assert.match(
      note,
      /author: f\.foreignKey\(swappable\('auth\.User'\), \{ onDelete: 'cascade', relatedName: 'notes' \}\)/,
    );
    assert.match(note, /dependencies: \[swappableDependency\('auth\.User'\)\],/);
    assert.match(
      note,
      /import \{ migration, op, swappable, swappableDependency \} from 'carafe\/db\/migrations';/,
    );

    await makeProjectMigrations();
    assert.deepEqual(readdirSync(folders.accounts), ['0001_initial.ts']);
    assert.deepEqual(readdirSync(folders.notes), ['0001_initial.ts']);
    const again = await makemigrations({ apps, check: true, output: () => {} });
    assert.deepEqual([again.exitCode, again.migrations], [0, []]);
  });
});

forEachDatabase('a custom user model, migrated', () => {
  before(async () => {
    await makeProjectMigrations();
    await migrate({ apps, output: () => {} });
  });

  /** `?` or PostgreSQL's `$n`. */
  const slot = (n: number) => (database().dialect === 'postgres' ? `$${n}` : '?');

  it('makes the history and token tables reference the member table', async () => {
    const kim = await Member.objects.create({ email: 'kim@example.com', password: '!' });
    // An auth.User whose key no member has: the history's key must refuse it.
    const stranger = await User.objects.create({ id: kim.id + 1000, username: 'x', password: '!' });
    const entry = { model: 'auth.group', objectId: '1', objectRepr: 'g', action: 'add' as const };
    await LogEntry.objects.create({ ...entry, user: kim.id });
    await assert.rejects(LogEntry.objects.create({ ...entry, user: stranger.id }));
    const { token } = await createToken(asProjectUser(kim), { name: 'script' });
    const note = await Note.objects.create({ author: kim.id, text: 'hello' });
    await assert.rejects(createToken(stranger), { code: 'CARAFE_AUTH_TOKEN_USER' });

    // The database itself keeps the member while rows point at it (the ORM cascades, below).
    await assert.rejects(
      database().raw(`DELETE FROM accounts_member WHERE id = ${slot(1)}`, [kim.id]),
    );
    const kimId = kim.id;
    await kim.delete();
    assert.equal(await LogEntry.objects.filter({ user: kimId }).count(), 0);
    assert.equal(await Token.objects.filter({ id: token.id }).count(), 0);
    assert.equal(await Note.objects.filter({ id: note.id }).count(), 0);
    await stranger.delete();
  });

  it('logs a member in to the admin by email and shows them in the history', async () => {
    await createSuperuser({ email: 'ada@example.com', password }, { model: Member });
    const app = new Carafe({
      secretKey: 'custom-user-admin-secret-'.repeat(2),
      allowedHosts: ['localhost'],
      log: { level: 'silent' },
      apps,
    });
    const client = new AdminClient(app);
    await client.get('/admin/login/');
    const login = await client.post('/admin/login/', { username: 'ada@example.com', password });
    assert.equal(login.status, 303);
    const index = await client.get('/admin/');
    assert.equal(index.status, 200);
    assert.match(index.text, /Welcome, <strong>ada@example\.com<\/strong>/);

    const group = await Group.objects.create({ name: 'editors' });
    const path = `/admin/auth/group/${group.id}/change/`;
    await client.get(path);
    const saved = await client.post(path, { name: 'chief editors' });
    assert.equal(saved.status, 303);
    const ada = await Member.objects.get({ email: 'ada@example.com' });
    const [entry] = await LogEntry.objects.filter({ objectId: String(group.id) });
    assert.equal(entry?.userId, ada.id);

    const history = await client.get(`/admin/auth/group/${group.id}/history/`);
    assert.equal(history.status, 200);
    assert.match(history.text, /<td data-label="User">ada@example\.com<\/td>/);
    assert.match((await client.get('/admin/')).text, /chief editors/);
  });

  it("authenticates a member's API token with tokenAuth()", async () => {
    const bo = await Member.objects.create({ email: 'bo@example.com', password: '!' });
    const { key } = await createToken(asProjectUser(bo));
    const app = new Carafe({
      secretKey: 'custom-user-token-secret-'.repeat(2),
      allowedHosts: ['localhost'],
      log: { level: 'silent' },
      apps,
    });
    const api = new Blueprint('api', { prefix: '/api', middleware: [tokenAuth()] });
    api.get(
      '/me',
      (req) => ({
        member: req.user instanceof Member,
        email: req.user.isAuthenticated ? String(req.user) : null,
      }),
      { name: 'me' },
    );
    app.register(api);
    const res = await new TestClient(app).get('/api/me', {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.deepEqual(res.json(), { member: true, email: 'bo@example.com' });
  });

  it('refuses to migrate a database whose history was made with another user model', async () => {
    const db = database();
    const record = (app: string, name: string) =>
      db.raw(`INSERT INTO carafe_migrations (app, name) VALUES (${slot(1)}, ${slot(2)})`, [
        app,
        name,
      ]);
    const unrecord = (app: string, name: string) =>
      db.raw(`DELETE FROM carafe_migrations WHERE app = ${slot(1)} AND name = ${slot(2)}`, [
        app,
        name,
      ]);
    const refused = {
      code: 'CARAFE_MIGRATION_SWAPPED_MODEL',
      message:
        /was applied when auth\.User was not replaced by accounts\.Member: it needs accounts\.0001_initial first, which (is not applied|was applied after it)/,
    };
    // As if the database had been migrated with auth.User, before the project swapped it…
    await unrecord('accounts', '0001_initial');
    await assert.rejects(migrate({ apps, output: () => {} }), refused);
    // …or had its accounts app migrated only after that.
    await record('accounts', '0001_initial');
    await assert.rejects(migrate({ apps, output: () => {} }), refused);

    // Recorded in the order they ran with this user model, the history is fine again.
    for (const [app, name] of [
      ['auth', '0002_token'],
      ['admin', '0001_initial'],
      ['notes', '0001_initial'],
    ] as const) {
      await unrecord(app, name);
      await record(app, name);
    }
    assert.equal((await migrate({ apps, output: () => {} })).steps.length, 0);
  });
});
