// Middleware is composed once, when the app compiles its routes, never per request.
import type { Middleware } from './handler.js';
import type { HttpRequest } from './http/request.js';
import type { HttpResponse } from './http/response.js';
import { toHttpResponse } from './http/helpers/index.js';

export type Endpoint = (req: HttpRequest) => Promise<HttpResponse>;

/** Wraps `endpoint` in `middleware`, the first one outermost. */
export function compose(middleware: readonly Middleware[], endpoint: Endpoint): Endpoint {
  let next = endpoint;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const layer = middleware[i]!;
    const inner = next;
    next = async (req) => toHttpResponse(await layer(req, () => inner(req)));
  }
  return next;
}
