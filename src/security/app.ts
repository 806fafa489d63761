// The security app: listing `security()` turns on CSRF checks and the safe response headers;
// each is turned off by a visible option (`security({ csrf: false })`).
import {
  type AppDefinition,
  defineApp,
  type Middleware,
  redirect,
} from '../index.js';
import { applyCsp, type CompiledCsp, type CspOptions, compileCsp } from './csp.js';
import { type CsrfOptions, csrfMiddleware, installCsrf, resolveCsrfOptions } from './csrf.js';
import {
  applyHeaders,
  type HeaderOptions,
  type HstsOptions,
  type ResolvedHeaders,
  resolveHeaders,
} from './headers.js';
import { registerTemplateContext } from './template-context.js';

export interface SecurityOptions {
  /** CSRF protection, on by default; `false` turns it off for the whole site. */
  csrf?: CsrfOptions | false;
  /** The always-on headers (nosniff, Referrer-Policy, COOP, X-Frame-Options). */
  headers?: HeaderOptions;
  /** Strict-Transport-Security on HTTPS responses; off unless given. */
  hsts?: HstsOptions;
  /** Answer plain-HTTP requests with a 301 to the same URL on HTTPS. */
  sslRedirect?: boolean;
  /** A Content-Security-Policy with a per-response nonce; off unless given. */
  csp?: CspOptions;
}

/** `new Carafe({ apps: [sessions(), security()] })`: CSRF and security headers, on by default. */
export function security(options: SecurityOptions = {}): AppDefinition {
  const headers = resolveHeaders(options.headers ?? {}, options.hsts);
  const csp = options.csp === undefined ? undefined : compileCsp(options.csp);
  const csrf = options.csrf === false ? undefined : resolveCsrfOptions(options.csrf ?? {});
  const middleware: Middleware[] = [headersMiddleware(headers, csp, options.sslRedirect ?? false)];
  if (csrf) middleware.push(csrfMiddleware());
  return defineApp({
    name: 'carafe.security',
    middleware,
    setup(app) {
      if (csrf) installCsrf(app, csrf);
      registerTemplateContext(app, { csrf: csrf !== undefined });
    },
  });
}

function headersMiddleware(
  headers: ResolvedHeaders,
  csp: CompiledCsp | undefined,
  sslRedirect: boolean,
): Middleware {
  return async (req, next) => {
    if (sslRedirect && !req.isSecure) {
      const res = redirect(`https://${req.host}${req.url}`, 301);
      applyHeaders(req, res, headers);
      return res;
    }
    // Errors from inner middleware (a CSRF failure) already arrive here as error responses.
    const res = await next();
    applyHeaders(req, res, headers);
    if (csp) applyCsp(req, res, csp);
    return res;
  };
}

