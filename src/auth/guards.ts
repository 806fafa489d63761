// Route guards: middleware that lets a request through only for a logged-in user (with a
// permission, or staff). On a route they always apply; on a blueprint or the app they apply to
// every route below, except routes (or inner blueprints) marked `loginNotRequired`.
import {
  CarafeError,
  Forbidden,
  type HandlerResult,
  HttpError,
  type HttpRequest,
  type Middleware,
  redirect,
} from '../index.js';
import { getUser } from './login.js';
import { settingsOf } from './settings.js';
import type { AuthUser } from './user.js';

export interface GuardOptions {
  /** Where anonymous visitors are sent; `auth({ loginUrl })` by default. */
  readonly loginUrl?: string;
  /** The query parameter carrying the page to come back to; `auth({ redirectField })` by default. */
  readonly redirectField?: string;
}

/**
 * Marks a route or blueprint as public under a `loginRequired()` (or other guard) given to an
 * enclosing blueprint or the app — the login page, for one. Django's `login_not_required`.
 */
export const loginNotRequired: Middleware = (_req, next) => next();

type ResolvedRoute = NonNullable<HttpRequest['route']>;
const decisions = new WeakMap<ResolvedRoute, Map<Middleware, boolean>>();

/** Whether `guard`, found on an enclosing blueprint or the app, is switched off for this route. */
function exempt(resolved: ResolvedRoute, guard: Middleware): boolean {
  let known = decisions.get(resolved);
  if (known === undefined) {
    known = new Map();
    decisions.set(resolved, known);
  }
  let decision = known.get(guard);
  if (decision === undefined) {
    const { route, lineage } = resolved;
    if (route.middleware.includes(guard)) {
      decision = false;
    } else {
      // Only markers inside the guard's own blueprint count: an outer `loginNotRequired` does
      // not undo a guard an inner blueprint asked for.
      let from = 0;
      for (let index = lineage.length - 1; index >= 0; index--) {
        if (lineage[index]!.middleware.includes(guard)) {
          from = index + 1;
          break;
        }
      }
      decision =
        route.middleware.includes(loginNotRequired) ||
        lineage.slice(from).some((blueprint) => blueprint.middleware.includes(loginNotRequired));
    }
    known.set(guard, decision);
  }
  return decision;
}

/** Whether the client would rather read JSON than HTML (fetch calls, APIs). */
function wantsJson(req: HttpRequest): boolean {
  const accept = req.header('accept');
  if (accept) {
    const jsonAt = accept.indexOf('json');
    if (jsonAt !== -1) {
      const htmlAt = accept.indexOf('text/html');
      return htmlAt === -1 || jsonAt < htmlAt;
    }
    if (accept.includes('text/html')) return false;
  }
  const type = req.contentType;
  return type !== undefined && (type === 'application/json' || type.endsWith('+json'));
}

function loginUrlOf(req: HttpRequest, given: string): string {
  if (given.startsWith('/') || /^https?:\/\//i.test(given)) return given;
  // A route name: the router checks it and names the closest route on a typo.
  const reverse = req.urlFor as (name: string) => string;
  return reverse.call(req, given);
}

/** A 302 to the login page with `?next=`, or a 401 for clients that asked for JSON. */
function askToLogIn(req: HttpRequest, options: GuardOptions): HandlerResult {
  if (wantsJson(req)) {
    throw new HttpError(401, 'Log in to see this.', { code: 'CARAFE_AUTH_LOGIN_REQUIRED' });
  }
  const settings = settingsOf(req);
  const login = loginUrlOf(req, options.loginUrl ?? settings.loginUrl);
  const absolute = /^https?:\/\//i.test(login);
  const loginPath = absolute ? new URL(login).pathname : login.split('?')[0];
  if (!absolute && loginPath === req.path) {
    throw new CarafeError(
      'CARAFE_AUTH_LOGIN_LOOP',
      `The login page ${login} is itself behind a login guard, so visitors would be sent to it ` +
        'forever: add loginNotRequired to its route.',
    );
  }
  // An off-site login page needs the whole address to send the visitor back.
  const next = absolute ? `${req.scheme}://${req.host}${req.url}` : req.url;
  const field = options.redirectField ?? settings.redirectField;
  const separator = login.includes('?') ? '&' : '?';
  return redirect(`${login}${separator}${encodeURIComponent(field)}=${encodeURIComponent(next)}`);
}

type Check = (user: AuthUser) => Promise<HttpError | undefined>;

function guard(options: GuardOptions, check: Check | undefined): Middleware {
  const middleware: Middleware = async (req, next) => {
    const resolved = req.route;
    // Requests no route answers (404s, static files) have nothing to guard.
    if (resolved === undefined || exempt(resolved, middleware)) return next();
    const user = await getUser(req);
    if (!user.isAuthenticated) return askToLogIn(req, options);
    const refusal = await check?.(user);
    if (refusal !== undefined) throw refusal;
    return next();
  };
  return middleware;
}

/**
 * Lets only logged-in users through; others are redirected to the login page (`?next=` the page
 * they wanted) or, asking for JSON, get a 401. On a route, a blueprint or the whole app:
 * `new Blueprint('account', { middleware: [loginRequired()] })`.
 */
export function loginRequired(options: GuardOptions = {}): Middleware {
  return guard(options, undefined);
}

/**
 * Lets through users with every one of `permissions` (`'polls.change_question'`); a logged-in
 * user without them gets a 403, an anonymous visitor is asked to log in.
 */
export function permissionRequired(
  permissions: string | readonly string[],
  options: GuardOptions = {},
): Middleware {
  const wanted = typeof permissions === 'string' ? [permissions] : [...permissions];
  if (wanted.length === 0 || wanted.some((name) => !/^[^.\s]+\.[^.\s]+$/.test(name))) {
    throw new CarafeError(
      'CARAFE_AUTH_PERMISSION_NAME',
      `permissionRequired() takes 'app.codename' names such as 'polls.change_question', got ${JSON.stringify(permissions)}.`,
    );
  }
  return guard(options, async (user) =>
    (await user.hasPerms(wanted))
      ? undefined
      : new Forbidden('You do not have permission to do this.', {
          code: 'CARAFE_AUTH_PERMISSION_DENIED',
        }),
  );
}

/** Lets through active staff users (`isStaff`); others logged in get a 403. */
export function staffRequired(options: GuardOptions = {}): Middleware {
  return guard(options, async (user) =>
    user.isStaff && user.isActive
      ? undefined
      : new Forbidden('This page is for staff members.', { code: 'CARAFE_AUTH_STAFF_REQUIRED' }),
  );
}
