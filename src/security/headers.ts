// The response headers every page should carry, resolved once from the options into a fixed list;
// per request only X-Frame-Options (routes may override it) and HSTS (HTTPS only) vary.
import { CarafeError, type HttpRequest, type HttpResponse, type Middleware } from '../index.js';

export type FrameOptions = 'DENY' | 'SAMEORIGIN';

export type ReferrerPolicy =
  | 'no-referrer'
  | 'no-referrer-when-downgrade'
  | 'origin'
  | 'origin-when-cross-origin'
  | 'same-origin'
  | 'strict-origin'
  | 'strict-origin-when-cross-origin'
  | 'unsafe-url';

export type CrossOriginOpenerPolicy =
  | 'same-origin'
  | 'same-origin-allow-popups'
  | 'noopener-allow-popups'
  | 'unsafe-none';

export interface HeaderOptions {
  /** `X-Content-Type-Options: nosniff` (default on): browsers trust the declared content type. */
  contentTypeNosniff?: boolean;
  /** Default `same-origin`: other sites do not learn which page linked to them. */
  referrerPolicy?: ReferrerPolicy | readonly ReferrerPolicy[] | false;
  /** Default `same-origin`: pages opened from other sites get no handle on this window. */
  crossOriginOpenerPolicy?: CrossOriginOpenerPolicy | false;
  /** Default `DENY`: no site may frame these pages (clickjacking). Per route: `frameOptions(…)`. */
  frameOptions?: FrameOptions | false;
}

export interface HstsOptions {
  /** Seconds browsers remember to use HTTPS only. Start small (300), then a year (31536000). */
  maxAge: number;
  includeSubdomains?: boolean;
  /** Ask to be built into browsers; needs includeSubdomains and maxAge of at least a year. */
  preload?: boolean;
}

export interface ResolvedHeaders {
  readonly fixed: readonly (readonly [string, string])[];
  readonly frameOptions: FrameOptions | false;
  readonly hsts: string | undefined;
}

const referrerPolicies: readonly ReferrerPolicy[] = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
];
const openerPolicies: readonly CrossOriginOpenerPolicy[] = [
  'same-origin',
  'same-origin-allow-popups',
  'noopener-allow-popups',
  'unsafe-none',
];

function optionError(message: string): CarafeError {
  return new CarafeError('CARAFE_SECURITY_OPTION', message);
}

export function resolveHeaders(
  options: HeaderOptions,
  hsts: HstsOptions | undefined,
): ResolvedHeaders {
  const fixed: [string, string][] = [];
  if (options.contentTypeNosniff ?? true) fixed.push(['x-content-type-options', 'nosniff']);
  const referrer = options.referrerPolicy ?? 'same-origin';
  if (referrer !== false) {
    const list = typeof referrer === 'string' ? [referrer] : referrer;
    for (const policy of list) {
      if (!referrerPolicies.includes(policy)) {
        throw optionError(
          `headers.referrerPolicy: ${JSON.stringify(policy)} is not a policy; use one of ${referrerPolicies.join(', ')}, or false.`,
        );
      }
    }
    fixed.push(['referrer-policy', list.join(',')]);
  }
  const opener = options.crossOriginOpenerPolicy ?? 'same-origin';
  if (opener !== false) {
    if (!openerPolicies.includes(opener)) {
      throw optionError(
        `headers.crossOriginOpenerPolicy: ${JSON.stringify(opener)} is not a policy; use one of ${openerPolicies.join(', ')}, or false.`,
      );
    }
    fixed.push(['cross-origin-opener-policy', opener]);
  }
  const frameOptions = options.frameOptions ?? 'DENY';
  checkFrameOptions(frameOptions, 'headers.frameOptions');
  return { fixed, frameOptions, hsts: hsts === undefined ? undefined : hstsValue(hsts) };
}

function checkFrameOptions(value: unknown, where: string): asserts value is FrameOptions | false {
  if (value !== 'DENY' && value !== 'SAMEORIGIN' && value !== false) {
    throw optionError(
      `${where}: ${JSON.stringify(value)} is not valid; use 'DENY', 'SAMEORIGIN' or false.`,
    );
  }
}

function hstsValue(options: HstsOptions): string {
  if (!Number.isInteger(options.maxAge) || options.maxAge < 0) {
    throw optionError(`hsts.maxAge takes whole seconds ≥ 0, got ${String(options.maxAge)}.`);
  }
  if (options.preload && (!options.includeSubdomains || options.maxAge < 31_536_000)) {
    throw optionError(
      'hsts.preload needs includeSubdomains: true and maxAge of at least 31536000 (a year); browsers refuse the preload list otherwise.',
    );
  }
  let value = `max-age=${options.maxAge}`;
  if (options.includeSubdomains) value += '; includeSubDomains';
  if (options.preload) value += '; preload';
  return value;
}

const frameOverrides = new WeakMap<HttpRequest, FrameOptions | false>();

/**
 * Route or blueprint middleware overriding X-Frame-Options there: `frameOptions('SAMEORIGIN')`
 * lets this site frame the page; `frameOptions(false)` sends no header (embeddable widgets).
 */
export function frameOptions(value: FrameOptions | false): Middleware {
  checkFrameOptions(value, 'frameOptions()');
  return (req, next) => {
    frameOverrides.set(req, value);
    return next();
  };
}

/** Adds the headers a response does not already have (a handler's own value wins). */
export function applyHeaders(req: HttpRequest, res: HttpResponse, headers: ResolvedHeaders): void {
  for (const [name, value] of headers.fixed) {
    if (res.header(name) === undefined) res.setHeader(name, value);
  }
  const frame = frameOverrides.has(req) ? frameOverrides.get(req) : headers.frameOptions;
  if (frame !== false && frame !== undefined && res.header('x-frame-options') === undefined) {
    res.setHeader('x-frame-options', frame);
  }
  // Over plain HTTP an attacker could strip or forge it, so browsers ignore it there anyway.
  if (
    headers.hsts !== undefined &&
    req.isSecure &&
    res.header('strict-transport-security') === undefined
  ) {
    res.setHeader('strict-transport-security', headers.hsts);
  }
}
