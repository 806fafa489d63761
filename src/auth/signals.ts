// Django's user_logged_in / user_logged_out / user_login_failed, for audit logs, throttling and
// the like: `userLoggedIn.connect(({ req, user }) => …)`.
import { Signal } from '../db/index.js';
import type { HttpRequest } from '../index.js';
import type { AuthUser } from './user.js';

export interface UserLoggedInPayload {
  readonly req: HttpRequest;
  readonly user: AuthUser;
}

export interface UserLoggedOutPayload {
  readonly req: HttpRequest;
  /** Who was logged in; `null` when nobody was. */
  readonly user: AuthUser | null;
}

export interface UserLoginFailedPayload {
  readonly req: HttpRequest;
  /** The login name that was tried (never the password). */
  readonly username: string;
  /**
   * `credentials`: unknown name, wrong password or inactive account; `throttled`: refused
   * unchecked, too many failures (`authenticate()` then throws `LoginThrottled`).
   */
  readonly reason: 'credentials' | 'throttled';
}

/** Sent by `login()` once the session is switched and `lastLogin` is saved. */
export const userLoggedIn = new Signal<UserLoggedInPayload>({ name: 'userLoggedIn' });
/** Sent by `logout()` before the session is flushed. */
export const userLoggedOut = new Signal<UserLoggedOutPayload>({ name: 'userLoggedOut' });
/** Sent by `authenticate()` when the credentials match no active user, or it was throttled. */
export const userLoginFailed = new Signal<UserLoginFailedPayload>({ name: 'userLoginFailed' });
