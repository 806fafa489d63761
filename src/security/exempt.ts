// Opting a route out of CSRF checks, for APIs authenticated by a token rather than a cookie.
// The marker is an ordinary (pass-through) middleware, so it goes where middleware goes: on a
// route (`{ middleware: [csrfExempt] }`) or on a whole blueprint.
import type { HttpRequest, Middleware } from '../index.js';

/**
 * Route or blueprint middleware that turns CSRF checks off there:
 * `app.post('/hooks/stripe', handler, { middleware: [csrfExempt] })`.
 */
export const csrfExempt: Middleware = (_req, next) => next();

const decisions = new WeakMap<object, boolean>();

/**
 * Whether the route this request reached is protected. Routing runs before middleware, so
 * `req.route` is known here; requests no route answers (404, 405) have nothing to protect.
 */
export function routeIsProtected(req: HttpRequest): boolean {
  const resolved = req.route;
  if (resolved === undefined) return false;
  let exempt = decisions.get(resolved);
  if (exempt === undefined) {
    exempt =
      resolved.route.middleware.includes(csrfExempt) ||
      resolved.lineage.some((blueprint) => blueprint.middleware.includes(csrfExempt));
    decisions.set(resolved, exempt);
  }
  return !exempt;
}
