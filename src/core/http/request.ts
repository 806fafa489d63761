// The request handed to handlers. Everything is parsed on first access, never up front:
// a handler that only reads `params` costs one object allocation.
import type { Readable } from 'node:stream';
import type { Carafe } from '../app.js';
import type { Blueprint, Route } from '../blueprint.js';
import { CarafeError } from '../errors.js';
import type { ParamsOf } from '../router/types.js';
import { type FormBody, parseForm, readBody, parseJson, decodeText } from './body/index.js';
import { parseCookies } from './cookies.js';
import type { RequestLimits } from './limits.js';
import type { ClientInfo, ProxyPolicy } from './proxy.js';
import type { RequestSource, RequestState } from './source.js';

export interface UrlForOptions {
  query?: Record<string, string | number | boolean | readonly (string | number)[]> | URLSearchParams;
  fragment?: string;
  /** Absolute URL using the request's scheme and host. */
  external?: boolean;
}

/**
 * Route names and their params, for typed `urlFor('polls.detail', { id })`. Empty unless a
 * project declares it: `declare module 'carafe' { interface RouteNames { 'polls.detail': { id: number } } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface RouteNames {}

/** Any string until `RouteNames` is declared; then only the declared names. */
export type RouteName = keyof RouteNames extends never ? string : keyof RouteNames & string;

export type NameParams<N extends string> = N extends keyof RouteNames ? RouteNames[N] : Record<string, unknown>;

/** Params are optional only for patterns without any. */
export type UrlForArgs<Params extends object> = {} extends Params
  ? [params?: Params, options?: UrlForOptions]
  : [params: Params, options?: UrlForOptions];

/** What the app lends every request: limits, proxy policy and URL reversing. */
export interface RequestEnvironment {
  readonly limits: RequestLimits;
  readonly proxy: ProxyPolicy;
  readonly debug: boolean;
  /** The app serving the request; batteries key their per-app state on it. */
  readonly app?: Carafe;
  reverse(name: string, params: Record<string, unknown>, options?: UrlForOptions): string;
}

/** What routing found for a request. */
export interface ResolvedRoute {
  /** Qualified name: `polls.detail`. */
  readonly name: string;
  /** Full pattern, prefixes included. */
  readonly pattern: string;
  readonly route: Route;
  /** Blueprints from the app down to the route's own. */
  readonly lineage: readonly Blueprint[];
}

let lastRequestId = 0;
const idPrefix = `${process.pid.toString(36)}-`;
// Ids end up in log lines: accept only short, plain tokens from upstream.
const requestIdPattern = /^[\w.:-]{1,128}$/;

export class HttpRequest<Params extends object = Record<string, unknown>> {
  readonly method: string;
  /** The request target as received, e.g. `/polls/3/?page=2`. */
  readonly url: string;
  /** Path parameters, converted by the route's converters (`<int:id>` gives a number). */
  params: Params;
  /** The matched route (name, pattern, its `Route` and blueprints), set before any middleware runs. */
  route: ResolvedRoute | undefined = undefined;


  readonly #source: RequestSource;
  readonly #env: RequestEnvironment;
  #queryStart: number;
  #path: string | undefined;
  #query: URLSearchParams | undefined;
  #cookies: Record<string, string> | undefined;
  #client: ClientInfo | undefined;
  #body: Promise<Buffer> | undefined;
  #form: Promise<FormBody> | undefined;
  #json: Promise<unknown> | undefined;
  #id: string | undefined;
  #state: Partial<RequestState> | undefined;

  constructor(source: RequestSource, env: RequestEnvironment, params?: Params) {
    this.#source = source;
    this.#env = env;
    this.method = source.method;
    this.url = source.url;
    this.#queryStart = source.url.indexOf('?');
    this.params = params ?? ({} as Params);
  }

  /** Per-request storage for middleware (Flask's `g`). */
  get state(): Partial<RequestState> {
    this.#state ??= {};
    return this.#state;
  }

  /** A process-unique id for logs; a well-formed `X-Request-Id` from a trusted proxy wins. */
  get id(): string {
    if (this.#id === undefined) {
      const forwarded = this.#source.header('x-request-id');
      const peer = this.#source.remoteAddress;
      this.#id =
        forwarded !== undefined && peer !== undefined && requestIdPattern.test(forwarded) && this.#env.proxy.trusts(peer)
          ? forwarded
          : idPrefix + (++lastRequestId).toString(36);
    }
    return this.#id;
  }

  /** The percent-encoded path, without the query string. */
  get rawPath(): string {
    return this.#queryStart === -1 ? this.url : this.url.slice(0, this.#queryStart);
  }

  /** The decoded path (`/café/`), as Django's `request.path`. */
  get path(): string {
    if (this.#path === undefined) {
      const raw = this.rawPath;
      try {
        this.#path = raw.includes('%') ? decodeURIComponent(raw) : raw;
      } catch {
        this.#path = raw;
      }
    }
    return this.#path;
  }

  /** The query string, multi-valued: `query.get('page')`, `query.getAll('tag')`. */
  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.#queryStart === -1 ? '' : this.url.slice(this.#queryStart + 1));
    return this.#query;
  }

  /** One header by case-insensitive name. */
  header(name: string): string | undefined {
    return this.#source.header(name.toLowerCase());
  }

  /** All headers, lower-case names. */
  get headers(): Record<string, string | string[] | undefined> {
    return this.#source.headers();
  }

  get cookies(): Record<string, string> {
    this.#cookies ??= parseCookies(this.#source.header('cookie'));
    return this.#cookies;
  }

  get #clientInfo(): ClientInfo {
    this.#client ??= this.#env.proxy.resolve(this.#source);
    return this.#client;
  }

  /** The client's address; `X-Forwarded-For` is honoured only from trusted proxies. */
  get ip(): string | undefined {
    return this.#clientInfo.ip;
  }

  /** `http` or `https`; `X-Forwarded-Proto` is honoured only from trusted proxies. */
  get scheme(): 'http' | 'https' {
    return this.#clientInfo.scheme;
  }

  get isSecure(): boolean {
    return this.#clientInfo.scheme === 'https';
  }

  /** The host the client asked for, with port if given; validated against `allowedHosts`. */
  get host(): string {
    return this.#clientInfo.host;
  }

  /** The media type of the body, without parameters, lower-case. */
  get contentType(): string | undefined {
    const value = this.#source.header('content-type');
    if (value === undefined) return undefined;
    const semi = value.indexOf(';');
    return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  }

  /** The app serving this request (Flask's `current_app`). */
  get app(): Carafe {
    if (this.#env.app === undefined) {
      throw new CarafeError('CARAFE_NO_APP', 'This request was built without an app; create it through app.handle().');
    }
    return this.#env.app;
  }

  /** The matched route's name (`polls.detail`), or undefined when nothing matched. */
  get routeName(): string | undefined {
    return this.route?.name;
  }

  get isDebug(): boolean {
    return this.#env.debug;
  }

  /** The whole body as bytes, up to `limits.bodySize` (413 above). */
  bytes(): Promise<Buffer> {
    this.#body ??= readBody(this.#source, this.#env.limits.bodySize);
    return this.#body;
  }

  /** The body as text; invalid UTF-8 is a 400. */
  async text(): Promise<string> {
    return decodeText(await this.bytes(), this.#source.header('content-type'));
  }

  /** The body parsed as JSON; malformed JSON is a 400 that says where. */
  json(): Promise<unknown> {
    this.#json ??= this.bytes().then((bytes) => parseJson(bytes, this.#source.header('content-type')));
    return this.#json;
  }

  /** An urlencoded or multipart form. Files above the memory threshold are streamed to disk. */
  form(): Promise<FormBody> {
    this.#form ??= parseForm(this.#source, this.#env.limits);
    return this.#form;
  }

  /** Whether `form()` was called (so temporary upload files may need cleaning up). */
  get hasParsedForm(): boolean {
    return this.#form !== undefined;
  }

  /** The form, if a handler already parsed it (for error pages); never reads the body. */
  async parsedForm(): Promise<FormBody | undefined> {
    return this.#form?.catch(() => undefined);
  }

  /** The raw body stream, readable once; use instead of `bytes`/`json`/`form`, not with them. */
  stream(): AsyncIterable<Uint8Array> | Readable | null {
    return this.#source.body();
  }

  /**
   * Reverse a route: `req.urlFor(detail, { id: 3 })` with the route object (params checked by
   * TypeScript), or by name: `req.urlFor('polls.detail', { id: 3 })`.
   */
  urlFor<P extends string>(route: Route<P>, ...args: UrlForArgs<ParamsOf<P>>): string;
  urlFor<N extends RouteName>(name: N, ...args: UrlForArgs<NameParams<N>>): string;
  urlFor(target: string | Route, params: object = {}, options?: UrlForOptions): string {
    const path = this.#env.reverse(routeName(target), params as Record<string, unknown>, options);
    return options?.external ? `${this.scheme}://${this.host}${path}` : path;
  }

  /** Temporary upload files are removed once the response is sent. */
  async cleanup(): Promise<void> {
    if (this.#form === undefined) return;
    const form = await this.#form.catch(() => undefined);
    await form?.cleanup();
  }
}

/** The qualified name of a route object, or the name itself. */
export function routeName(target: string | Route): string {
  if (typeof target === 'string') return target;
  if (target.qualifiedName === undefined) {
    throw new CarafeError(
      'CARAFE_URLFOR_UNREGISTERED',
      `Route ${target.name} (${target.pattern}) is not part of a compiled app: register its blueprint on the app first.`,
    );
  }
  return target.qualifiedName;
}
