// The routes that share one URL shape, by method: where HEAD falls back to GET and the 405
// `allowed` list is worked out, once, at compile time.
import { CarafeError } from '../errors.js';
import type { ParsedPattern } from './pattern.js';
import type { RouteEntry } from './types.js';

export interface RegisteredRoute<Handler> {
  readonly entry: RouteEntry<Handler>;
  readonly pattern: ParsedPattern;
}

export class MethodTable<Handler> {
  readonly #byMethod = new Map<string, RegisteredRoute<Handler>>();
  #allowed: readonly string[] = [];

  /** The methods a 405 answer lists: declared ones, HEAD when GET is there, and OPTIONS. */
  get allowed(): readonly string[] {
    return this.#allowed;
  }

  add(route: RegisteredRoute<Handler>): void {
    for (const method of route.entry.methods) {
      const existing = this.#byMethod.get(method);
      if (existing !== undefined && existing !== route) {
        throw new CarafeError(
          'CARAFE_ROUTE_CONFLICT',
          `Routes "${existing.entry.name}" (${existing.entry.pattern}) and "${route.entry.name}" ` +
            `(${route.entry.pattern}) both answer ${method} for the same URLs: only the first could ever ` +
            'be reached. Remove one, give them different methods, or change one pattern.',
        );
      }
      this.#byMethod.set(method, route);
    }
  }

  /** Call once every route is added. */
  seal(): void {
    const get = this.#byMethod.get('GET');
    if (get !== undefined && !this.#byMethod.has('HEAD')) this.#byMethod.set('HEAD', get);
    const allowed = [...this.#byMethod.keys()].filter((method) => method !== 'OPTIONS');
    allowed.push('OPTIONS');
    this.#allowed = Object.freeze(allowed);
  }

  lookup(method: string): RegisteredRoute<Handler> | undefined {
    return this.#byMethod.get(method);
  }
}

/** Joins the allowed lists of every route whose pattern matched, keeping OPTIONS last. */
export function mergeAllowed<Handler>(tables: readonly MethodTable<Handler>[]): readonly string[] {
  if (tables.length === 1) return tables[0]!.allowed;
  const merged = new Set<string>();
  for (const table of tables) {
    for (const method of table.allowed) if (method !== 'OPTIONS') merged.add(method);
  }
  merged.add('OPTIONS');
  return [...merged];
}
