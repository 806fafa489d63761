// Cookie parsing and serialisation (RFC 6265).
import { CarafeError } from '../errors.js';

export interface CookieOptions {
  /** Seconds until the cookie expires; also sets `Expires` for old clients. `0` deletes it. */
  maxAge?: number;
  expires?: Date;
  /** Defaults to `/`. */
  path?: string;
  domain?: string;
  /** Defaults to `true` when the request is HTTPS. */
  secure?: boolean;
  /** Defaults to `true`. */
  httpOnly?: boolean;
  /** Defaults to `'Lax'`. `'None'` forces `Secure`, as browsers require. */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** CHIPS partitioned cookie; forces `Secure`, as browsers require. */
  partitioned?: boolean;
}

/**
 * `a=1; b="two"; c=%C3%A9` → `{ a: '1', b: 'two', c: 'é' }`. Lenient, as browsers are: pairs
 * without `=` or with control characters are skipped, the first of a repeated name wins, and
 * a value whose %-escapes do not decode is kept as sent. The result has no prototype, so a
 * cookie named `__proto__` is an ordinary entry.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null);
  if (header === undefined || header === '') return cookies;
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end) {
      const name = header.slice(start, eq).trim();
      if (name !== '' && !(name in cookies) && !controlCharacter.test(name)) {
        const value = unquote(header.slice(eq + 1, end).trim());
        if (!controlCharacter.test(value)) cookies[name] = decodeValue(value);
      }
    }
    start = end + 1;
  }
  return cookies;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const controlCharacter = /[\u0000-\u001f\u007f]/;

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1)
    : value;
}

function decodeValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** RFC 7230 token: visible ASCII except separators. */
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 6265 cookie-octets, minus `%` (which we use for escapes). */
const plainValuePattern = /^[\x21\x23\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const unsafeInAttribute = /[;\r\n\u0000-\u001f\u007f]/;

/** One `Set-Cookie` value. `secureDefault` applies when `options.secure` is unset. */
export function serializeCookie(
  name: string,
  value: string,
  options: CookieOptions,
  secureDefault: boolean,
): string {
  if (!tokenPattern.test(name)) {
    throw new CarafeError(
      'CARAFE_COOKIE_NAME',
      `Invalid cookie name ${JSON.stringify(name)}: use letters, digits and !#$%&'*+-.^_\`|~ ` +
        'only (no spaces, quotes, commas, semicolons or "=").',
    );
  }
  const hostPrefixed = name.startsWith('__Host-');
  const path = options.path ?? '/';
  checkAttribute('path', path);
  if (options.domain !== undefined) checkAttribute('domain', options.domain);
  if (hostPrefixed && (options.domain !== undefined || path !== '/')) {
    throw new CarafeError(
      'CARAFE_COOKIE_OPTION',
      `A "__Host-" cookie (${name}) must have path "/" and no domain; browsers ignore it otherwise.`,
    );
  }
  let cookie = `${name}=${encodeValue(value)}; Path=${path}`;
  if (options.domain !== undefined) cookie += `; Domain=${options.domain}`;
  if (options.maxAge !== undefined) {
    if (!Number.isFinite(options.maxAge)) {
      throw new CarafeError(
        'CARAFE_COOKIE_OPTION',
        `Cookie maxAge must be a finite number of seconds, got ${options.maxAge}.`,
      );
    }
    const seconds = Math.floor(options.maxAge);
    cookie += `; Max-Age=${seconds}`;
    const expires = options.expires ?? new Date(Date.now() + seconds * 1000);
    cookie += `; Expires=${expires.toUTCString()}`;
  } else if (options.expires !== undefined) {
    cookie += `; Expires=${options.expires.toUTCString()}`;
  }
  if (options.httpOnly ?? true) cookie += '; HttpOnly';
  const sameSite = options.sameSite ?? 'Lax';
  const secure =
    (options.secure ?? secureDefault) ||
    sameSite === 'None' ||
    options.partitioned === true ||
    hostPrefixed ||
    name.startsWith('__Secure-');
  if (secure) cookie += '; Secure';
  cookie += `; SameSite=${sameSite}`;
  if (options.partitioned) cookie += '; Partitioned';
  return cookie;
}

function checkAttribute(option: 'path' | 'domain', value: string): void {
  if (unsafeInAttribute.test(value)) {
    throw new CarafeError(
      'CARAFE_COOKIE_OPTION',
      `Cookie ${option} ${JSON.stringify(value)} contains ";" or a control character, which ` +
        'would inject attributes into Set-Cookie. Pass a plain path or domain.',
    );
  }
}

/** Percent-encodes everything outside cookie-octets (and `%` itself), so parsing gives it back. */
function encodeValue(value: string): string {
  if (plainValuePattern.test(value)) return value;
  let encoded = '';
  for (const char of value) {
    if (plainValuePattern.test(char)) {
      encoded += char;
      continue;
    }
    try {
      encoded += encodeURIComponent(char);
    } catch {
      throw new CarafeError(
        'CARAFE_COOKIE_VALUE',
        'Cookie value contains a lone UTF-16 surrogate, which cannot be encoded. Pass a well-formed string.',
      );
    }
  }
  return encoded;
}
