// What handlers, middleware and hooks look like. One place for the shapes the rest builds on.
import type { HttpRequest } from './http/request.js';
import type { HttpResponse } from './http/response.js';

/** JSON-serialisable data a handler may return to answer with JSON. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * What a handler may return: an `HttpResponse` (from `json`, `html`, `redirect`…), a web-standard
 * `Response`, a string (sent as HTML) or a plain object/array (sent as JSON).
 */
export type HandlerResult = HttpResponse | Response | string | object;

export type Handler<Params extends object = Record<string, unknown>> = (
  req: HttpRequest<Params>,
) => HandlerResult | Promise<HandlerResult>;

/** Onion middleware: run code around `next()` and return its response, or answer early. */
export type Middleware = (
  req: HttpRequest,
  next: () => Promise<HttpResponse>,
) => HandlerResult | Promise<HandlerResult>;

/** Runs before the handler; returning a result answers early (Flask's `before_request`). */
export type BeforeRequestHook = (req: HttpRequest) => void | HandlerResult | Promise<void | HandlerResult>;

/** Sees (and may replace) every response, error pages included (Flask's `after_request`). */
export type AfterRequestHook = (
  req: HttpRequest,
  res: HttpResponse,
) => void | HttpResponse | Promise<void | HttpResponse>;

/** Runs once the response is sent, even after an error (Flask's `teardown_request`). */
export type TeardownHook = (req: HttpRequest, error: unknown) => void | Promise<void>;

/** Turns an error into a response. */
export type ErrorHandler<E = unknown> = (error: E, req: HttpRequest) => HandlerResult | Promise<HandlerResult>;

export type LifecycleHook = () => void | Promise<void>;
