import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { createTables, f, model } from '../db/index.js';
import {
  asAuthUser,
  auth,
  changepasswordCommand,
  createsuperuserCommand,
  Group,
  Permission,
  User,
} from './index.js';
import { makeUser, migrateAuth, password } from './test-support/app.js';

const Member = model('authcmd.Member', {
  email: f.email({ unique: true }),
  password: f.string({ max: 128 }),
  isActive: f.boolean({ default: true }),
  isStaff: f.boolean({ default: false }),
  isSuperuser: f.boolean({ default: false }),
  lastLogin: f.datetime({ nullable: true }),
  groups: f.manyToMany(() => Group, { relatedName: 'members' }),
  userPermissions: f.manyToMany(() => Permission, { relatedName: 'members' }),
});

/** Terminal streams fed with `answers`, one per line, and the text written back. */
function terminal(answers: readonly string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk) => {
    written += String(chunk);
  });
  input.end(answers.map((answer) => `${answer}\n`).join(''));
  return { input, output, written: () => written };
}

async function check(username: string, plain: string): Promise<boolean> {
  return asAuthUser(await User.objects.get({ username })).checkPassword(plain);
}

forEachDatabase('createsuperuser and changepassword', () => {
  before(async () => {
    await migrateAuth();
    await createTables([Member]);
    await makeUser('taken');
  });

  it('asks for each value interactively, hiding nothing from a pipe', async () => {
    const io = terminal(['root1', 'root1@example.com', 'a long passphrase', 'a long passphrase']);
    const user = await createsuperuserCommand({ interactive: true, ...io });
    assert.equal(user.username, 'root1');
    const row = await User.objects.get({ username: 'root1' });
    assert.deepEqual([row.isStaff, row.isSuperuser, row.email], [true, true, 'root1@example.com']);
    assert.equal(await check('root1', 'a long passphrase'), true);
    assert.match(
      io.written(),
      /^Username( \(leave blank to use '[^']+'\))?: Email address: Password: Password \(again\): Superuser created successfully\.\n$/,
    );
  });

  it('asks again after a taken name, a bad email and different passwords', async () => {
    const io = terminal([
      'taken',
      'bad name!',
      'root2',
      'not-an-email',
      '',
      'first passphrase',
      'second passphrase',
      'a long passphrase',
      'a long passphrase',
    ]);
    await createsuperuserCommand({ interactive: true, ...io });
    const text = io.written();
    assert.match(text, /Error: That username is already taken\./);
    assert.match(text, /Error: Enter a valid username/);
    assert.match(text, /Error: Enter a valid email address\./);
    assert.match(text, /Error: Your passwords didn't match\./);
    const row = await User.objects.get({ username: 'root2' });
    assert.equal(row.email, '');
  });

  it('offers to bypass the password rules', async () => {
    const refused = terminal([
      'root3',
      '',
      '1234',
      '1234',
      'n',
      'a long passphrase',
      'a long passphrase',
    ]);
    await createsuperuserCommand({ interactive: true, ...refused });
    assert.match(refused.written(), /This password is too short/);
    assert.match(
      refused.written(),
      /Bypass password validation and create user anyway\? \[y\/N\]: /,
    );
    assert.equal(await check('root3', 'a long passphrase'), true);

    const bypassed = terminal(['root4', '', '1234', '1234', 'y']);
    await createsuperuserCommand({ interactive: true, ...bypassed });
    assert.equal(await check('root4', '1234'), true);
  });

  it('takes an answer given as an option without asking for it', async () => {
    const io = terminal(['', 'a long passphrase', 'a long passphrase']);
    await createsuperuserCommand({ interactive: true, username: 'root5', ...io });
    assert.match(io.written(), /^Email address: Password: /);
    assert.equal(await check('root5', 'a long passphrase'), true);
  });

  it('fails clearly when the input ends early', async () => {
    const io = terminal(['root6']);
    await assert.rejects(createsuperuserCommand({ interactive: true, ...io }), {
      code: 'CARAFE_AUTH_INPUT_ENDED',
    });
    assert.equal(await User.objects.filter({ username: 'root6' }).exists(), false);
  });

  it('runs without prompts from options and CARAFE_SUPERUSER_* variables', async () => {
    const output = new PassThrough();
    await createsuperuserCommand({
      interactive: false,
      username: 'ops',
      email: 'ops@example.com',
      password: 'a long passphrase',
      output,
      env: {},
    });
    assert.equal(await check('ops', 'a long passphrase'), true);
    assert.equal(String(output.read()), 'Superuser created successfully.\n');

    const env = {
      CARAFE_SUPERUSER_USERNAME: 'ci',
      CARAFE_SUPERUSER_EMAIL: 'ci@example.com',
      CARAFE_SUPERUSER_PASSWORD: 'from the environment',
    };
    await createsuperuserCommand({ interactive: false, env, output: new PassThrough() });
    const ci = await User.objects.get({ username: 'ci' });
    assert.deepEqual([ci.email, ci.isSuperuser], ['ci@example.com', true]);
    assert.equal(await check('ci', 'from the environment'), true);

    // Without a password the account cannot log in until one is set.
    await createsuperuserCommand({
      interactive: false,
      username: 'nopass',
      env: {},
      output: new PassThrough(),
    });
    assert.equal(
      asAuthUser(await User.objects.get({ username: 'nopass' })).hasUsablePassword,
      false,
    );
  });

  it('reports what is missing or wrong without prompts', async () => {
    const run = (options: Partial<Parameters<typeof createsuperuserCommand>[0]>) =>
      createsuperuserCommand({
        interactive: false,
        env: {},
        output: new PassThrough(),
        ...options,
      });
    await assert.rejects(run({}), {
      code: 'CARAFE_AUTH_MISSING_FIELD',
      message: /CARAFE_SUPERUSER_USERNAME/,
    });
    await assert.rejects(run({ username: 'taken' }), { code: 'CARAFE_AUTH_USER_EXISTS' });
    await assert.rejects(run({ username: 'no spaces allowed' }), {
      code: 'CARAFE_AUTH_INVALID_FIELD',
    });
    await assert.rejects(run({ username: 'mailless', email: 'nope' }), {
      code: 'CARAFE_AUTH_INVALID_FIELD',
      message: /^email:/,
    });
    await assert.rejects(run({ username: 'weak', password: 'weak' }), {
      code: 'CARAFE_AUTH_PASSWORD_INVALID',
      message: /too short/,
    });
    assert.equal(await User.objects.filter({ username: 'weak' }).exists(), false);
    await run({ username: 'weak', password: 'weak', skipValidation: true });
    assert.equal(await check('weak', 'weak'), true);
  });

  it('follows the login field of a custom user model', async () => {
    const apps = [auth({ userModel: Member, usernameField: 'email' })];
    const io = terminal(['boss@example.com', 'a long passphrase', 'a long passphrase']);
    await createsuperuserCommand({ apps, interactive: true, ...io });
    assert.match(io.written(), /^Email: Password: /);
    const boss = await Member.objects.get({ email: 'boss@example.com' });
    assert.equal(boss.isSuperuser, true);
    await createsuperuserCommand({
      apps,
      interactive: false,
      env: { CARAFE_SUPERUSER_EMAIL: 'deputy@example.com', CARAFE_SUPERUSER_PASSWORD: 'pw' },
      skipValidation: true,
      output: new PassThrough(),
    });
    assert.equal(await Member.objects.filter({ email: 'deputy@example.com' }).exists(), true);
    await assert.rejects(
      createsuperuserCommand({ apps, interactive: false, username: 'boss@example.com', env: {} }),
      { code: 'CARAFE_AUTH_USER_EXISTS' },
    );
  });

  it('changes a password interactively', async () => {
    await makeUser('grace');
    const io = terminal([
      'one passphrase',
      'another passphrase',
      'a new passphrase',
      'a new passphrase',
    ]);
    await changepasswordCommand({ interactive: true, username: 'grace', ...io });
    const text = io.written();
    assert.match(text, /^Changing password for user 'grace'\n/);
    assert.match(text, /Passwords do not match\. Please try again\./);
    assert.match(text, /Password changed successfully for user 'grace'\.\n$/);
    assert.equal(await check('grace', 'a new passphrase'), true);
  });

  it('gives up after three tries', async () => {
    await makeUser('linus');
    const io = terminal(['a', 'b', '123', '123', 'short', 'short']);
    await assert.rejects(changepasswordCommand({ interactive: true, username: 'linus', ...io }), {
      code: 'CARAFE_AUTH_PASSWORD_ATTEMPTS',
      message: "Aborting password change for user 'linus' after 3 attempts.",
    });
    assert.match(io.written(), /This password is entirely numeric\./);
    assert.equal(await check('linus', password), true);
  });

  it('changes a password without prompts, and names unknown users', async () => {
    await makeUser('ken');
    const output = new PassThrough();
    await changepasswordCommand({
      interactive: false,
      username: 'ken',
      password: 'scripted passphrase',
      output,
    });
    assert.equal(await check('ken', 'scripted passphrase'), true);
    await assert.rejects(
      changepasswordCommand({ interactive: false, username: 'ken', password: '1', output }),
      { code: 'CARAFE_AUTH_PASSWORD_INVALID' },
    );
    await assert.rejects(changepasswordCommand({ interactive: false, username: 'ken', output }), {
      code: 'CARAFE_AUTH_MISSING_FIELD',
    });
    await assert.rejects(
      changepasswordCommand({ interactive: false, username: 'nobody', password: 'x', output }),
      { code: 'CARAFE_AUTH_NO_SUCH_USER', message: "The user 'nobody' does not exist." },
    );
  });
});
