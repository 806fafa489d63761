// Signed values (Django's django.core.signing) on node:crypto: HMAC-SHA256, base64url, key
// rotation and a salt per purpose, so a value signed for one use is never accepted by another.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ResolvedConfig } from './config/index.js';
import { CarafeError } from './errors.js';

export interface SignOptions {
  /** The current secret key, usually `app.config.secretKey`. */
  key: string;
  /** What the value is for (`'carafe.sessions'`); a value only verifies under the same salt. */
  salt?: string;
}

export interface UnsignOptions {
  /** The current key first, then fallbacks: `[config.secretKey, ...config.secretKeyFallbacks]`. */
  keys: readonly string[];
  salt?: string;
}

export interface UnsignTimestampedOptions extends UnsignOptions {
  /** Reject signatures older than this many seconds (`SignatureExpired`). */
  maxAge?: number;
}

/** The signature does not match: the value was tampered with, or signed with another key or salt. */
export class BadSignature extends CarafeError {
  constructor(
    message: string,
    code: 'CARAFE_BAD_SIGNATURE' | 'CARAFE_SIGNATURE_EXPIRED' = 'CARAFE_BAD_SIGNATURE',
  ) {
    super(code, message);
    this.name = 'BadSignature';
  }
}

/** The signature is valid but older than `maxAge`. */
export class SignatureExpired extends BadSignature {
  constructor(message: string) {
    super(message, 'CARAFE_SIGNATURE_EXPIRED');
    this.name = 'SignatureExpired';
  }
}

const keyLists = new WeakMap<object, readonly string[]>();

/** The keys to verify with: `config.secretKey`, then `config.secretKeyFallbacks`. */
export function secretKeys(
  config: Pick<ResolvedConfig, 'secretKey' | 'secretKeyFallbacks'>,
): readonly string[] {
  let keys = keyLists.get(config);
  if (keys === undefined) {
    keys = [config.secretKey, ...config.secretKeyFallbacks];
    keyLists.set(config, keys);
  }
  return keys;
}

const separator = '.';
const base64url = /^[A-Za-z0-9_-]*$/;

/** `value.signature`. The value is readable by anyone: signing proves origin, it does not hide. */
export function sign(value: string, options: SignOptions): string {
  const key = checkKey(options.key, 'sign');
  return `${value}${separator}${signature(key, options.salt ?? '', 'plain', value)}`;
}

/** The value `sign` was given, or `BadSignature`. Tries each key in order. */
export function unsign(signed: string, options: UnsignOptions): string {
  const [value, given] = splitLast(signed);
  verify(value, given, options, 'plain');
  return value;
}

/** `value.timestamp.signature`: like `sign`, and `unsignTimestamped` can enforce a maximum age. */
export function signTimestamped(value: string, options: SignOptions): string {
  const key = checkKey(options.key, 'signTimestamped');
  const stamped = `${value}${separator}${Math.floor(Date.now() / 1000).toString(36)}`;
  return `${stamped}${separator}${signature(key, options.salt ?? '', 'timestamped', stamped)}`;
}

/** The value `signTimestamped` was given; `SignatureExpired` when older than `maxAge` seconds. */
export function unsignTimestamped(signed: string, options: UnsignTimestampedOptions): string {
  const [stamped, given] = splitLast(signed);
  verify(stamped, given, options, 'timestamped');
  const [value, stamp] = splitLast(stamped);
  if (options.maxAge !== undefined) {
    checkMaxAge(options.maxAge);
    const age = Date.now() / 1000 - Number.parseInt(stamp, 36);
    if (age > options.maxAge) {
      throw new SignatureExpired(
        `Signature age ${Math.floor(age)}s is above the maximum of ${options.maxAge}s.`,
      );
    }
  }
  return value;
}

/**
 * A JSON value as a compact, URL- and cookie-safe signed string with a timestamp (for tokens,
 * "remember me" links, signed cookies). `loads` gives it back.
 */
export function dumps(value: unknown, options: SignOptions): string {
  const json = JSON.stringify(value);
  if (json === undefined) {
    throw new CarafeError(
      'CARAFE_SIGNING_VALUE',
      `dumps() needs a JSON value, got ${typeof value}.`,
    );
  }
  return signTimestamped(Buffer.from(json, 'utf8').toString('base64url'), options);
}

/** The JSON value `dumps` signed; `BadSignature` or `SignatureExpired` otherwise. */
export function loads(signed: string, options: UnsignTimestampedOptions): unknown {
  const encoded = unsignTimestamped(signed, options);
  if (!base64url.test(encoded)) throw new BadSignature('The signed payload is not base64url.');
  try {
    return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    // Only reachable with a valid signature over bytes dumps() did not produce.
    throw new BadSignature('The signed payload is not JSON.');
  }
}

type Mode = 'plain' | 'timestamped';

function verify(value: string, given: string, options: UnsignOptions, mode: Mode): void {
  if (!Array.isArray(options.keys) || options.keys.length === 0) {
    throw new CarafeError(
      'CARAFE_SIGNING_KEY',
      'unsign() needs at least one key: pass keys: [config.secretKey, ...config.secretKeyFallbacks].',
    );
  }
  const givenBytes = Buffer.from(given, 'latin1');
  for (const key of options.keys) {
    const expected = Buffer.from(
      signature(checkKey(key, 'unsign'), options.salt ?? '', mode, value),
      'latin1',
    );
    if (expected.length === givenBytes.length && timingSafeEqual(expected, givenBytes)) return;
  }
  throw new BadSignature('Signature does not match.');
}

function splitLast(signed: string): [string, string] {
  if (typeof signed !== 'string') throw new BadSignature('The signed value is not a string.');
  const at = signed.lastIndexOf(separator);
  if (at === -1) throw new BadSignature(`No "${separator}" found in the signed value.`);
  return [signed.slice(0, at), signed.slice(at + 1)];
}

function checkKey(key: string, caller: string): string {
  if (typeof key !== 'string' || key === '') {
    throw new CarafeError(
      'CARAFE_SIGNING_KEY',
      `${caller}() needs a non-empty key: pass key: app.config.secretKey (or keys: [...] to verify).`,
    );
  }
  return key;
}

function checkMaxAge(maxAge: number): void {
  if (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge < 0) {
    throw new CarafeError(
      'CARAFE_SIGNING_MAX_AGE',
      `maxAge must be a number of seconds ≥ 0, got ${String(maxAge)}.`,
    );
  }
}

// Deriving a key per (secret, salt, mode) keeps purposes apart and keeps a plain signature of
// "a.b" from passing as a timestamped signature of "a" at time b. Derivations are cached: a
// site has a handful of salts and keys, and each costs an HMAC.
const derivedKeys = new Map<string, Buffer>();

function signature(key: string, salt: string, mode: Mode, value: string): string {
  const cacheKey = `${mode}\u0000${salt}\u0000${key}`;
  let derived = derivedKeys.get(cacheKey);
  if (derived === undefined) {
    derived = createHmac('sha256', key).update(`carafe.signing\u0000${mode}\u0000${salt}`).digest();
    if (derivedKeys.size >= 64) derivedKeys.clear();
    derivedKeys.set(cacheKey, derived);
  }
  return createHmac('sha256', derived).update(value).digest('base64url');
}
