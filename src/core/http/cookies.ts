// Cookie parsing and serialisation (RFC 6265). Contract only — implemented by the request/response work.
export interface CookieOptions {
  maxAge?: number;
  expires?: Date;
  path?: string;
  domain?: string;
  /** Defaults to `true` when the request is HTTPS. */
  secure?: boolean;
  /** Defaults to `true`. */
  httpOnly?: boolean;
  /** Defaults to `'Lax'`. */
  sameSite?: 'Strict' | 'Lax' | 'None';
  partitioned?: boolean;
}

export function parseCookies(_header: string | undefined): Record<string, string> {
  throw new Error('not implemented');
}

/** One `Set-Cookie` value. `secureDefault` applies when `options.secure` is unset. */
export function serializeCookie(
  _name: string,
  _value: string,
  _options: CookieOptions,
  _secureDefault: boolean,
): string {
  throw new Error('not implemented');
}
