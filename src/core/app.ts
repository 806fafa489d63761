// The application: a root blueprint plus config, compiled once into a router of endpoints.
// `respond` is the one path every request takes, whichever server adapter delivered it.
import type { Logger } from 'pino';
import { Blueprint, type HttpMethod, type Route } from './blueprint.js';
import { type CompiledRoute, compileRoutes, runHooks } from './compile.js';
import { type CarafeConfig, type ConfigWarning, type ResolvedConfig, resolveConfig } from './config/index.js';
import { type ErrorContext, errorToResponse } from './error-response.js';
import { type AppDefinition, isAppDefinition } from './apps.js';
import { BadRequest, CarafeError, MethodNotAllowed, NotFound } from './errors.js';
import type { Handler, LifecycleHook } from './handler.js';
import { redirect, toHttpResponse } from './http/helpers/index.js';
import { HostPolicy, ProxyPolicy } from './http/proxy.js';
import {
  HttpRequest,
  type NameParams,
  type RequestEnvironment,
  type RouteName,
  routeName,
  type UrlForArgs,
  type UrlForOptions,
} from './http/request.js';
import { HttpResponse } from './http/response.js';
import type { RequestSource } from './http/source.js';
import { createLogger, logAccess } from './log.js';
import { type Endpoint, compose } from './middleware.js';
import { type FetchContext, handleFetch } from './server/fetch.js';
import { type ListenOptions, type RunningServer, listen } from './server/node.js';
import type { Converter, ParamsOf, Router } from './router/index.js';
import { createStaticHandler } from './static/index.js';

interface CompiledApp {
  readonly router: Router<CompiledRoute>;
  readonly byName: Map<string, CompiledRoute>;
  /** App middleware and hooks around the routing step. */
  readonly pipeline: Endpoint;
  readonly serveStatic: ((relativePath: string, req: HttpRequest) => Promise<HttpResponse>) | undefined;
  readonly templateFolders: readonly string[];
  readonly staticFolders: readonly string[];
}

/** One row of `app.listRoutes()`. */
export interface RouteInfo {
  /** The qualified name, as `urlFor` takes it: `polls.detail`. */
  readonly name: string;
  readonly methods: readonly HttpMethod[];
  /** The whole pattern, blueprint prefixes included: `/polls/<int:id>/`. */
  readonly pattern: string;
  /** The handler's function name (a view's class name), or `(anonymous)`. */
  readonly handler: string;
}

export interface AppOptions {
  /** Custom path converters, by name: `{ year: { parse, format } }`. */
  converters?: Record<string, Converter>;
}

export class Carafe extends Blueprint {
  readonly config: ResolvedConfig;
  #logger: Logger | undefined;
  readonly #converters: Record<string, Converter>;
  readonly #env: RequestEnvironment;
  readonly #errors: ErrorContext;
  readonly #hosts: HostPolicy;
  readonly #allowedHostCache = new Set<string>();
  readonly #startupHooks: LifecycleHook[] = [];
  readonly #shutdownHooks: LifecycleHook[] = [];
  #compiled: CompiledApp | undefined;
  /** Set at compile: any route's blueprints have teardown hooks. */
  #hasTeardown = false;
  readonly #apps: AppDefinition[] = [];
  readonly #appTemplateFolders: string[] = [];
  readonly #appStaticFolders: string[] = [];

  /**
   * The app's pino logger. Made at the first line logged, so an app that logs nothing (no access
   * log, no errors) never loads pino: about 6 MB of resident memory.
   */
  get logger(): Logger {
    this.#logger ??= createLogger(this.config.log);
    return this.#logger;
  }

  constructor(config: CarafeConfig = {}, options: AppOptions = {}) {
    super('app');
    const warnings: ConfigWarning[] = [];
    this.config = resolveConfig(config, { onWarning: (warning) => warnings.push(warning) });
    for (const warning of warnings) this.logger.warn({ code: warning.code }, warning.message);
    const app = this;
    this.#errors = {
      debug: this.config.debug,
      get logger() {
        return app.logger;
      },
    };
    this.#converters = options.converters ?? {};
    this.#hosts = new HostPolicy(this.config.allowedHosts);
    this.#installApps();
    this.#env = {
      limits: this.config.limits,
      proxy: new ProxyPolicy({ trustedProxies: this.config.trustedProxies }),
      debug: this.config.debug,
      app: this,
      reverse: (name, params, reverseOptions) => this.compile().router.reverse(name, params, reverseOptions),
    };
  }

  /** The apps listed in `config.apps`, in order. */
  get apps(): readonly AppDefinition[] {
    return this.#apps;
  }

  #installApps(): void {
    const names = new Set<string>();
    for (const app of this.config.apps) {
      if (!isAppDefinition(app)) {
        throw new CarafeError('CARAFE_CONFIG', 'Setting `apps`: every entry must come from defineApp({ name, … }).');
      }
      if (names.has(app.name)) {
        throw new CarafeError('CARAFE_CONFIG', `Setting \`apps\`: ${app.name} is listed twice.`);
      }
      names.add(app.name);
      this.#apps.push(app);
      if (app.middleware) this.use(...app.middleware);
      if (app.routes) this.register(app.routes);
      if (app.templates) this.#appTemplateFolders.push(app.templates);
      if (app.static) this.#appStaticFolders.push(app.static);
      app.setup?.(this);
    }
  }

  /** Serves HTTP on Node: `await app.listen({ port: 8000 })`. */
  listen(options?: ListenOptions): Promise<RunningServer> {
    return listen(this, options);
  }

  /** Serves a web-standard `Request` (any fetch-style runtime, tests). */
  fetch(request: Request, context?: FetchContext): Promise<Response> {
    return handleFetch(this, request, context);
  }

  /** Runs before the server starts listening (open pools, warm caches). */
  onStartup(hook: LifecycleHook): this {
    this.#startupHooks.push(hook);
    return this;
  }

  /** Runs on graceful shutdown, after in-flight requests finished (close pools). */
  onShutdown(hook: LifecycleHook): this {
    this.#shutdownHooks.push(hook);
    return this;
  }

  async startup(): Promise<void> {
    this.compile();
    for (const hook of this.#startupHooks) await hook();
  }

  async shutdown(): Promise<void> {
    for (const hook of [...this.#shutdownHooks].reverse()) {
      try {
        await hook();
      } catch (error) {
        this.logger.error({ err: error }, 'shutdown hook failed');
      }
    }
  }

  /** Compiles routes, middleware and hooks; runs once, on the first request or at startup. */
  compile(): CompiledApp {
    if (this.#compiled) return this.#compiled;
    const { router, staticFolders, templateFolders } = compileRoutes(this, this.#converters);
    const byName = new Map<string, CompiledRoute>();
    for (const entry of router.entries()) byName.set(entry.name, entry.handler);
    this.#hasTeardown = [...byName.values()].some((route) => route.lineage.some((bp) => bp.teardownHooks.length > 0));
    // The collected folder comes last: only its hashed copies are not also in the folders above.
    const collected = this.config.staticRoot === undefined ? [] : [this.config.staticRoot];
    const roots = [...this.config.static, ...staticFolders, ...this.#appStaticFolders, ...collected];
    this.#compiled = {
      staticFolders: roots,
      router,
      byName,
      pipeline: this.#pipeline(this.#route.bind(this)),
      serveStatic: roots.length > 0 ? createStaticHandler({ roots: roots.map((dir) => ({ dir })) }) : undefined,
      templateFolders: [...templateFolders, ...this.#appTemplateFolders],
    };
    return this.#compiled;
  }

  /** A reverse lookup without a request (for templates, emails, tests). */
  urlFor<P extends string>(route: Route<P>, ...args: UrlForArgs<ParamsOf<P>>): string;
  urlFor<N extends RouteName>(name: N, ...args: UrlForArgs<NameParams<N>>): string;
  urlFor(target: string | Route, params: object = {}, options?: UrlForOptions): string {
    const compiled = this.compile();
    return compiled.router.reverse(routeName(target), params as Record<string, unknown>, options);
  }

  /** Template folders of the app's blueprints, in registration order (for `carafe/templates`). */
  get templateFolders(): readonly string[] {
    return this.compile().templateFolders;
  }

  /** Static folders: the project's (`config.static`), the blueprints', the apps', then `staticRoot`. */
  get staticFolders(): readonly string[] {
    return this.compile().staticFolders;
  }

  /** The compiled route by qualified name, for tooling (`carafe routes`). */
  routeByName(name: string): CompiledRoute | undefined {
    return this.compile().byName.get(name);
  }

  /** Every route in registration order, read-only, for tooling (`carafe routes`). */
  listRoutes(): readonly RouteInfo[] {
    return this.compile().router.entries().map(({ handler: { name, pattern, route } }) => ({
      name,
      methods: route.methods,
      pattern,
      handler: route.handler.name || '(anonymous)',
    }));
  }

  /**
   * Serves one request from any adapter. Never throws: errors become error responses. With
   * `handler`, the request is not routed: `handler` answers it inside the app's middleware and
   * hooks (see `FetchContext.handler`).
   */
  async handle(source: RequestSource, handler?: Handler): Promise<{ req: HttpRequest; res: HttpResponse }> {
    const req = this.createRequest(source);
    if (handler === undefined) return { req, res: await this.respond(req) };
    let res: HttpResponse;
    try {
      this.#checkHost(req);
      // Composed per call, so the routed path pays nothing for this door.
      res = await this.#pipeline(async (inner) => {
        try {
          return toHttpResponse(await handler(inner));
        } catch (error) {
          return this.errorResponse(error, inner);
        }
      })(req);
    } catch (error) {
      res = await this.errorResponse(error, req);
    }
    return { req, res };
  }

  /** The request object for what an adapter received; `respond` answers it. */
  createRequest(source: RequestSource): HttpRequest {
    return new HttpRequest(source, this.#env);
  }

  /**
   * Routes `req` and runs it through middleware, hooks and its handler; errors become error
   * responses. The response comes back without a promise when nothing on the way waited (the
   * Node server then writes it in the same tick), otherwise as a promise.
   */
  respond(req: HttpRequest): HttpResponse | Promise<HttpResponse> {
    const compiled = this.#compiled ?? this.compile();
    try {
      this.#checkHost(req);
      // Routing happens before middleware, so middleware can see `req.route` (Django's process_view).
      const match = compiled.router.match(req.method, req.rawPath);
      if (match.kind === 'found') {
        req.params = match.params;
        req.route = match.entry.handler;
      }
    } catch (error) {
      return this.errorResponse(error, req);
    }
    // Each layer of the pipeline turns its errors into responses, so this needs no catch.
    return compiled.pipeline(req);
  }

  /** The error response the app would give for `error` on this request (error handlers included). */
  errorResponse(error: unknown, req: HttpRequest): Promise<HttpResponse> {
    return errorToResponse(error, req, req.route?.lineage ?? [this], this.#errors);
  }

  /** Whether `finish` has anything to do for this request; false on the plain hot path. */
  needsFinish(req: HttpRequest): boolean {
    return this.#hasTeardown || this.teardownHooks.length > 0 || this.config.log.accessLog || req.hasParsedForm;
  }

  /** After the response is written: teardown hooks, temp-file cleanup, access log. */
  async finish(req: HttpRequest, res: HttpResponse, startedAt: number, error?: unknown): Promise<void> {
    const lineage = req.route?.lineage ?? [this];
    for (let i = lineage.length - 1; i >= 0; i--) {
      for (const hook of lineage[i]!.teardownHooks) {
        try {
          await hook(req, error);
        } catch (hookError) {
          this.logger.error({ reqId: req.id, err: hookError }, 'teardown hook failed');
        }
      }
    }
    await req.cleanup();
    if (this.config.log.accessLog) logAccess(this.logger, req, res.status, performance.now() - startedAt);
  }

  #checkHost(req: HttpRequest): void {
    // Without trusted proxies the Host header is the host; skip building the client info.
    const host = this.config.trustedProxies.length === 0 ? (req.header('host') ?? '') : req.host;
    if (this.#allowedHostCache.has(host)) return;
    if (!this.#hosts.isAllowed(host)) {
      const hint = this.config.debug ? ` Add ${JSON.stringify(host.replace(/:\d+$/, ''))} to allowedHosts.` : '';
      throw new BadRequest(`Invalid Host header ${JSON.stringify(host)}.${hint}`, {
        code: 'CARAFE_DISALLOWED_HOST',
      });
    }
    if (this.#allowedHostCache.size < 64) this.#allowedHostCache.add(host);
  }

  /** App middleware → app before/after hooks → `inner` (routing, or a caller's handler). */
  #pipeline(inner: Endpoint): Endpoint {
    return compose(this.middleware, this.#withAppHooks(inner), (error, req) => this.errorResponse(error, req));
  }

  #withAppHooks(inner: Endpoint): Endpoint {
    const before = this.beforeRequestHooks;
    const after = [...this.afterRequestHooks].reverse();
    if (before.length === 0 && after.length === 0) return inner;
    return async (req) => {
      try {
        return await runHooks(req, before, after, inner);
      } catch (error) {
        // `inner` answers its own errors; only a hook's error lands here.
        return this.errorResponse(error, req);
      }
    };
  }

  /** Runs the matched route, or answers 404/405/OPTIONS/slash redirects/static files. */
  #route(req: HttpRequest): HttpResponse | Promise<HttpResponse> {
    try {
      const route = req.route as CompiledRoute | undefined;
      const handler = route?.bareHandler;
      if (handler !== undefined) {
        const result = handler(req);
        if (!(result instanceof Promise)) return toHttpResponse(result);
        // One reaction both converts the value and catches: each promise hop costs every request.
        return result.then(
          (value) => this.#toResponse(value, req),
          (error: unknown) => this.errorResponse(error, req),
        );
      }
      const answer = route === undefined ? this.#unmatched(req) : route.endpoint(req);
      return answer instanceof Promise ? answer.catch((error: unknown) => this.errorResponse(error, req)) : answer;
    } catch (error) {
      return this.errorResponse(error, req);
    }
  }

  #toResponse(value: unknown, req: HttpRequest): HttpResponse | Promise<HttpResponse> {
    try {
      return toHttpResponse(value);
    } catch (error) {
      return this.errorResponse(error, req);
    }
  }

  /** No route took the request: OPTIONS, 405, static files, the slash redirect, or 404. */
  async #unmatched(req: HttpRequest): Promise<HttpResponse> {
    const compiled = this.#compiled!;
    const path = req.rawPath;
    // Only failures get here: match again to learn whether the path exists for other methods.
    const match = compiled.router.match(req.method, path);
    if (match.kind === 'method-not-allowed') {
      if (req.method === 'OPTIONS') {
        return new HttpResponse(null, { status: 204, headers: { allow: match.allowed.join(', ') } });
      }
      throw new MethodNotAllowed(match.allowed);
    }
    return this.#notFound(req, path, compiled);
  }

  async #notFound(req: HttpRequest, path: string, compiled: CompiledApp): Promise<HttpResponse> {
    const staticUrl = this.config.staticUrl;
    if (compiled.serveStatic && path.startsWith(staticUrl) && (req.method === 'GET' || req.method === 'HEAD')) {
      return compiled.serveStatic(path.slice(staticUrl.length), req);
    }
    if (this.config.trailingSlash === 'append' && !path.endsWith('/')) {
      const slashed = `${path}/`;
      if (compiled.router.match(req.method, slashed).kind !== 'not-found') {
        const query = req.url.slice(path.length);
        const safeBase = slashed.replace(/^\/+/, '/'); // never `//host`, which browsers read as another site
        return redirect(safeBase + query, req.method === 'GET' || req.method === 'HEAD' ? 301 : 308);
      }
    }
    throw new NotFound();
  }
}
