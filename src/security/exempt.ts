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
 * Whether the route this request will reach is protected. App middleware runs before routing,
 * so the route is looked up here; requests no route answers (404, 405) have nothing to protect.
 */
export function routeIsProtected(req: HttpRequest): boolean {
  const match = req.app.compile().router.match(req.method, req.rawPath);
  if (match.kind !== 'found') return false;
  const compiled = match.entry.handler;
  let exempt = decisions.get(compiled);
  if (exempt === undefined) {
    exempt =
      compiled.route.middleware.includes(csrfExempt) ||
      compiled.lineage.some((blueprint) => blueprint.middleware.includes(csrfExempt));
    decisions.set(compiled, exempt);
  }
  return !exempt;
}
