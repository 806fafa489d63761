// The response a handler returns. Kept as plain data until the adapter writes it, so the
// Node path can answer with one writeHead + end and the fetch path with one Response.
import type { CookieOptions } from './cookies.js';

export type HeaderValue = string | string[];

/** A file to send; the adapter resolves conditional and Range requests against it. */
export interface FileBody {
  readonly kind: 'file';
  readonly path: string;
  /** Size and mtime, when the caller already did the `stat`. */
  readonly stat?: { size: number; mtimeMs: number };
}

export interface StreamBody {
  readonly kind: 'stream';
  readonly source: AsyncIterable<Uint8Array | string>;
}

export type ResponseBody = null | string | Uint8Array | StreamBody | FileBody;

export interface ResponseInit {
  status?: number;
  headers?: Record<string, HeaderValue>;
}

export interface PendingCookie {
  readonly name: string;
  readonly value: string;
  readonly options: CookieOptions;
}

export class HttpResponse {
  status: number;
  /** Lower-case header names. Set-Cookie lives in `cookies` until the response is written. */
  headers: Record<string, HeaderValue>;
  body: ResponseBody;
  readonly cookies: PendingCookie[] = [];

  constructor(body: ResponseBody = null, init?: ResponseInit) {
    this.body = body;
    this.status = init?.status ?? 200;
    this.headers = init?.headers ? lowerCaseKeys(init.headers) : {};
  }

  header(name: string): HeaderValue | undefined {
    return this.headers[name.toLowerCase()];
  }

  setHeader(name: string, value: HeaderValue): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  /** Adds a value, keeping earlier ones (`Vary`, `Link`, …). */
  appendHeader(name: string, value: string): this {
    const key = name.toLowerCase();
    const current = this.headers[key];
    if (current === undefined) this.headers[key] = value;
    else if (Array.isArray(current)) current.push(value);
    else this.headers[key] = [current, value];
    return this;
  }

  /** Adds a header name to `Vary` once (caches must key on it): `res.vary('Cookie')`. */
  vary(header: string): this {
    const current = this.headers.vary;
    const values = current === undefined ? [] : (Array.isArray(current) ? current : [current]).flatMap((v) => v.split(','));
    const wanted = header.toLowerCase();
    if (!values.some((value) => { const v = value.trim().toLowerCase(); return v === wanted || v === '*'; })) {
      this.appendHeader('vary', header);
    }
    return this;
  }

  removeHeader(name: string): this {
    delete this.headers[name.toLowerCase()];
    return this;
  }

  /**
   * Sets a cookie. Defaults are the safe ones: `Path=/`, `HttpOnly`, `SameSite=Lax`, and
   * `Secure` when the request came over HTTPS (decided when the response is written).
   */
  setCookie(name: string, value: string, options: CookieOptions = {}): this {
    this.cookies.push({ name, value, options });
    return this;
  }

  deleteCookie(name: string, options: Pick<CookieOptions, 'path' | 'domain'> = {}): this {
    this.cookies.push({ name, value: '', options: { ...options, maxAge: 0, expires: new Date(0) } });
    return this;
  }
}

function lowerCaseKeys(headers: Record<string, HeaderValue>): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const key in headers) out[key.toLowerCase()] = headers[key]!;
  return out;
}
