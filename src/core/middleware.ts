// Middleware is composed once, when the app compiles its routes, never per request.
import type { Middleware } from './handler.js';
import type { HttpRequest } from './http/request.js';
import type { HttpResponse } from './http/response.js';
import { toHttpResponse } from './http/helpers/index.js';

/**
 * A composed request path. It may answer synchronously: when no layer on the path waits, the
 * response comes back without a promise, which the Node server writes at once.
 */
export type Endpoint = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

export type ErrorConverter = (error: unknown, req: HttpRequest) => Promise<HttpResponse>;

/**
 * Wraps `endpoint` in `middleware`, the first one outermost. With `onError`, an error thrown by a
 * layer becomes a response right there, so every outer layer still sees a response (Django's
 * behaviour, used for app middleware); without it errors propagate (route middleware).
 */
export function compose(middleware: readonly Middleware[], endpoint: Endpoint, onError?: ErrorConverter): Endpoint {
  let next = endpoint;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const layer = middleware[i]!;
    const inner = next;
    // `next` promises a response to the middleware, whether or not the inner path waits.
    const callInner = async (req: HttpRequest) => inner(req);
    next = onError
      ? async (req) => {
          try {
            return toHttpResponse(await layer(req, () => callInner(req)));
          } catch (error) {
            return onError(error, req);
          }
        }
      : async (req) => toHttpResponse(await layer(req, () => callInner(req)));
  }
  return next;
}
