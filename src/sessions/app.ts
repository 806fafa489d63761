// The sessions app: a middleware that opens `req.session` from the cookie and, once the handler
// is done, writes it back only if something changed.
import {
  type AppDefinition,
  CarafeError,
  type CookieOptions,
  defineApp,
  type HttpRequest,
  type HttpResponse,
  type Middleware,
  secretKeys,
} from '../index.js';
import { registerContextProcessor } from '../templates/index.js';
import { checkCookieSize, decodeCookieSession, encodeCookieSession } from './cookie-backend.js';
import { MessageList } from './messages.js';
import { SessionModel } from './models.js';
import { Session, type SessionContent, SessionState } from './session.js';
import { isSessionId, type SessionStore, type StoredSession } from './store.js';

declare module '../index.js' {
  interface HttpRequest<Params extends object = Record<string, unknown>> {
    /** The visitor's session; present when `sessions()` is listed in `config.apps`. */
    session: Session;
  }
}

export interface SessionsOptions {
  /**
   * `'cookie'` (default): the data signed in the cookie. Or a store: `databaseSessions()`,
   * `redisSessions({ url })`, or your own `SessionStore`.
   */
  backend?: 'cookie' | SessionStore;
  /** Defaults to `sessionid`. */
  cookieName?: string;
  /** Seconds a session lasts unless `session.setExpiry` says otherwise; defaults to two weeks. */
  maxAge?: number;
  /** Write the session on every request that has one, renewing its expiry (sliding sessions). */
  saveEveryRequest?: boolean;
  /** Cookie attributes; the defaults are `Path=/`, `HttpOnly`, `SameSite=Lax`, `Secure` on HTTPS. */
  cookie?: Pick<
    CookieOptions,
    'domain' | 'path' | 'secure' | 'sameSite' | 'httpOnly' | 'partitioned'
  >;
}

const twoWeeks = 14 * 24 * 60 * 60;

/** The sessions app: `new Carafe({ apps: [sessions()] })`, then `req.session` in handlers. */
export function sessions(options: SessionsOptions = {}): AppDefinition {
  const settings = resolveOptions(options);
  const store = settings.backend === 'cookie' ? undefined : settings.backend;
  return defineApp({
    name: 'carafe.sessions',
    // The table of `databaseSessions()`; migrated whatever the backend, as in Django.
    models: [SessionModel],
    migrations: new URL('./migrations/', import.meta.url),
    middleware: [sessionMiddleware(settings)],
    setup(app) {
      const close = store?.close;
      if (close) app.onShutdown(() => close.call(store));
      // Iterating `messages` in a template takes them out of the session; not iterating leaves them.
      registerContextProcessor(app, function messagesContext(req) {
        return { messages: new MessageList(req) };
      });
    },
  });
}

type Settings = Required<Omit<SessionsOptions, 'cookie'>> & {
  cookie: NonNullable<SessionsOptions['cookie']>;
};

function resolveOptions(options: SessionsOptions): Settings {
  const maxAge = options.maxAge ?? twoWeeks;
  if (!Number.isInteger(maxAge) || maxAge <= 0) {
    throw new CarafeError(
      'CARAFE_SESSIONS_OPTION',
      `sessions({ maxAge }) takes whole seconds > 0, got ${String(maxAge)}.`,
    );
  }
  const cookieName = options.cookieName ?? 'sessionid';
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookieName)) {
    throw new CarafeError(
      'CARAFE_SESSIONS_OPTION',
      `sessions({ cookieName: ${JSON.stringify(cookieName)} }) is not a valid cookie name: use letters, digits, '-' or '_'.`,
    );
  }
  const backend = options.backend ?? 'cookie';
  if (backend !== 'cookie' && (typeof backend !== 'object' || typeof backend.load !== 'function')) {
    throw new CarafeError(
      'CARAFE_SESSIONS_OPTION',
      "sessions({ backend }) takes 'cookie' or a SessionStore such as databaseSessions() or redisSessions({ url }).",
    );
  }
  return {
    backend,
    cookieName,
    maxAge,
    saveEveryRequest: options.saveEveryRequest ?? false,
    cookie: options.cookie ?? {},
  };
}

function sessionMiddleware(settings: Settings): Middleware {
  return async (req, next) => {
    const cookie = req.cookies[settings.cookieName];
    const state = await openSession(req, cookie, settings);
    req.session = new Session(state, settings.maxAge);
    const res = await next();
    // As Django: a failed request does not save what it half-changed.
    if (res.status < 500) await commitSession(req, res, state, cookie !== undefined, settings);
    return res;
  };
}

function emptyContent(): SessionContent {
  return { data: new Map(), expiry: undefined };
}

async function openSession(
  req: HttpRequest,
  cookie: string | undefined,
  settings: Settings,
): Promise<SessionState> {
  if (settings.backend === 'cookie') {
    if (cookie === undefined) return new SessionState(emptyContent);
    // Verified on first use only: a request that never touches the session costs no HMAC.
    const state: SessionState = new SessionState(() => {
      const decoded = decodeCookieSession(cookie, secretKeys(req.app.config));
      if (decoded === undefined) return emptyContent();
      state.resign = decoded.rotated;
      return decoded.content;
    });
    return state;
  }
  // A store must be read before the handler runs, because `req.session` reads are synchronous.
  // Requests without a (well-formed) session cookie never reach the store.
  if (cookie === undefined || !isSessionId(cookie)) return new SessionState(emptyContent);
  const stored = await settings.backend.load(cookie);
  if (stored === undefined) return new SessionState(emptyContent);
  const content = { data: new Map(Object.entries(stored.data)), expiry: stored.expiry };
  return new SessionState(() => content, cookie);
}

async function commitSession(
  req: HttpRequest,
  res: HttpResponse,
  state: SessionState,
  hadCookie: boolean,
  settings: Settings,
): Promise<void> {
  if (state.accessed) res.vary('Cookie');
  else if (!(settings.saveEveryRequest && hadCookie)) return;
  const { data, expiry } = state.content;
  const store = settings.backend === 'cookie' ? undefined : settings.backend;
  if (data.size === 0) {
    if (hadCookie && (state.modified || state.cycleId)) {
      if (store && state.id !== undefined) await store.delete(state.id);
      res.deleteCookie(settings.cookieName, {
        path: settings.cookie.path,
        domain: settings.cookie.domain,
      });
    }
    return;
  }
  if (!state.modified && !state.resign && !settings.saveEveryRequest) return;
  // A browser-session cookie (expiry 0) still ends server-side after maxAge.
  const lifetime = expiry === undefined || expiry === 0 ? settings.maxAge : expiry;
  let value: string;
  if (store === undefined) {
    value = encodeCookieSession(state.content, lifetime, req.app.config.secretKey);
    checkCookieSize(settings.cookieName, value);
  } else {
    const stored: StoredSession = { data: Object.fromEntries(data), expiry };
    if (state.id === undefined || state.cycleId) {
      if (state.id !== undefined) await store.delete(state.id);
      state.id = await store.create(stored, lifetime);
      state.cycleId = false;
    } else {
      await store.save(state.id, stored, lifetime);
    }
    value = state.id;
  }
  res.setCookie(settings.cookieName, value, {
    ...settings.cookie,
    maxAge: expiry === 0 ? undefined : lifetime,
  });
}
