// Password reset tokens, as Django makes them: nothing is stored. A token is a timestamp and an
// HMAC (with the secret key) over the user's key, password hash, last login and email, and that
// timestamp. Setting the new password changes the hash and logging in changes the last login,
// so a token stops working once used; the timestamp makes it expire.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Carafe, CarafeError, secretKeys } from '../index.js';
import { type AuthRecord, recordPk } from './store.js';
import type { AuthUser } from './user.js';

export interface PasswordResetTokenOptions {
  /** Seconds a token stays valid; 3 days by default (Django's PASSWORD_RESET_TIMEOUT). */
  readonly timeout?: number;
  /** The clock, in milliseconds; `Date.now` by default (tests pass their own). */
  readonly now?: () => number;
}

const threeDays = 3 * 24 * 60 * 60;
const tokenPattern = /^([0-9a-z]{1,10})-([A-Za-z0-9_-]{22})$/;

function stamp(value: Date | null | undefined): string {
  // Whole seconds: some databases keep fewer fractional digits than JavaScript has.
  return value instanceof Date ? String(Math.floor(value.getTime() / 1000)) : '';
}

function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
    ? String(value)
    : '';
}

/**
 * Makes and checks password reset tokens (Django's `PasswordResetTokenGenerator`).
 * `authViews()` uses one with the default timeout; pass your own to change it.
 */
export class PasswordResetTokenGenerator {
  /** Seconds a token stays valid. */
  readonly timeout: number;
  readonly #now: () => number;

  constructor(options: PasswordResetTokenOptions = {}) {
    const timeout = options.timeout ?? threeDays;
    if (!Number.isSafeInteger(timeout) || timeout < 1) {
      throw new CarafeError(
        'CARAFE_AUTH_OPTION',
        `PasswordResetTokenGenerator({ timeout }) takes whole seconds above 0, got ${String(timeout)}.`,
      );
    }
    this.timeout = timeout;
    this.#now = options.now ?? Date.now;
  }

  /** A token for `user`, signed with the app's `secretKey`. */
  makeToken(app: Carafe, user: AuthUser): string {
    const key = app.config.secretKey;
    const timestamp = Math.floor(this.#now() / 1000).toString(36);
    return `${timestamp}-${this.#signature(user, timestamp, key)}`;
  }

  /**
   * Whether `token` was made for `user` as they are now (same password, same last login), is
   * not older than `timeout`, and was signed with the app's `secretKey` or one of its
   * `secretKeyFallbacks`.
   */
  checkToken(app: Carafe, user: AuthUser, token: string): boolean {
    if (typeof token !== 'string') return false;
    const match = tokenPattern.exec(token);
    if (match === null) return false;
    const [, timestamp, signature] = match as unknown as [string, string, string];
    const given = Buffer.from(signature);
    const valid = secretKeys(app.config).some((key) => {
      const expected = Buffer.from(this.#signature(user, timestamp, key));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!valid) return false;
    const age = Math.floor(this.#now() / 1000) - Number.parseInt(timestamp, 36);
    return age <= this.timeout;
  }

  #signature(user: AuthUser, timestamp: string, key: string): string {
    const record = user as unknown as AuthRecord & { email?: unknown };
    const value = [
      'carafe.auth.passwordReset',
      textOf(recordPk(record)),
      textOf(record.password),
      stamp(record.lastLogin),
      textOf(record.email),
      timestamp,
    ].join('\0');
    // 128 bits of the HMAC: as long as a guess is hopeless, short enough for a link.
    return createHmac('sha256', key).update(value).digest().subarray(0, 16).toString('base64url');
  }
}
