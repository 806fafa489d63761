// Opting a route out of CSRF checks, for APIs authenticated by a token rather than a cookie.
// The marker is an ordinary (pass-through) middleware, so it goes where middleware goes: on a
// route (`{ middleware: [csrfExempt] }`) or on a whole blueprint.
import type { HttpRequest, Middleware } from '../index.js';

/**
 * Route or blueprint middleware that turns CSRF checks off there:
 * `app.post('/hooks/stripe', handler, { middleware: [csrfExempt] })`.
 */
export const csrfExempt: Middleware = (_req, next) => next();

/** A condition under which some middleware turns CSRF checks off, per request. */
export type CsrfExemptCondition = (req: HttpRequest) => boolean;

const conditions = new WeakMap<Middleware, CsrfExemptCondition>();

/**
 * Makes `middleware` also turn CSRF checks off where it is installed (route, blueprint or app),
 * for the requests `condition` accepts — for middleware that authenticates requests by
 * something a browser never sends on its own, such as `carafe/auth`'s `tokenAuth()`. The
 * condition runs before any middleware, so it must decide from the request alone.
 */
export function csrfExemptWhen<M extends Middleware>(
  middleware: M,
  condition: CsrfExemptCondition,
): M {
  conditions.set(middleware, condition);
  return middleware;
}

interface Decision {
  readonly exempt: boolean;
  readonly conditions: readonly CsrfExemptCondition[];
}

const decisions = new WeakMap<object, Decision>();

function decide(middleware: readonly Middleware[], found: CsrfExemptCondition[]): boolean {
  for (const entry of middleware) {
    const condition = conditions.get(entry);
    if (condition !== undefined) found.push(condition);
  }
  return middleware.includes(csrfExempt);
}

/**
 * Whether the route this request reached is protected. Routing runs before middleware, so
 * `req.route` is known here; requests no route answers (404, 405) have nothing to protect.
 */
export function routeIsProtected(req: HttpRequest): boolean {
  const resolved = req.route;
  if (resolved === undefined) return false;
  let decision = decisions.get(resolved);
  if (decision === undefined) {
    const found: CsrfExemptCondition[] = [];
    let exempt = decide(resolved.route.middleware, found);
    for (const blueprint of resolved.lineage)
      exempt = decide(blueprint.middleware, found) || exempt;
    decision = { exempt, conditions: found };
    decisions.set(resolved, decision);
  }
  return !decision.exempt && !decision.conditions.some((condition) => condition(req));
}
