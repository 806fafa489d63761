import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultPasswordValidators,
  hashPassword,
  isUsablePassword,
  minimumLength,
  notCommon,
  notNumeric,
  notSimilarToUser,
  passwordHelpTexts,
  unusablePassword,
  validatePassword,
  verifyPassword,
} from './index.js';

const plain = 'correct horse battery staple';
// Computed with Python's hashlib exactly as Django's hashers encode them:
// base64(pbkdf2_hmac('sha256', password, salt, 260000, 32)) and
// base64(scrypt(password, salt, n=2**14, r=8, p=5, dklen=64)).
const djangoPbkdf2 =
  'pbkdf2_sha256$260000$W7oGWR5qMkQ2lZeJzDbb6p$8xfXtCr04Szfd4SDP9vGEfdGR/e39hY3C74JJsBinLI=';
const djangoScrypt =
  'scrypt$16384$tK3xq0bXyPz8VcNwM2aLrE$8$5$5eIVy96S2EveaigK21OR49j6EdMXs22Hf3G6bRs0URJG4TsF/AmG+rjIxMJyMpZcI2YWdNWUV/H3L+7hBAfftg==';

describe('hashPassword / verifyPassword', () => {
  it('stores scrypt with its parameters and verifies the same password only', async () => {
    const stored = await hashPassword(plain);
    const [algorithm, N, r, p, salt, hash] = stored.split('$');
    assert.deepEqual([algorithm, N, r, p], ['scrypt', '32768', '8', '3']);
    assert.equal(salt!.length, 22);
    assert.equal(Buffer.from(hash!, 'base64').length, 64);
    // Fits Django's varchar(128) password column.
    assert.ok(stored.length <= 128, `${stored.length} characters`);
    assert.deepEqual(await verifyPassword(plain, stored), { valid: true, needsUpgrade: false });
    assert.deepEqual(await verifyPassword('correct horse battery stapler', stored), {
      valid: false,
      needsUpgrade: false,
    });
    assert.deepEqual(await verifyPassword('', stored), { valid: false, needsUpgrade: false });
  });

  it('salts every hash differently', async () => {
    const [first, second] = await Promise.all([hashPassword(plain), hashPassword(plain)]);
    assert.notEqual(first, second);
  });

  it('verifies Django pbkdf2_sha256 and scrypt hashes, asking for an upgrade', async () => {
    assert.deepEqual(await verifyPassword(plain, djangoPbkdf2), {
      valid: true,
      needsUpgrade: true,
    });
    assert.deepEqual(await verifyPassword(plain, djangoScrypt), {
      valid: true,
      needsUpgrade: true,
    });
    assert.equal((await verifyPassword('Correct horse battery staple', djangoPbkdf2)).valid, false);
    assert.equal((await verifyPassword('wrong', djangoScrypt)).valid, false);
  });

  it('asks for an upgrade when the parameters are weaker than the current ones', async () => {
    const stored = await hashPassword(plain);
    const parts = stored.split('$');
    // The same key derived with N=2^14, r=8, p=1, as an older Carafe would have stored it.
    const { scryptSync } = await import('node:crypto');
    const older = scryptSync(plain, parts[4]!, 64, { N: 2 ** 14, r: 8, p: 1 });
    const weaker = `scrypt$16384$8$1$${parts[4]}$${older.toString('base64')}`;
    assert.deepEqual(await verifyPassword(plain, weaker), { valid: true, needsUpgrade: true });
  });

  it('never matches unusable, empty, unknown or damaged hashes, and never throws for them', async () => {
    const unusable = unusablePassword();
    assert.ok(unusable.startsWith('!'));
    assert.notEqual(unusable, unusablePassword());
    assert.equal(isUsablePassword(unusable), false);
    assert.equal(isUsablePassword(''), false);
    assert.equal(isUsablePassword(djangoPbkdf2), true);
    for (const stored of [
      unusable,
      '',
      'md5$abc$def',
      'argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$hash',
      'pbkdf2_sha256$abc$salt$hash',
      'pbkdf2_sha256$1000$salt$dG9vIHNob3J0',
      'scrypt$3$8$1$salt$aGFzaA==',
      'scrypt$16384$8$1$salt',
      `${djangoPbkdf2.slice(0, -4)}AAA=`,
    ]) {
      assert.deepEqual(
        await verifyPassword(plain, stored),
        { valid: false, needsUpgrade: false },
        stored,
      );
    }
  });

  it('refuses a password that is not a string', async () => {
    await assert.rejects(hashPassword(undefined as unknown as string), {
      code: 'CARAFE_AUTH_PASSWORD',
    });
  });

  it('does not block the event loop while hashing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    try {
      await hashPassword(plain);
      await verifyPassword(plain, djangoPbkdf2);
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - started;
    // A synchronous hash would let the timer fire at most once or twice in all that time.
    assert.ok(ticks >= 10 && ticks >= elapsed / 20, `${ticks} ticks in ${elapsed.toFixed(0)} ms`);
  });
});

describe('password validators', () => {
  it('accepts a good password with the default rules', async () => {
    assert.deepEqual(await validatePassword('tangerine-kayak-47', { username: 'ada' }), []);
  });

  it('refuses short, common and all-numeric passwords, collecting every message', async () => {
    assert.deepEqual(await validatePassword('1234567'), [
      'This password is too short: use at least 8 characters.',
      'This password is too common.',
      'This password is entirely numeric.',
    ]);
    assert.deepEqual(await validatePassword('Password'), ['This password is too common.']);
    assert.deepEqual(await validatePassword(' trustno1 '), ['This password is too common.']);
    assert.deepEqual(await validatePassword('8675309247'), ['This password is entirely numeric.']);
  });

  it('refuses passwords too similar to the username, the names or the email', async () => {
    const user = {
      username: 'lovelace1815',
      email: 'ada.countess@analytical.example',
      firstName: 'Augusta',
      lastName: 'King',
    };
    assert.deepEqual(await validatePassword('Lovelace1815!', user), [
      'This password is too similar to the username.',
    ]);
    assert.deepEqual(await validatePassword('countess', user), [
      'This password is too similar to the email address.',
    ]);
    assert.deepEqual(await validatePassword('augusta7', user), [
      'This password is too similar to the first name.',
    ]);
    assert.deepEqual(await validatePassword('a quiet orchard at dusk', user), []);
    // Without a user there is nothing to compare with.
    assert.equal(await notSimilarToUser().validate('lovelace1815'), undefined);
  });

  it('takes other rules and lists their help texts', async () => {
    const rules = [minimumLength(12), notNumeric(), notCommon({ passwords: ['Hunter2Hunter2'] })];
    assert.deepEqual(await validatePassword('hunter2hunter2', undefined, rules), [
      'This password is too common.',
    ]);
    assert.deepEqual(await validatePassword('short', undefined, rules), [
      'This password is too short: use at least 12 characters.',
    ]);
    assert.deepEqual(passwordHelpTexts(rules), [
      'Your password must contain at least 12 characters.',
      'Your password can’t be entirely numeric.',
      'Your password can’t be a commonly used password.',
    ]);
    assert.equal(passwordHelpTexts().length, defaultPasswordValidators.length);
  });
});
