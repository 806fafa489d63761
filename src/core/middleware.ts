// Middleware is composed once, when the app compiles its routes, never per request.
import type { Middleware } from './handler.js';
import type { HttpRequest } from './http/request.js';
import type { HttpResponse } from './http/response.js';
import { toHttpResponse } from './http/helpers/index.js';

export type Endpoint = (req: HttpRequest) => Promise<HttpResponse>;

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
    next = onError
      ? async (req) => {
          try {
            return toHttpResponse(await layer(req, () => inner(req)));
          } catch (error) {
            return onError(error, req);
          }
        }
      : async (req) => toHttpResponse(await layer(req, () => inner(req)));
  }
  return next;
}
