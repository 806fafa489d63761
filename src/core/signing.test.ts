import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { CarafeError } from './errors.js';
import {
  BadSignature,
  dumps,
  loads,
  SignatureExpired,
  sign,
  signTimestamped,
  unsign,
  unsignTimestamped,
} from './signing.js';

const key = 'k'.repeat(48);
const oldKey = 'o'.repeat(48);

function tamperLastChar(signed: string): string {
  const last = signed.at(-1) === 'A' ? 'B' : 'A';
  return signed.slice(0, -1) + last;
}

describe('sign / unsign', () => {
  it('round-trips a value, dots and unicode included', () => {
    for (const value of ['hello', 'a.b.c', '', 'café ☕']) {
      const signed = sign(value, { key, salt: 'test' });
      assert.ok(signed.startsWith(`${value}.`));
      assert.equal(unsign(signed, { keys: [key], salt: 'test' }), value);
    }
  });

  it('produces a base64url signature', () => {
    const signature = sign('x', { key }).split('.').at(-1) ?? '';
    assert.match(signature, /^[A-Za-z0-9_-]{43}$/);
  });

  it('rejects a changed value or signature', () => {
    const signed = sign('user=1', { key });
    assert.throws(() => unsign(signed.replace('user=1', 'user=2'), { keys: [key] }), BadSignature);
    assert.throws(() => unsign(tamperLastChar(signed), { keys: [key] }), BadSignature);
    assert.throws(() => unsign(`${signed}A`, { keys: [key] }), BadSignature);
  });

  it('rejects malformed input with BadSignature, not another error', () => {
    for (const bad of ['no-separator', '.', 'x.', 'x.@@@']) {
      assert.throws(
        () => unsign(bad, { keys: [key] }),
        (error) => {
          assert.ok(error instanceof BadSignature);
          assert.equal(error.code, 'CARAFE_BAD_SIGNATURE');
          return true;
        },
      );
    }
  });

  it('rejects a signature made with another key', () => {
    assert.throws(
      () => unsign(sign('v', { key: oldKey }), { keys: [key] }),
      /Signature does not match/,
    );
  });

  it('keeps salts apart', () => {
    const forSessions = sign('v', { key, salt: 'carafe.sessions' });
    assert.throws(() => unsign(forSessions, { keys: [key], salt: 'carafe.csrf' }), BadSignature);
    assert.throws(() => unsign(forSessions, { keys: [key] }), BadSignature);
    assert.equal(unsign(forSessions, { keys: [key], salt: 'carafe.sessions' }), 'v');
  });

  it('accepts fallback keys for rotation, and always signs with the given current key', () => {
    const old = sign('v', { key: oldKey });
    assert.equal(unsign(old, { keys: [key, oldKey] }), 'v');
    const resigned = sign('v', { key });
    assert.notEqual(resigned, old);
    assert.equal(unsign(resigned, { keys: [key] }), 'v');
  });

  it('names the fix when keys are missing', () => {
    assert.throws(
      () => sign('v', { key: '' }),
      (error) => {
        assert.ok(error instanceof CarafeError);
        assert.equal(error.code, 'CARAFE_SIGNING_KEY');
        assert.match(error.message, /app\.config\.secretKey/);
        return true;
      },
    );
    assert.throws(() => unsign('v.x', { keys: [] }), /at least one key/);
    assert.throws(() => unsign('v.x', { keys: [''] }), /non-empty key/);
  });
});

describe('timestamped signatures', () => {
  afterEach(() => mock.timers.reset());

  it('round-trips and enforces maxAge', () => {
    mock.timers.enable({ apis: ['Date'], now: Date.UTC(2030, 0, 1) });
    const signed = signTimestamped('token', { key, salt: 's' });
    assert.equal(unsignTimestamped(signed, { keys: [key], salt: 's', maxAge: 60 }), 'token');
    mock.timers.tick(61_000);
    assert.throws(
      () => unsignTimestamped(signed, { keys: [key], salt: 's', maxAge: 60 }),
      (error) => {
        assert.ok(error instanceof SignatureExpired);
        assert.ok(error instanceof BadSignature);
        assert.equal(error.code, 'CARAFE_SIGNATURE_EXPIRED');
        return true;
      },
    );
    assert.equal(unsignTimestamped(signed, { keys: [key], salt: 's' }), 'token');
  });

  it('does not confuse plain and timestamped signatures', () => {
    const stamped = signTimestamped('v', { key });
    assert.throws(() => unsign(stamped, { keys: [key] }), BadSignature);
    const plain = sign('v.kx3f', { key });
    assert.throws(() => unsignTimestamped(plain, { keys: [key] }), BadSignature);
  });

  it('rejects a tampered timestamp', () => {
    const signed = signTimestamped('v', { key });
    const [value, , sig] = signed.split('.');
    assert.throws(
      () => unsignTimestamped(`${value}.zzzzzz.${sig}`, { keys: [key], maxAge: 10 }),
      BadSignature,
    );
  });

  it('rejects a negative maxAge', () => {
    const signed = signTimestamped('v', { key });
    assert.throws(() => unsignTimestamped(signed, { keys: [key], maxAge: -1 }), /CARAFE|seconds/);
  });
});

describe('dumps / loads', () => {
  it('round-trips JSON in a cookie-safe string', () => {
    const value = { user: 7, roles: ['admin'], name: 'Zoë', nested: { ok: true } };
    const signed = dumps(value, { key, salt: 'carafe.test' });
    assert.match(signed, /^[A-Za-z0-9_.-]+$/);
    assert.deepEqual(loads(signed, { keys: [key], salt: 'carafe.test' }), value);
  });

  it('rejects tampering, another salt and a non-JSON value', () => {
    const signed = dumps({ admin: false }, { key });
    const forged = Buffer.from('{"admin":true}').toString('base64url');
    const [, stamp, sig] = signed.split('.');
    assert.throws(() => loads(`${forged}.${stamp}.${sig}`, { keys: [key] }), BadSignature);
    assert.throws(() => loads(signed, { keys: [key], salt: 'other' }), BadSignature);
    assert.throws(() => dumps(undefined, { key }), /CARAFE|JSON value/);
  });

  it('expires with maxAge', () => {
    mock.timers.enable({ apis: ['Date'], now: Date.UTC(2030, 0, 1) });
    try {
      const signed = dumps([1, 2], { key });
      mock.timers.tick(3_600_001);
      assert.throws(() => loads(signed, { keys: [key], maxAge: 3600 }), SignatureExpired);
      assert.deepEqual(loads(signed, { keys: [key], maxAge: 3602 }), [1, 2]);
    } finally {
      mock.timers.reset();
    }
  });
});
