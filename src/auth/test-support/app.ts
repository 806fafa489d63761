// What the auth tests share: the apps, a migrated database, users with a known password (hashed
// once per process, since each hash takes a while on purpose), and an app with login routes.
import { migrate } from '../../db/migrations/index.js';
import { type AppDefinition, Carafe, type CarafeConfig, json } from '../../index.js';
import { databaseSessions, sessions } from '../../sessions/index.js';
import {
  type AuthOptions,
  asAuthUser,
  auth,
  authenticate,
  hashPassword,
  login,
  logout,
  User,
} from '../index.js';

export const secretKey = 'k'.repeat(48);
export const password = 'correct horse battery staple';

let known: Promise<string> | undefined;
/** The hash of `password`, made once. */
export function knownHash(): Promise<string> {
  known ??= hashPassword(password);
  return known;
}

/** Creates the sessions and auth tables on the test database, through the real migrations. */
export async function migrateAuth(): Promise<void> {
  await migrate({ apps: [sessions(), auth()], output: () => {} });
}

/** A saved `auth.User` whose password is `password`. */
export async function makeUser(
  username: string,
  fields: Partial<Record<'isActive' | 'isStaff' | 'isSuperuser', boolean>> = {},
) {
  return User.objects.create({ username, password: await knownHash(), ...fields });
}

export interface TestAppOptions {
  readonly auth?: AuthOptions;
  readonly config?: Partial<CarafeConfig>;
  /** Apps listed after sessions and auth. */
  readonly apps?: readonly AppDefinition[];
  /** Keep sessions in signed cookies (the default backend) instead of the database. */
  readonly cookieSessions?: boolean;
}

/**
 * sessions (in the database, so session ids can be watched) + auth, with `POST /login/`
 * (`{ username, password }` as JSON), `POST /as/<username>` (logs in without a password, to
 * spare the hashing), `POST /logout/`, `GET /me` and `GET /visit` (puts something in the session).
 */
export function testApp(options: TestAppOptions = {}): Carafe {
  const app = new Carafe({
    secretKey,
    allowedHosts: ['localhost'],
    log: { level: 'silent' },
    ...options.config,
    apps: [
      sessions({ backend: options.cookieSessions ? 'cookie' : databaseSessions() }),
      auth(options.auth),
      ...(options.apps ?? []),
    ],
  });
  app.post(
    '/login/',
    async (req) => {
      const body = (await req.json()) as { username: string; password: string };
      const user = await authenticate(req, body);
      if (user === null) return json({ ok: false }, { status: 401 });
      await login(req, user);
      return { ok: true };
    },
    { name: 'login' },
  );
  app.post(
    '/as/<username>',
    async (req) => {
      await login(req, asAuthUser(await User.objects.get({ username: req.params.username })));
      return { ok: true };
    },
    { name: 'as' },
  );
  app.post(
    '/logout/',
    async (req) => {
      await logout(req);
      return { ok: true };
    },
    { name: 'logout' },
  );
  app.get(
    '/me',
    (req) => ({
      authenticated: req.user.isAuthenticated,
      username: req.user.username,
      visits: req.session.get('visits') ?? null,
    }),
    { name: 'me' },
  );
  app.get(
    '/visit',
    (req) => {
      req.session.set('visits', Number(req.session.get('visits') ?? 0) + 1);
      return { ok: true };
    },
    { name: 'visit' },
  );
  return app;
}
