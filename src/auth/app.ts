// The auth app: its models and migration, and the middleware that puts the logged-in user on
// `req.user` from the session.

import { type AnyModel, swapModel } from '../db/index.js';
import {
  type AppDefinition,
  CarafeError,
  defineApp,
  type HttpRequest,
  type Middleware,
} from '../index.js';
import { registerContextProcessor } from '../templates/index.js';
import { authCommands } from './cli-commands.js';
import { getUser, setRequestUser, userFromSession } from './login.js';
import { Group, Permission, Token, User } from './models.js';
import { type AuthSettings, installSettings } from './settings.js';
import { LoginThrottle, type LoginThrottleOptions } from './throttle.js';
import type { CurrentUser } from './user.js';
import {
  type AuthFields,
  builtInUserModel,
  checkLoginField,
  describeUserModel,
} from './user-model.js';

declare module '../index.js' {
  interface HttpRequest<Params extends object = Record<string, unknown>> {
    /**
     * The logged-in user, or the anonymous user (`req.user.isAuthenticated` tells which);
     * present when `auth()` is listed in `config.apps`.
     */
    user: CurrentUser;
  }
}

export interface AuthOptions {
  /**
   * Your own user model instead of `auth.User` (Django's AUTH_USER_MODEL). Decide before the
   * first migration: other tables point at the users table (relations to `userModel`: the
   * admin's history, API tokens). It needs the fields auth reads (see the authentication guide).
   */
  userModel?: AnyModel & (abstract new (data: never) => AuthFields);
  /** The field people log in with; `username` by default (`email` is common on custom models). */
  usernameField?: string;
  /**
   * Where guards send anonymous visitors: a path, an absolute URL, or a route name such as
   * `accounts.login`. `/accounts/login/` by default, as in Django.
   */
  loginUrl?: string;
  /** The query parameter carrying the page to return to after logging in; `next` by default. */
  redirectField?: string;
  /**
   * Failed logins allowed per login name and per client address before `authenticate()`
   * answers 429 for a while: `{ perAccount: 5, perIp: 20, window: 900, store }` by default
   * (in memory); `false` turns throttling off.
   */
  loginThrottle?: LoginThrottleOptions | false;
  /**
   * `true`: the user is read on demand, not before each handler. A request that never asks for
   * it costs no query even when logged in; `await getUser(req)` (or a guard, or a template's
   * `user`) loads it, and only then can `req.user` be read. `false` by default: `req.user` is
   * ready in every handler.
   */
  lazyUser?: boolean;
}

const settingsByApp = new WeakMap<AppDefinition, AuthSettings>();

/**
 * The settings of the `auth()` listed in `apps` (for commands, which have no request); the
 * defaults when none is listed.
 */
export function authSettingsOf(apps: readonly AppDefinition[] = []): AuthSettings {
  for (const app of apps) {
    const settings = settingsByApp.get(app);
    if (settings !== undefined) return settings;
  }
  return resolveOptions({ loginThrottle: false });
}

/**
 * The auth app: `apps: [sessions(), auth()]`. Users, groups and permissions, `req.user`, and
 * the guards' settings.
 */
export function auth(options: AuthOptions = {}): AppDefinition {
  const settings = resolveOptions(options);
  // Relations to `userModel` (admin history, API tokens, the project's own) follow it from now on.
  if (options.userModel !== undefined) swapModel('auth.User', options.userModel);
  const app = defineApp({
    name: 'carafe.auth',
    // auth.User stays listed (and its table is created) when another model is used, so that the
    // app's migrations always match its models.
    models: [Permission, Group, User, Token],
    migrations: new URL('./migrations/', import.meta.url),
    middleware: [userMiddleware(settings)],
    commands: authCommands,
    setup(app) {
      if (!app.apps.some((entry) => entry.name === 'carafe.sessions')) {
        throw new CarafeError(
          'CARAFE_APP_ORDER',
          'auth() keeps the logged-in user in the session: list sessions() before auth() in config.apps.',
        );
      }
      installSettings(app, settings);
      registerContextProcessor(app, async function userContext(req) {
        return { user: await getUser(req) };
      });
    },
  });
  settingsByApp.set(app, settings);
  return app;
}

function resolveOptions(options: AuthOptions): AuthSettings {
  const user =
    options.userModel === undefined ? builtInUserModel() : describeUserModel(options.userModel);
  const usernameField = options.usernameField ?? 'username';
  checkLoginField(user.meta, usernameField);
  const loginUrl = options.loginUrl ?? '/accounts/login/';
  if (typeof loginUrl !== 'string' || loginUrl === '') {
    throw new CarafeError(
      'CARAFE_AUTH_OPTION',
      'auth({ loginUrl }) takes a path, an absolute URL or a route name, such as /accounts/login/.',
    );
  }
  const redirectField = options.redirectField ?? 'next';
  if (typeof redirectField !== 'string' || redirectField === '') {
    throw new CarafeError('CARAFE_AUTH_OPTION', 'auth({ redirectField }) takes a non-empty name.');
  }
  const throttle =
    options.loginThrottle === false ? undefined : new LoginThrottle(options.loginThrottle);
  const lazyUser = options.lazyUser ?? false;
  if (typeof lazyUser !== 'boolean') {
    throw new CarafeError('CARAFE_AUTH_OPTION', 'auth({ lazyUser }) takes true or false.');
  }
  return { user, usernameField, loginUrl, redirectField, throttle, lazyUser };
}

function notLoadedForStatic(): never {
  throw new CarafeError(
    'CARAFE_AUTH_USER_NOT_LOADED',
    'req.user is not loaded for requests of static files; use `await getUser(req)` there.',
  );
}

function notLoadedYet(): never {
  throw new CarafeError(
    'CARAFE_AUTH_USER_NOT_LOADED',
    'req.user is read on demand (auth({ lazyUser: true })): `await getUser(req)` first, or put a guard such as loginRequired() on the route.',
  );
}

/** Static files answered by the app itself: no route, a GET or HEAD under `staticUrl`. */
function isStaticFile(req: HttpRequest): boolean {
  return (
    req.route === undefined &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    req.path.startsWith(req.app.config.staticUrl)
  );
}

function userMiddleware(settings: AuthSettings): Middleware {
  return async (req, next) => {
    // `req.user` is read synchronously, so unless the project asked for it on demand the user is
    // loaded before the handler runs; a static file never needs it, and would otherwise cost a
    // query each.
    if (isStaticFile(req)) {
      Object.defineProperty(req, 'user', { get: notLoadedForStatic, configurable: true });
    } else if (settings.lazyUser) {
      Object.defineProperty(req, 'user', { get: notLoadedYet, configurable: true });
    } else {
      setRequestUser(req, await userFromSession(req, settings));
    }
    return next();
  };
}
