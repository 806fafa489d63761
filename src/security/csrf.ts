// Cross-site request forgery protection (Django's model): each visitor has a secret, kept in the
// session (or a signed cookie without sessions); pages carry masked tokens of it; every unsafe
// request must send one back, and must come from this site's origin.
import {
  type Carafe,
  CarafeError,
  type CookieOptions,
  type HttpRequest,
  type HttpResponse,
  type Middleware,
  secretKeys,
  sign,
  unsign,
} from '../index.js';
import { Session } from '../sessions/index.js';
import { CsrfFailure, type CsrfFailureReason, type CsrfStorage } from './csrf-failure.js';
import { checkOrigin, parseTrustedOrigins, type TrustedOrigin } from './csrf-origin.js';
import { isSecret, isWellFormedToken, maskSecret, newSecret, tokenMatches } from './csrf-token.js';
import { routeIsProtected } from './exempt.js';

export interface CsrfOptions {
  /** Other origins allowed to post here: `['https://*.example.com', 'https://app.example.org']`. */
  trustedOrigins?: readonly string[];
  /** Where the secret lives: the session when `sessions()` is listed (default), else a signed cookie. */
  storage?: CsrfStorage;
  /** The secret's cookie (cookie storage); defaults to `csrftoken`. */
  cookieName?: string;
  cookie?: Pick<CookieOptions, 'domain' | 'path' | 'secure' | 'sameSite'>;
  /** Header carrying the token from JavaScript; defaults to `X-CSRFToken`. */
  headerName?: string;
  /** Form field carrying the token; defaults to `csrfmiddlewaretoken`. */
  fieldName?: string;
}

export interface CsrfSettings {
  readonly trustedOrigins: readonly TrustedOrigin[];
  readonly storage: CsrfStorage | undefined;
  readonly cookieName: string;
  readonly cookie: NonNullable<CsrfOptions['cookie']>;
  readonly headerName: string;
  readonly fieldName: string;
}

interface InstalledCsrf extends CsrfSettings {
  readonly storage: CsrfStorage;
}

interface CsrfRequestState {
  secret: string | undefined;
  /** A new secret must reach the browser (cookie storage) with this response. */
  setCookie: boolean;
}

const salt = 'carafe.csrf';
const sessionKey = '_csrf_secret';
const oneYear = 365 * 24 * 60 * 60;
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const installed = new WeakMap<Carafe, InstalledCsrf>();
const requestStates = new WeakMap<HttpRequest, CsrfRequestState>();

export function resolveCsrfOptions(options: CsrfOptions): CsrfSettings {
  if (
    options.storage !== undefined &&
    options.storage !== 'session' &&
    options.storage !== 'cookie'
  ) {
    throw new CarafeError(
      'CARAFE_CSRF_OPTION',
      `csrf.storage is 'session' or 'cookie', got ${JSON.stringify(options.storage)}.`,
    );
  }
  return {
    trustedOrigins: parseTrustedOrigins(options.trustedOrigins ?? []),
    storage: options.storage,
    cookieName: options.cookieName ?? 'csrftoken',
    cookie: options.cookie ?? {},
    headerName: (options.headerName ?? 'X-CSRFToken').toLowerCase(),
    fieldName: options.fieldName ?? 'csrfmiddlewaretoken',
  };
}

/** Called from the security app's setup: decides the storage, which depends on the app list. */
export function installCsrf(app: Carafe, settings: CsrfSettings): void {
  const listed = app.config.apps.some((entry) => appName(entry) === 'carafe.sessions');
  const before = app.apps.some((entry) => entry.name === 'carafe.sessions');
  const storage = settings.storage ?? (listed ? 'session' : 'cookie');
  if (storage === 'session' && !before) {
    throw new CarafeError(
      'CARAFE_APP_ORDER',
      listed
        ? 'List sessions() before security() in config.apps: CSRF keeps its secret in the session, which must be open first.'
        : "security({ csrf: { storage: 'session' } }) needs sessions() listed before security() in config.apps.",
    );
  }
  installed.set(app, { ...settings, storage });
}

function appName(entry: unknown): unknown {
  return typeof entry === 'object' && entry !== null && 'name' in entry ? entry.name : undefined;
}

function settingsOf(req: HttpRequest): InstalledCsrf {
  const settings = installed.get(req.app);
  if (settings === undefined) {
    throw new CarafeError(
      'CARAFE_CSRF_NOT_INSTALLED',
      'CSRF protection is not installed: add security() to config.apps (without csrf: false).',
    );
  }
  return settings;
}

function stateOf(req: HttpRequest, settings: InstalledCsrf): CsrfRequestState {
  let state = requestStates.get(req);
  if (state === undefined) {
    state = { secret: readSecret(req, settings), setCookie: false };
    requestStates.set(req, state);
  }
  return state;
}

function readSecret(req: HttpRequest, settings: InstalledCsrf): string | undefined {
  if (settings.storage === 'session') {
    const secret = sessionOf(req).get(sessionKey);
    return isSecret(secret) ? secret : undefined;
  }
  const cookie = req.cookies[settings.cookieName];
  if (cookie === undefined) return undefined;
  try {
    const secret = unsign(cookie, { keys: secretKeys(req.app.config), salt });
    return isSecret(secret) ? secret : undefined;
  } catch {
    return undefined;
  }
}

function sessionOf(req: HttpRequest): Session {
  if (!(req.session instanceof Session)) {
    throw new CarafeError(
      'CARAFE_APP_ORDER',
      'List sessions() before security() in config.apps: CSRF keeps its secret in the session.',
    );
  }
  return req.session;
}

function storeSecret(
  req: HttpRequest,
  settings: InstalledCsrf,
  state: CsrfRequestState,
  secret: string,
): void {
  state.secret = secret;
  if (settings.storage === 'session') sessionOf(req).set(sessionKey, secret);
  else state.setCookie = true;
}

/**
 * A masked CSRF token for the current visitor, different on every call; send it back in the
 * `csrfmiddlewaretoken` field or the `X-CSRFToken` header. Creates the visitor's secret if needed.
 */
export function csrfToken(req: HttpRequest): string {
  const settings = settingsOf(req);
  const state = stateOf(req, settings);
  let secret = state.secret;
  if (secret === undefined) {
    secret = newSecret();
    storeSecret(req, settings, state, secret);
  }
  return maskSecret(secret);
}

/** The form field name tokens are read from (`csrfmiddlewaretoken` unless configured). */
export function csrfFieldName(req: HttpRequest): string {
  return settingsOf(req).fieldName;
}

/** Gives the visitor a new secret, so tokens issued before stop working. Call it at login. */
export function rotateCsrfToken(req: HttpRequest): void {
  const settings = settingsOf(req);
  storeSecret(req, settings, stateOf(req, settings), newSecret());
}

/** Checks unsafe requests before anything else sees them; writes a new secret cookie after. */
export function csrfMiddleware(): Middleware {
  return async (req, next) => {
    if (!safeMethods.has(req.method) && routeIsProtected(req)) await verify(req);
    const res = await next();
    const state = requestStates.get(req);
    if (state?.setCookie && state.secret !== undefined) writeSecretCookie(req, res, state.secret);
    return res;
  };
}

async function verify(req: HttpRequest): Promise<void> {
  const settings = settingsOf(req);
  const fail = (reason: CsrfFailureReason, detail?: string) =>
    new CsrfFailure(reason, { debug: req.isDebug, storage: settings.storage, detail });
  const originProblem = checkOrigin(req, settings.trustedOrigins);
  if (originProblem !== undefined) {
    throw fail(
      originProblem,
      originProblem === 'bad-origin' ? req.header('origin') : req.header('referer'),
    );
  }
  const secret = stateOf(req, settings).secret;
  if (secret === undefined) throw fail('no-secret');
  const token = await sentToken(req, settings);
  if (token === undefined || token === '') throw fail('no-token');
  if (!isWellFormedToken(token)) throw fail('malformed-token');
  if (!tokenMatches(token, secret)) throw fail('wrong-token');
}

async function sentToken(req: HttpRequest, settings: InstalledCsrf): Promise<string | undefined> {
  const header = req.header(settings.headerName);
  if (header !== undefined) return header.trim();
  const type = req.contentType;
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data')
    return undefined;
  return (await req.form()).get(settings.fieldName) ?? undefined;
}

function writeSecretCookie(req: HttpRequest, res: HttpResponse, secret: string): void {
  const settings = settingsOf(req);
  res.setCookie(settings.cookieName, sign(secret, { key: req.app.config.secretKey, salt }), {
    ...settings.cookie,
    maxAge: oneYear,
  });
  res.vary('Cookie');
}
