// A blueprint collects routes, middleware, hooks and error handlers under a name and a URL
// prefix (Flask's Blueprint). Nothing is compiled here; the app does that once at startup.
import { CarafeError } from './errors.js';
import type {
  AfterRequestHook,
  BeforeRequestHook,
  ErrorHandler,
  Handler,
  Middleware,
  TeardownHook,
} from './handler.js';
import type { ParamsOf } from './router/index.js';
import { type ViewClass, viewHandler, viewMethods } from './views.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface RouteOptions {
  /** The route's name within its blueprint; defaults to the handler's function name. */
  name?: string;
  /** Middleware for this route only, innermost. */
  middleware?: readonly Middleware[];
}

/** A registered route. Pass it to `urlFor` for fully typed params. */
export class Route<Pattern extends string = string> {
  /** The fully qualified name (`polls.detail`), known once the app has compiled its routes. */
  qualifiedName: string | undefined = undefined;
  constructor(
    readonly blueprint: Blueprint,
    readonly name: string,
    readonly pattern: Pattern,
    readonly methods: readonly HttpMethod[],
    readonly handler: Handler<ParamsOf<Pattern>>,
    readonly middleware: readonly Middleware[],
  ) {}
}

export interface BlueprintOptions {
  /** URL prefix for every route, e.g. `/polls`. */
  prefix?: string;
  middleware?: readonly Middleware[];
  /** A folder of templates for this blueprint (used by `carafe/templates`). */
  templates?: string;
  /** A folder of static files served under the app's `staticUrl`. */
  static?: string;
}

type ErrorKey = number | (abstract new (...args: never[]) => unknown);

export class Blueprint {
  readonly name: string;
  readonly prefix: string;
  readonly templates: string | undefined;
  readonly static: string | undefined;
  readonly middleware: Middleware[];
  readonly routes: Route[] = [];
  readonly children: { blueprint: Blueprint; prefix: string | undefined }[] = [];
  readonly beforeRequestHooks: BeforeRequestHook[] = [];
  readonly afterRequestHooks: AfterRequestHook[] = [];
  readonly teardownHooks: TeardownHook[] = [];
  readonly errorHandlers = new Map<ErrorKey, ErrorHandler<never>>();

  constructor(name: string, options: BlueprintOptions = {}) {
    if (!/^[A-Za-z_][\w-]*$/.test(name)) {
      throw new CarafeError(
        'CARAFE_BLUEPRINT_NAME',
        `Blueprint name ${JSON.stringify(name)} is not valid: use letters, digits, '_' or '-' (it prefixes route names, as in 'polls.detail').`,
      );
    }
    this.name = name;
    this.prefix = normalisePrefix(options.prefix ?? '');
    this.templates = options.templates;
    this.static = options.static;
    this.middleware = [...(options.middleware ?? [])];
  }

  get<P extends string>(pattern: P, handler: Handler<ParamsOf<P>>, options?: RouteOptions): Route<P> {
    return this.route(['GET'], pattern, handler, options);
  }

  post<P extends string>(pattern: P, handler: Handler<ParamsOf<P>>, options?: RouteOptions): Route<P> {
    return this.route(['POST'], pattern, handler, options);
  }

  put<P extends string>(pattern: P, handler: Handler<ParamsOf<P>>, options?: RouteOptions): Route<P> {
    return this.route(['PUT'], pattern, handler, options);
  }

  patch<P extends string>(pattern: P, handler: Handler<ParamsOf<P>>, options?: RouteOptions): Route<P> {
    return this.route(['PATCH'], pattern, handler, options);
  }

  delete<P extends string>(pattern: P, handler: Handler<ParamsOf<P>>, options?: RouteOptions): Route<P> {
    return this.route(['DELETE'], pattern, handler, options);
  }

  options<P extends string>(pattern: P, handler: Handler<ParamsOf<P>>, options?: RouteOptions): Route<P> {
    return this.route(['OPTIONS'], pattern, handler, options);
  }

  /** A route answering several methods with one handler: `route(['GET', 'POST'], …)`. */
  route<P extends string>(
    methods: readonly HttpMethod[],
    pattern: P,
    handler: Handler<ParamsOf<P>>,
    options: RouteOptions = {},
  ): Route<P> {
    const upper = methods.map((m) => m.toUpperCase());
    for (const method of upper) {
      if (!(HTTP_METHODS as readonly string[]).includes(method)) {
        throw new CarafeError(
          'CARAFE_ROUTE_METHOD',
          `Route ${pattern}: unknown method ${method}; use one of ${HTTP_METHODS.join(', ')}.`,
        );
      }
    }
    const name = options.name ?? (handler.name || undefined);
    if (name === undefined) {
      throw new CarafeError(
        'CARAFE_ROUTE_NAME',
        `Route ${upper.join(',')} ${pattern} needs a name: pass { name: '…' } or use a named function.`,
      );
    }
    const route = new Route(this, name, pattern, upper as HttpMethod[], handler, options.middleware ?? []);
    this.routes.push(route as unknown as Route);
    return route;
  }

  /** A class-based view: one method per verb (`get`, `post`, …), one instance per request. */
  view<P extends string>(pattern: P, View: ViewClass<P>, options: RouteOptions = {}): Route<P> {
    const methods = viewMethods(View);
    if (methods.length === 0) {
      throw new CarafeError('CARAFE_VIEW_METHODS', `View ${View.name} defines no method handlers (get, post, …).`);
    }
    const name = options.name ?? View.name;
    return this.route(methods, pattern, viewHandler(View), { ...options, name });
  }

  /** Adds middleware for every route of this blueprint (and its children), outermost first. */
  use(...middleware: Middleware[]): this {
    this.middleware.push(...middleware);
    return this;
  }

  beforeRequest(hook: BeforeRequestHook): this {
    this.beforeRequestHooks.push(hook);
    return this;
  }

  afterRequest(hook: AfterRequestHook): this {
    this.afterRequestHooks.push(hook);
    return this;
  }

  teardown(hook: TeardownHook): this {
    this.teardownHooks.push(hook);
    return this;
  }

  /** Handle errors by status (`404`) or by class (`ValidationError`); the closest blueprint wins. */
  errorHandler<E>(key: number | (abstract new (...args: never[]) => E), handler: ErrorHandler<E>): this {
    this.errorHandlers.set(key, handler as ErrorHandler<never>);
    return this;
  }

  /** Mounts a child blueprint; its prefix and route names nest under this one. */
  register(blueprint: Blueprint, options: { prefix?: string } = {}): this {
    if (blueprint === this) {
      throw new CarafeError('CARAFE_BLUEPRINT_CYCLE', `Blueprint ${this.name} cannot be registered on itself.`);
    }
    this.children.push({ blueprint, prefix: options.prefix === undefined ? undefined : normalisePrefix(options.prefix) });
    return this;
  }
}

function normalisePrefix(prefix: string): string {
  if (prefix === '' || prefix === '/') return '';
  const withSlash = prefix.startsWith('/') ? prefix : `/${prefix}`;
  return withSlash.endsWith('/') ? withSlash.slice(0, -1) : withSlash;
}
