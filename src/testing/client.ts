// An in-process client: requests go through `app.fetch`, with no sockets, so tests are fast
// and work under any test runner.
import {
  type Carafe,
  CarafeError,
  type Handler,
  type HttpRequest,
  HttpResponse,
} from '../index.js';
import { CookieJar } from './cookie-jar.js';

type QueryValue = string | number | boolean | readonly (string | number)[];

export interface TestRequestOptions {
  query?: Record<string, QueryValue> | URLSearchParams;
  headers?: Record<string, string>;
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string | readonly string[]> | URLSearchParams;
  /** Sent as `multipart/form-data`; use `File`/`Blob` values for uploads. */
  multipart?: FormData | Record<string, string | Blob>;
  /** A raw body, with whatever `content-type` you set in `headers`. */
  body?: string | Uint8Array;
  /** Follow 3xx responses (GET after 301/302/303, same method after 307/308). */
  followRedirects?: boolean;
}

export interface InRequestOptions {
  /** The path the request is for (`/` by default); the jar's cookies for that path are sent. */
  path?: string;
  headers?: Record<string, string>;
}

export interface TestClientOptions {
  /** Scheme and host requests appear to come to; defaults to `http://localhost`. */
  baseUrl?: string;
  followRedirects?: boolean;
  headers?: Record<string, string>;
}

export class TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** The URL that produced this response (after redirects). */
  readonly url: string;
  /** Each redirect followed on the way, as `[status, location]`. */
  readonly redirects: readonly [number, string][];

  constructor(
    status: number,
    headers: Headers,
    body: Buffer,
    url: string,
    redirects: [number, string][],
  ) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.url = url;
    this.redirects = redirects;
  }

  get text(): string {
    return this.body.toString('utf8');
  }

  /** The body parsed as JSON; give the type you expect: `res.json<{ id: number }>()`. */
  json<T = unknown>(): T {
    return JSON.parse(this.text) as T;
  }

  header(name: string): string | null {
    return this.headers.get(name);
  }

  get location(): string | null {
    return this.headers.get('location');
  }
}

export class TestClient {
  readonly cookies = new CookieJar();
  readonly #app: Carafe;
  readonly #baseUrl: string;
  readonly #followRedirects: boolean;
  readonly #headers: Record<string, string>;

  constructor(app: Carafe, options: TestClientOptions = {}) {
    this.#app = app;
    this.#baseUrl = (options.baseUrl ?? 'http://localhost').replace(/\/$/, '');
    this.#followRedirects = options.followRedirects ?? false;
    this.#headers = options.headers ?? {};
  }

  get(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('GET', path, options);
  }
  head(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('HEAD', path, options);
  }
  options(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('OPTIONS', path, options);
  }
  post(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('POST', path, options);
  }
  put(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('PUT', path, options);
  }
  patch(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('PATCH', path, options);
  }
  delete(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('DELETE', path, options);
  }

  async request(
    method: string,
    path: string,
    options: TestRequestOptions = {},
  ): Promise<TestResponse> {
    const redirects: [number, string][] = [];
    let url = this.#url(path, options.query);
    let current = { method, options };
    const follow = options.followRedirects ?? this.#followRedirects;
    for (let hop = 0; ; hop++) {
      const response = await this.#send(current.method, url, current.options);
      const location = response.headers.get('location');
      if (!follow || location === null || response.status < 300 || response.status >= 400) {
        return new TestResponse(response.status, response.headers, response.body, url, redirects);
      }
      if (hop >= 20) throw new Error(`Too many redirects (last: ${location})`);
      redirects.push([response.status, location]);
      url = new URL(location, url).toString();
      const keepMethod = response.status === 307 || response.status === 308;
      current = keepMethod ? current : { method: 'GET', options: { headers: options.headers } };
    }
  }

  /**
   * Sends a GET through the app's middleware and hooks (sessions open `req.session`, auth sets
   * `req.user`…) with `fn` answering it in place of a route, keeps the response's cookies, and
   * returns what `fn` returned. For test helpers that need a request, such as auth's
   * `forceLogin`. An error `fn` throws is thrown here, and the request fails as if a handler had
   * thrown it (a session is not saved).
   */
  async inRequest<T>(
    fn: (req: HttpRequest) => T | Promise<T>,
    options: InRequestOptions = {},
  ): Promise<T> {
    let outcome: { value: T } | { error: unknown } | undefined;
    const handler: Handler = async (req) => {
      try {
        outcome = { value: await fn(req) };
        return new HttpResponse(null, { status: 204 });
      } catch (error) {
        outcome = { error };
        // A plain 500, not the app's error page: the test gets the error itself.
        return new HttpResponse(null, { status: 500 });
      }
    };
    const url = this.#url(options.path ?? '/', undefined);
    const response = await this.#send('GET', url, { headers: options.headers }, handler);
    if (outcome === undefined) {
      const location = response.headers.get('location');
      throw new CarafeError(
        'CARAFE_TEST_IN_REQUEST',
        `client.inRequest(): the app answered ${response.status}${location ? ` (to ${location})` : ''} ` +
          'before the callback ran: a middleware or before-request hook answered early. Check the ' +
          "client's host (allowedHosts) and what your middleware requires of a GET to " +
          `${new URL(url).pathname}, or pass another { path }.`,
      );
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  #url(path: string, query: TestRequestOptions['query']): string {
    const url = new URL(path.startsWith('http') ? path : this.#baseUrl + path);
    if (query) {
      const params = query instanceof URLSearchParams ? query : toSearchParams(query);
      for (const [key, value] of params) url.searchParams.append(key, value);
    }
    return url.toString();
  }

  async #send(method: string, url: string, options: TestRequestOptions, handler?: Handler) {
    const headers = new Headers({ ...this.#headers, ...options.headers });
    const cookie = this.cookies.headerFor(new URL(url).pathname);
    if (cookie !== undefined && !headers.has('cookie')) headers.set('cookie', cookie);
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    } else if (options.form !== undefined) {
      body = options.form instanceof URLSearchParams ? options.form : toSearchParams(options.form);
    } else if (options.multipart !== undefined) {
      body =
        options.multipart instanceof FormData ? options.multipart : toFormData(options.multipart);
    } else if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : new Uint8Array(options.body);
    }
    const response = await this.#app.fetch(new Request(url, { method, headers, body }), {
      handler,
    });
    this.cookies.store(response.headers.getSetCookie());
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body: bytes };
  }
}

function toSearchParams(values: Record<string, QueryValue | readonly string[]>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  return params;
}

function toFormData(values: Record<string, string | Blob>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(values)) form.append(key, value);
  return form;
}
