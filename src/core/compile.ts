// Turns the tree of blueprints into a router of ready-to-run endpoints, once, at startup:
// prefixes joined, names qualified, middleware composed, hooks and error handlers resolved.
import type { Blueprint, Route } from './blueprint.js';
import type { BeforeRequestHook, AfterRequestHook, Handler } from './handler.js';
import type { HttpRequest } from './http/request.js';
import type { HttpResponse } from './http/response.js';
import { toHttpResponse } from './http/helpers/index.js';
import { type Endpoint, compose } from './middleware.js';
import { Router, type Converter } from './router/index.js';

export interface CompiledRoute {
  readonly route: Route;
  readonly name: string;
  readonly pattern: string;
  /** Middleware, hooks and handler, composed. */
  readonly endpoint: Endpoint;
  /** Blueprints from the app (first) down to the route's own, for error handlers and teardown. */
  readonly lineage: readonly Blueprint[];
  /**
   * The handler itself when no middleware or hook of a blueprint or the route wraps it: the app
   * can then turn its result and its errors into a response in one step, not one per layer.
   */
  readonly bareHandler: Handler | undefined;
}

export function compileRoutes(
  app: Blueprint,
  converters: Record<string, Converter>,
): { router: Router<CompiledRoute>; staticFolders: string[]; templateFolders: string[] } {
  const router = new Router<CompiledRoute>({ converters });
  const staticFolders: string[] = [];
  const templateFolders: string[] = [];

  const visit = (blueprint: Blueprint, prefix: string, names: string[], lineage: Blueprint[]) => {
    if (blueprint.static) staticFolders.push(blueprint.static);
    if (blueprint.templates) templateFolders.push(blueprint.templates);
    // The app's own middleware and hooks wrap every request (404s included), not each route.
    const nested = lineage.slice(1);
    const middleware = nested.flatMap((bp) => bp.middleware);
    const before = nested.flatMap((bp) => bp.beforeRequestHooks);
    const after = nested.flatMap((bp) => bp.afterRequestHooks).reverse();
    for (const route of blueprint.routes) {
      const name = [...names, route.name].join('.');
      const pattern = joinPattern(prefix, route.pattern);
      route.qualifiedName = name;
      const layers = [...middleware, ...route.middleware];
      const endpoint = compose(layers, withHooks(route.handler, before, after));
      const bare = layers.length === 0 && before.length === 0 && after.length === 0;
      const bareHandler = bare ? route.handler : undefined;
      router.add({
        name,
        pattern,
        methods: route.methods,
        handler: { route, name, pattern, endpoint, lineage, bareHandler },
      });
    }
    for (const child of blueprint.children) {
      const childPrefix = prefix + (child.prefix ?? child.blueprint.prefix);
      visit(child.blueprint, childPrefix, [...names, child.blueprint.name], [...lineage, child.blueprint]);
    }
  };
  visit(app, app.prefix, [], [app]);
  router.compile();
  return { router, staticFolders, templateFolders };
}

/** Wraps a handler in its blueprints' before/after hooks; a bare handler when there are none. */
export function withHooks(
  handler: Handler,
  before: readonly BeforeRequestHook[],
  after: readonly AfterRequestHook[],
): Endpoint {
  // A handler that answers synchronously (the common case for JSON) is answered without a promise.
  const bare: Endpoint = (req) => {
    const result = handler(req);
    return result instanceof Promise ? result.then(toHttpResponse) : toHttpResponse(result);
  };
  if (before.length === 0 && after.length === 0) return bare;
  return (req) => runHooks(req, before, after, bare);
}

/** Flask's order: before hooks (the first to return something answers early), `inner`, after hooks. */
export async function runHooks(
  req: HttpRequest,
  before: readonly BeforeRequestHook[],
  after: readonly AfterRequestHook[],
  inner: Endpoint,
): Promise<HttpResponse> {
  let response: HttpResponse | undefined;
  for (const hook of before) {
    const early = await hook(req);
    if (early !== undefined) {
      response = toHttpResponse(early);
      break;
    }
  }
  let final = response ?? (await inner(req));
  for (const hook of after) final = (await hook(req, final)) ?? final;
  return final;
}

function joinPattern(prefix: string, pattern: string): string {
  if (prefix === '') return pattern;
  return pattern === '/' ? `${prefix}/` : prefix + pattern;
}
