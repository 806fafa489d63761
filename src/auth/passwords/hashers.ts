// Password hashes: scrypt for new ones, with the algorithm and its parameters in the stored
// string so they can be raised later; Django's pbkdf2_sha256 and scrypt hashes are verified so a
// Django user table can move over, and are replaced at the next login. Every derivation runs on
// libuv's thread pool (the async `scrypt`/`pbkdf2`), never on the event loop.
import { pbkdf2, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { CarafeError } from '../../index.js';

/** scrypt's cost for new hashes: 32 MiB of memory, and OWASP's N=2^15, r=8, p=3 tier of work. */
const current = { N: 2 ** 15, r: 8, p: 3 } as const;
const keyLength = 64;
const saltBytes = 16;

/** What `verifyPassword` found. */
export interface PasswordCheck {
  readonly valid: boolean;
  /**
   * The hash is valid but made by an older algorithm or weaker parameters: hash the password
   * again and store the new hash (`login`/`authenticate` do this for you).
   */
  readonly needsUpgrade: boolean;
}

const invalid: PasswordCheck = { valid: false, needsUpgrade: false };

/** Django's marker for "no password can log in" (`set_unusable_password`); ours is the same. */
export const unusablePrefix = '!';

function scryptKey(
  password: string,
  salt: string,
  params: { N: number; r: number; p: number },
  length: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // The default memory cap (32 MiB) is exactly scrypt's need at N=2^15, r=8: too tight.
    const maxmem = 256 * params.N * params.r;
    scrypt(password, salt, length, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function pbkdf2Key(
  password: string,
  salt: string,
  iterations: number,
  length: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, length, 'sha256', (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function checkPlain(password: unknown): asserts password is string {
  if (typeof password !== 'string') {
    throw new CarafeError(
      'CARAFE_AUTH_PASSWORD',
      `A password must be a string, got ${password === null ? 'null' : typeof password}.`,
    );
  }
}

/**
 * Hashes a password for storage: `scrypt$32768$8$3$<salt>$<hash>`. Takes a few hundred
 * milliseconds of one thread-pool thread, on purpose; the event loop keeps serving meanwhile.
 */
export async function hashPassword(password: string): Promise<string> {
  checkPlain(password);
  const salt = randomBytes(saltBytes).toString('base64url');
  const key = await scryptKey(password, salt, current, keyLength);
  const encoded = key.toString('base64').replace(/=+$/, '');
  return `scrypt$${current.N}$${current.r}$${current.p}$${salt}$${encoded}`;
}

/** Equal in constant time; a stored key of another length is simply not equal. */
function sameKey(derived: Buffer, stored: Buffer): boolean {
  return derived.length === stored.length && timingSafeEqual(derived, stored);
}

const digits = /^[1-9]\d{0,9}$/;

/** scrypt parameters read from a stored hash, within bounds that cannot exhaust the server. */
function scryptParams(
  N: string,
  r: string,
  p: string,
): { N: number; r: number; p: number } | undefined {
  if (!digits.test(N) || !digits.test(r) || !digits.test(p)) return undefined;
  const params = { N: Number(N), r: Number(r), p: Number(p) };
  const powerOfTwo = (params.N & (params.N - 1)) === 0;
  if (!powerOfTwo || params.N < 2 || params.N > 2 ** 20 || params.r > 32 || params.p > 16) {
    return undefined;
  }
  return params;
}

async function verifyScrypt(password: string, parts: readonly string[]): Promise<PasswordCheck> {
  // Ours: scrypt$N$r$p$salt$hash. Django's: scrypt$N$salt$r$p$hash (its salt is never all digits).
  const ours = digits.test(parts[2]!) && digits.test(parts[3]!);
  const [N, r, p, salt] = ours
    ? [parts[1]!, parts[2]!, parts[3]!, parts[4]!]
    : [parts[1]!, parts[3]!, parts[4]!, parts[2]!];
  const params = scryptParams(N, r, p);
  if (params === undefined || salt === '') return invalid;
  const stored = Buffer.from(parts[5]!, 'base64');
  if (stored.length < 16) return invalid;
  const derived = await scryptKey(password, salt, params, stored.length);
  if (!sameKey(derived, stored)) return invalid;
  const upToDate =
    ours && params.N === current.N && params.r === current.r && params.p === current.p;
  return { valid: true, needsUpgrade: !upToDate || salt.length < 16 };
}

async function verifyPbkdf2(password: string, parts: readonly string[]): Promise<PasswordCheck> {
  // Django: pbkdf2_sha256$<iterations>$<salt>$<base64 of the 32-byte key>.
  const [, iterations, salt, hash] = parts;
  if (!digits.test(iterations!) || salt === '' || Number(iterations) > 100_000_000) return invalid;
  const stored = Buffer.from(hash!, 'base64');
  if (stored.length !== 32) return invalid;
  const derived = await pbkdf2Key(password, salt!, Number(iterations), 32);
  return sameKey(derived, stored) ? { valid: true, needsUpgrade: true } : invalid;
}

/**
 * Checks a password against a stored hash. Understands Carafe's scrypt hashes and Django's
 * `pbkdf2_sha256` and `scrypt` hashes (those are valid but `needsUpgrade`). Anything else —
 * an unusable password (`!…`), an empty or unknown hash — is not valid; it never throws for a
 * bad stored value.
 */
export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  checkPlain(password);
  if (typeof stored !== 'string' || stored.startsWith(unusablePrefix)) return invalid;
  const parts = stored.split('$');
  if (parts[0] === 'scrypt' && parts.length === 6) return verifyScrypt(password, parts);
  if (parts[0] === 'pbkdf2_sha256' && parts.length === 4) return verifyPbkdf2(password, parts);
  return invalid;
}

/** Whether a stored hash can ever match a password (not unusable, not empty). */
export function isUsablePassword(stored: string | null | undefined): boolean {
  return typeof stored === 'string' && stored !== '' && !stored.startsWith(unusablePrefix);
}

/** A stored value no password matches, unique per call so it gives nothing away. */
export function unusablePassword(): string {
  return `${unusablePrefix}${randomBytes(30).toString('base64url')}`;
}
