// Redirects, and the check that keeps a user-supplied `next=` from sending visitors elsewhere.
import { CarafeError } from '../../errors.js';
import { HttpResponse } from '../response.js';

export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Redirects to `location` (302 by default; 303 after a POST, 301/308 for moved-for-good).
 * Characters outside printable ASCII are percent-encoded; control characters are refused.
 */
export function redirect(location: string | URL, status: RedirectStatus = 302): HttpResponse {
  if (!redirectStatuses.has(status)) {
    throw new CarafeError(
      'CARAFE_BAD_REDIRECT_STATUS',
      `redirect() was given status ${String(status)}. Use 301, 302, 303, 307 or 308.`,
    );
  }
  return new HttpResponse(null, {
    status,
    headers: { location: encodeLocation(String(location)) },
  });
}

// C0 controls, DEL and C1 controls: browsers strip or act on them, and CR/LF split headers.
const controlCharacter = /\p{Cc}/u;
const needsEncoding = /[^\u0021-\u007e]+/g;

function encodeLocation(location: string): string {
  if (controlCharacter.test(location)) {
    throw new CarafeError(
      'CARAFE_BAD_REDIRECT',
      `The redirect location ${JSON.stringify(location)} contains a control character (CR, LF, NUL, …). ` +
        'Build it with req.urlFor() or check it with safeRedirect() when it comes from the request.',
    );
  }
  try {
    return location.replace(needsEncoding, encodeURIComponent);
  } catch (error) {
    throw new CarafeError(
      'CARAFE_BAD_REDIRECT',
      `The redirect location ${JSON.stringify(location)} is not valid Unicode (a lone surrogate).`,
      { cause: error },
    );
  }
}

export interface SafeRedirectOptions {
  /** Where to go when the target is missing or unsafe. Default `/`. */
  fallback?: string;
  /** Other hosts (with port, if not the default) that absolute targets may name. */
  allowedHosts?: readonly string[];
  /** Refuse `http:` targets. Defaults to whether the request itself is HTTPS. */
  requireHttps?: boolean;
  status?: RedirectStatus;
}

/** The parts of the request `safeRedirect` reads. */
export interface RedirectRequest {
  readonly host: string;
  readonly isSecure: boolean;
}

/**
 * Redirects to `target` if it stays on this site (a relative path, or an absolute http(s) URL
 * naming the request's host or one of `allowedHosts`), otherwise to `fallback`.
 * Use it for every `?next=` style parameter.
 */
export function safeRedirect(
  req: RedirectRequest,
  target: string | null | undefined,
  options: SafeRedirectOptions = {},
): HttpResponse {
  const hosts = [req.host, ...(options.allowedHosts ?? [])];
  const requireHttps = options.requireHttps ?? req.isSecure;
  const candidate = target?.trim();
  const safe = candidate !== undefined && isSafeRedirectTarget(candidate, hosts, requireHttps);
  return redirect(safe ? candidate : (options.fallback ?? '/'), options.status);
}

/**
 * Django's `url_has_allowed_host_and_scheme`: true for a relative URL, or an absolute one whose
 * scheme is http(s) (https only with `requireHttps`) and whose host is in `allowedHosts`.
 */
export function isSafeRedirectTarget(
  target: string,
  allowedHosts: readonly string[],
  requireHttps = false,
): boolean {
  if (target === '' || anyControlOrInvisible.test(target)) return false;
  const hosts = allowedHosts.map((host) => host.toLowerCase());
  // Browsers read `\` as `/` in URLs, so `/\evil.com` is `//evil.com` to them: check both forms.
  return (
    hasAllowedHostAndScheme(target, hosts, requireHttps) &&
    hasAllowedHostAndScheme(target.replaceAll('\\', '/'), hosts, requireHttps)
  );
}

// Control and format characters (zero-width, bidi): some browsers skip them when parsing.
const anyControlOrInvisible = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;
const schemePrefix = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

function hasAllowedHostAndScheme(
  url: string,
  hosts: readonly string[],
  requireHttps: boolean,
): boolean {
  // Browsers take three or more slashes as scheme-relative; no parser agrees on the rest.
  if (url.startsWith('///')) return false;
  const schemeMatch = schemePrefix.exec(url);
  const rest = schemeMatch === null ? url : url.slice(schemeMatch[0].length);
  let authority = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    authority = end === -1 ? rest.slice(2) : rest.slice(2, 2 + end);
    if (authority === '') return false;
  }
  const scheme = schemeMatch?.[1]?.toLowerCase() ?? (authority === '' ? undefined : 'http');
  if (scheme === undefined) return true;
  // `https:evil.com` and `javascript:…` have a scheme and no authority.
  if (authority === '') return false;
  if (scheme !== 'https' && (requireHttps || scheme !== 'http')) return false;
  // Userinfo (`good.com@evil.com`) is never on the list, so it is refused by the exact match.
  return hosts.includes(authority.toLowerCase());
}
