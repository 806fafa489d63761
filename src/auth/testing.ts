// Logging a test client in without a password (Django's `client.force_login`). It goes through
// `login()` inside a request the client sends, so the session is the one a real login makes, in
// whichever session backend the app uses. The testing import is types only: nothing of it loads.
import type { TestClient } from '../testing/index.js';
import { login, logout } from './login.js';
import { asAuthUser } from './user.js';
import type { UserRow } from './user-model.js';

/**
 * Logs `client` in as `user`, as `login()` does (a new session id, `lastLogin` saved,
 * `userLoggedIn` sent) but without a password, the login form or the throttle. Later requests
 * of the client have `req.user` set to that user. An inactive user is logged in all the same,
 * and is anonymous again from the next request on, as with any session of an inactive user.
 */
export async function forceLogin(client: TestClient, user: UserRow): Promise<void> {
  await client.inRequest((req) => login(req, asAuthUser(user)));
}

/** Logs `client` out, as `logout()` does: the session is flushed and its cookie deleted. */
export async function forceLogout(client: TestClient): Promise<void> {
  await client.inRequest((req) => logout(req));
}
