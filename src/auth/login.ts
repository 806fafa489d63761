// Logging in and out through the session, as Django does: the session holds the user's key and a
// hash derived from their password hash, so changing the password ends every other session.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CarafeError, type HttpRequest, secretKeys } from '../index.js';
import { rotateCsrfToken } from '../security/index.js';
import type { Session } from '../sessions/index.js';
import { hashPassword, verifyPassword } from './passwords/hashers.js';
import { type AuthSettings, settingsOf } from './settings.js';
import { userLoggedIn, userLoggedOut, userLoginFailed } from './signals.js';
import { type AuthRecord, findUser, userPk } from './store.js';
import { type AuthUser, anonymousUser, asAuthUser, authUserOf, type CurrentUser } from './user.js';

/** Session keys, named like Django's `_auth_user_id` / `_auth_user_hash`. */
const userIdKey = '_auth_user_id';
const userHashKey = '_auth_user_hash';

declare module '../sessions/index.js' {
  interface SessionValues {
    /** The logged-in user's primary key (set by `login()`). */
    _auth_user_id: string | number;
    /** Derived from the user's password hash: a changed password ends the session. */
    _auth_user_hash: string;
  }
}

/** Sets `req.user`, replacing the placeholder the middleware leaves on static-file requests. */
export function setRequestUser(req: HttpRequest, user: CurrentUser): void {
  Object.defineProperty(req, 'user', {
    value: user,
    writable: true,
    configurable: true,
    enumerable: true,
  });
}

function sessionHash(password: string, key: string): string {
  return createHmac('sha256', key).update(`carafe.auth.session\0${password}`).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function sessionOf(req: HttpRequest): Session {
  const session: Session | undefined = req.session;
  if (session === undefined) {
    throw new CarafeError(
      'CARAFE_AUTH_NO_SESSION',
      'Logging in needs sessions: list sessions() before auth() in config.apps.',
    );
  }
  return session;
}

/**
 * The user whose login name and password these are, or `null`: unknown name, wrong password
 * or inactive account alike. A hash from an older algorithm (a Django `pbkdf2_sha256` one) is
 * replaced with a current one on success. Takes as long for unknown names as for known ones.
 * Throws `LoginThrottled` (a 429) while the name or the client's address has used up its
 * failed attempts (`auth({ loginThrottle })`), without checking the password.
 */
export async function authenticate(
  req: HttpRequest,
  credentials: { readonly username: string; readonly password: string },
): Promise<AuthUser | null> {
  const settings = settingsOf(req);
  const { username, password } = credentials;
  if (typeof username !== 'string' || typeof password !== 'string') {
    throw new CarafeError(
      'CARAFE_AUTH_CREDENTIALS',
      'authenticate(req, { username, password }) takes two strings; read them from the form first.',
    );
  }
  const throttle = settings.throttle;
  if (throttle !== undefined) {
    try {
      await throttle.check(req, username);
    } catch (error) {
      await userLoginFailed.send({ req, username, reason: 'throttled' });
      throw error;
    }
  }
  const user = await findUser(settings.user, settings.usernameField, username);
  if (user === null) {
    // The time a real check takes, so response times do not reveal which names exist.
    await hashPassword(password);
  } else {
    const { valid, needsUpgrade } = await verifyPassword(password, user.password);
    if (valid && user.isActive) {
      if (needsUpgrade) {
        user.password = await hashPassword(password);
        await user.save({ updateFields: ['password'] });
      }
      await throttle?.succeeded(username);
      return authUserOf(user);
    }
  }
  await throttle?.failed(req, username);
  await userLoginFailed.send({ req, username, reason: 'credentials' });
  return null;
}

/**
 * Logs `user` in for the rest of this visit: a new session id (against session fixation), a
 * fresh CSRF secret when `security()` is listed, `req.user` set, `lastLogin` saved, and
 * `userLoggedIn` sent. A session that belonged to someone else is emptied first.
 */
export async function login(req: HttpRequest, user: AuthUser): Promise<void> {
  const settings = settingsOf(req);
  const session = sessionOf(req);
  const record = user as unknown as AuthRecord;
  const id = userPk(settings.user, record);
  if (id === undefined || id === null || record.isNew) {
    throw new CarafeError('CARAFE_AUTH_LOGIN', 'login(req, user) needs a saved user.');
  }
  const hash = sessionHash(record.password, req.app.config.secretKey);
  const previous = session.get(userIdKey);
  const previousHash = session.get(userHashKey);
  const sameUser =
    previous === id && typeof previousHash === 'string' && sameText(previousHash, hash);
  if (previous !== undefined && !sameUser) session.flush();
  else session.regenerate();
  session.set(userIdKey, id as string | number);
  session.set(userHashKey, hash);
  rotateCsrfIfInstalled(req);
  const authUser = asAuthUser(user);
  setRequestUser(req, authUser);
  record.lastLogin = new Date();
  await record.save({ updateFields: ['lastLogin'] });
  await userLoggedIn.send({ req, user: authUser });
}

function rotateCsrfIfInstalled(req: HttpRequest): void {
  try {
    rotateCsrfToken(req);
  } catch (error) {
    if (!(error instanceof CarafeError && error.code === 'CARAFE_CSRF_NOT_INSTALLED')) throw error;
  }
}

/** Logs the user out: `userLoggedOut` is sent, the session flushed, `req.user` made anonymous. */
export async function logout(req: HttpRequest): Promise<void> {
  const session = sessionOf(req);
  const current = await getUser(req);
  await userLoggedOut.send({ req, user: current.isAuthenticated ? current : null });
  session.flush();
  setRequestUser(req, anonymousUser);
}

/**
 * Keeps this session logged in after the user changed their password (which ends their other
 * sessions): call it right after saving the new password.
 */
export function updateSessionAuthHash(req: HttpRequest, user: AuthUser): void {
  const session = sessionOf(req);
  const record = user as unknown as AuthRecord;
  session.regenerate();
  if (session.get(userIdKey) === userPk(settingsOf(req).user, record)) {
    session.set(userHashKey, sessionHash(record.password, req.app.config.secretKey));
  }
}

/** The user the session names, if their password hash still matches; else anonymous. */
export async function userFromSession(
  req: HttpRequest,
  settings: AuthSettings,
): Promise<CurrentUser> {
  const session = req.session;
  const id = session.get(userIdKey);
  if (id === undefined) return anonymousUser;
  let user: AuthRecord | null;
  try {
    user = await findUser(settings.user, settings.user.meta.pk.name, id);
  } catch (error) {
    // A key of another type than the model's (the user model was swapped): start afresh.
    if (!(error instanceof CarafeError && error.code === 'CARAFE_DB_BAD_VALUE')) throw error;
    session.flush();
    return anonymousUser;
  }
  if (user === null || !user.isActive) return anonymousUser;
  const stored = session.get(userHashKey);
  const keys = secretKeys(req.app.config);
  const matched =
    typeof stored === 'string'
      ? keys.findIndex((key) => sameText(stored, sessionHash(user.password, key)))
      : -1;
  if (matched === -1) {
    // The password changed since this session logged in (or the hash was tampered with).
    session.flush();
    return anonymousUser;
  }
  // Signed with a retired secret key: sign again with the current one.
  if (matched > 0) session.set(userHashKey, sessionHash(user.password, keys[0]!));
  return authUserOf(user);
}

const pending = new WeakMap<HttpRequest, Promise<CurrentUser>>();

/**
 * `req.user`, loading it first where the middleware did not (requests for static files). Use it
 * in app middleware that may see such requests; handlers can read `req.user` directly.
 */
export function getUser(req: HttpRequest): Promise<CurrentUser> {
  const loaded = Object.getOwnPropertyDescriptor(req, 'user');
  if (loaded !== undefined && 'value' in loaded)
    return Promise.resolve(loaded.value as CurrentUser);
  let promise = pending.get(req);
  if (promise === undefined) {
    promise = userFromSession(req, settingsOf(req)).then((user) => {
      setRequestUser(req, user);
      return user;
    });
    pending.set(req, promise);
  }
  return promise;
}
