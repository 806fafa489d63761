// Class-based views (Flask's MethodView, Django's View): one method per HTTP verb,
// a fresh instance per request so instance fields never leak between requests.
import type { HttpMethod } from './blueprint.js';
import type { Handler, HandlerResult } from './handler.js';
import type { HttpRequest } from './http/request.js';
import type { ParamsOf } from './router/index.js';

/** The request type a route with this pattern receives: `RequestFor<'/q/<int:id>/'>`. */
export type RequestFor<P extends string> = HttpRequest<ParamsOf<P>>;

type VerbHandler<P extends string> = (req: HttpRequest<ParamsOf<P>>) => HandlerResult | Promise<HandlerResult>;

/**
 * Subclass and define `get`, `post`, … with `RequestFor<Pattern>` requests:
 * `class Detail extends View<'/q/<int:id>/'> { get(req: RequestFor<'/q/<int:id>/'>) {…} }`.
 * The type argument ties the class to its pattern: registering it elsewhere is a type error.
 */
export abstract class View<P extends string = string> {
  get?(req: HttpRequest<ParamsOf<P>>): HandlerResult | Promise<HandlerResult>;
  post?(req: HttpRequest<ParamsOf<P>>): HandlerResult | Promise<HandlerResult>;
  put?(req: HttpRequest<ParamsOf<P>>): HandlerResult | Promise<HandlerResult>;
  patch?(req: HttpRequest<ParamsOf<P>>): HandlerResult | Promise<HandlerResult>;
  delete?(req: HttpRequest<ParamsOf<P>>): HandlerResult | Promise<HandlerResult>;
  options?(req: HttpRequest<ParamsOf<P>>): HandlerResult | Promise<HandlerResult>;
}

export type ViewClass<P extends string> = new () => View<P>;

const verbs = ['get', 'post', 'put', 'patch', 'delete', 'options'] as const;

export function viewMethods<P extends string>(View: ViewClass<P>): HttpMethod[] {
  const proto = View.prototype;
  return verbs.filter((verb) => typeof proto[verb] === 'function').map((verb) => verb.toUpperCase() as HttpMethod);
}

export function viewHandler<P extends string>(View: ViewClass<P>): Handler<ParamsOf<P>> {
  const handler: Handler<ParamsOf<P>> = (req) => {
    const view = new View();
    // HEAD is served by `get`; the router only sends methods the class defines.
    const verb = (req.method === 'HEAD' ? 'get' : req.method.toLowerCase()) as (typeof verbs)[number];
    const method = view[verb] as VerbHandler<P>;
    return method.call(view, req);
  };
  Object.defineProperty(handler, 'name', { value: View.name });
  return handler;
}
