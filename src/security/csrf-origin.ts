// Where an unsafe request came from: the Origin header when the browser sends one, else (on HTTPS)
// the Referer. A page on another site can make the browser post here, but not lie about these.
import { CarafeError, type HttpRequest } from '../index.js';
import type { CsrfFailureReason } from './csrf-failure.js';

/** A parsed `trustedOrigins` entry: `https://admin.example.com` or `https://*.example.com`. */
export interface TrustedOrigin {
  readonly scheme: 'http' | 'https';
  /** Host with port when one was given, lower-case, without the `*.`. */
  readonly host: string;
  /** `*.example.com`: example.com and every subdomain. */
  readonly wildcard: boolean;
}

const originPattern = /^(https?):\/\/(\*\.)?([^/?#*\s]+)$/i;

export function parseTrustedOrigins(entries: readonly string[]): TrustedOrigin[] {
  if (!Array.isArray(entries)) {
    throw new CarafeError(
      'CARAFE_CSRF_OPTION',
      "csrf.trustedOrigins is a list such as ['https://*.example.com'].",
    );
  }
  return entries.map((entry) => {
    const match = typeof entry === 'string' ? originPattern.exec(entry) : null;
    let host: string | undefined;
    if (match) {
      try {
        host = new URL(`${match[1]}://${match[3]}`).host;
      } catch {
        host = undefined;
      }
    }
    if (!match || host === undefined) {
      throw new CarafeError(
        'CARAFE_CSRF_TRUSTED_ORIGIN',
        `csrf.trustedOrigins: ${JSON.stringify(entry)} is not an origin. Write scheme://host[:port] without a path, ` +
          "e.g. 'https://app.example.com' or 'https://*.example.com' for every subdomain.",
      );
    }
    return {
      scheme: match[1]!.toLowerCase() === 'https' ? 'https' : 'http',
      host,
      wildcard: match[2] !== undefined,
    };
  });
}

function hostMatches(host: string, trusted: TrustedOrigin): boolean {
  if (host === trusted.host) return true;
  return trusted.wildcard && host.endsWith(`.${trusted.host}`);
}

/** The request's own host as a URL would write it: lower-case, without a default port. */
function ownHost(req: HttpRequest): string | undefined {
  try {
    return new URL(`${req.scheme}://${req.host}`).host;
  } catch {
    return undefined;
  }
}

/** Why the request's origin is not acceptable, or undefined when it is. */
export function checkOrigin(
  req: HttpRequest,
  trusted: readonly TrustedOrigin[],
): CsrfFailureReason | undefined {
  const origin = req.header('origin');
  if (origin !== undefined) return originAllowed(origin, req, trusted) ? undefined : 'bad-origin';
  // Without Origin (older browsers, some privacy settings), HTTPS still gives a Referer, which a
  // man in the middle cannot forge; over plain HTTP there is nothing trustworthy to check.
  if (!req.isSecure) return undefined;
  const referer = req.header('referer');
  if (referer === undefined || referer === '') return 'no-referer';
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return 'malformed-referer';
  }
  if (url.protocol !== 'https:') return 'insecure-referer';
  if (url.host === ownHost(req)) return undefined;
  return trusted.some((entry) => hostMatches(url.host, entry)) ? undefined : 'bad-referer';
}

function originAllowed(
  origin: string,
  req: HttpRequest,
  trusted: readonly TrustedOrigin[],
): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin `null`
  }
  if (url.origin !== origin.toLowerCase()) return false;
  const scheme = url.protocol.slice(0, -1);
  if (scheme === req.scheme && url.host === ownHost(req)) return true;
  return trusted.some((entry) => entry.scheme === scheme && hostMatches(url.host, entry));
}
