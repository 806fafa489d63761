// The router: routes are added and validated one by one, compiled once, then matched per request
// (a Map lookup for static paths, the segment tree for the rest) and reversed for urlFor.
import { CarafeError } from '../errors.js';
import { createConverterRegistry } from './converters.js';
import { canonicalizePath, isCanonicalPath } from './encoding.js';
import type { MethodTable, RegisteredRoute } from './method-table.js';
import { parsePattern } from './pattern.js';
import { reversePattern, unknownRouteName } from './reverse.js';
import { RouteTree } from './tree.js';
import type { Converter, ReverseOptions, RouteEntry, RouteMatch } from './types.js';

export interface RouterOptions {
  /** Custom converters by name, usable in patterns as `<name:param>`. */
  converters?: Readonly<Record<string, Converter>>;
}

interface CompiledRoutes<Handler> {
  readonly statics: ReadonlyMap<string, MethodTable<Handler>>;
  readonly tree: RouteTree<Handler>;
}

// HTTP method tokens (RFC 9110), upper-case only: methods are case-sensitive and ours are upper.
const methodToken = /^[A-Z0-9!#$%&'*+.^_`|~-]+$/;

function checkMethods(entry: RouteEntry<unknown>): void {
  if (!Array.isArray(entry.methods) || entry.methods.length === 0) {
    throw new CarafeError(
      'CARAFE_ROUTE_METHOD',
      `Route "${entry.name}" (${entry.pattern}) has no methods: list at least one, e.g. ['GET'].`,
    );
  }
  for (const method of entry.methods) {
    if (typeof method !== 'string' || !methodToken.test(method)) {
      throw new CarafeError(
        'CARAFE_ROUTE_METHOD',
        `Route "${entry.name}" (${entry.pattern}) has the method ${JSON.stringify(method)}: ` +
          `methods are upper-case HTTP tokens such as 'GET' or 'POST'.`,
      );
    }
  }
}

export class Router<Handler> {
  readonly #converters: ReadonlyMap<string, Converter>;
  readonly #routes: RegisteredRoute<Handler>[] = [];
  readonly #entries: RouteEntry<Handler>[] = [];
  readonly #byName = new Map<string, RegisteredRoute<Handler>>();
  #compiled: CompiledRoutes<Handler> | undefined;

  constructor(options: RouterOptions = {}) {
    this.#converters = createConverterRegistry(options.converters);
  }

  /** Registers a route; its pattern is parsed and checked now. Call compile() afterwards. */
  add(entry: RouteEntry<Handler>): void {
    if (typeof entry.name !== 'string' || entry.name === '') {
      throw new CarafeError(
        'CARAFE_ROUTE_NAME',
        `The route for ${JSON.stringify(entry.pattern)} has no name: every route needs one for urlFor.`,
      );
    }
    checkMethods(entry);
    const route: RegisteredRoute<Handler> = {
      entry,
      pattern: parsePattern(entry.pattern, this.#converters),
    };
    this.#routes.push(route);
    this.#entries.push(entry);
    if (!this.#byName.has(entry.name)) this.#byName.set(entry.name, route);
    this.#compiled = undefined;
  }

  /** Checks names and conflicts across all routes and builds the lookup structures. */
  compile(): void {
    const seenNames = new Map<string, RegisteredRoute<Handler>>();
    for (const route of this.#routes) {
      const first = seenNames.get(route.entry.name);
      if (first !== undefined) {
        throw new CarafeError(
          'CARAFE_ROUTE_DUPLICATE_NAME',
          `Two routes are named "${route.entry.name}": ${first.entry.pattern} and ${route.entry.pattern}. ` +
            'urlFor needs one route per name: rename one (the `name` option), or register a single ' +
            'route with both methods.',
        );
      }
      seenNames.set(route.entry.name, route);
    }

    const tree = new RouteTree<Handler>();
    const statics = new Map<string, MethodTable<Handler>>();
    const tables = new Set<MethodTable<Handler>>();
    for (const route of this.#routes) {
      const table = tree.insert(route.pattern);
      table.add(route);
      tables.add(table);
      if (route.pattern.isStatic) statics.set(route.pattern.shape, table);
    }
    for (const table of tables) table.seal();
    this.#compiled = { statics, tree };
  }

  /**
   * Finds the route for a raw, percent-encoded path without its query string. Throws
   * `BadRequest` (400) when the path's percent-encoding is invalid.
   */
  match(method: string, rawPath: string): RouteMatch<Handler> {
    const compiled = this.#compiled;
    if (compiled === undefined) {
      throw new CarafeError(
        'CARAFE_ROUTER_NOT_COMPILED',
        'router.match() was called before router.compile(): compile once every route is added.',
      );
    }
    if (rawPath.charCodeAt(0) !== 47 /* / */) return { kind: 'not-found' };
    let path = rawPath;
    let table = compiled.statics.get(path);
    if (table === undefined && !isCanonicalPath(path)) {
      path = canonicalizePath(path);
      table = compiled.statics.get(path);
    }
    const route = table?.lookup(method);
    if (route !== undefined) return { kind: 'found', entry: route.entry, params: {} };
    return compiled.tree.match(method, path);
  }

  /** The URL for the named route, e.g. `reverse('polls.detail', { id: 3 })` gives `/polls/3/`. */
  reverse(name: string, params: Record<string, unknown>, options?: ReverseOptions): string {
    const route = this.#byName.get(name);
    if (route === undefined) throw unknownRouteName(name, this.#byName.keys());
    return reversePattern(name, route.pattern, params, options);
  }

  /** Every route in the order it was added (for `carafe routes`). */
  entries(): readonly RouteEntry<Handler>[] {
    return this.#entries;
  }
}
