// Context processors (Django's name): functions of the request whose variables every template
// rendered for that request sees. Built in: `request` and `urlFor` (bound to the request); the
// app-wide `static` and `debug` are globals. Batteries add theirs (`csrfInput`, `user`,
// `messages`) with `registerContextProcessor` from their app's `setup`.
import { type Carafe, CarafeError, type HttpRequest, type UrlForOptions } from '../index.js';
import type { TemplateContext } from './engine.js';
import { describe } from './filters/values.js';

export type ContextProcessor = (req: HttpRequest) => TemplateContext | Promise<TemplateContext>;

/** Maps a static file's path (`css/site.css`) to its URL. */
export type StaticUrlResolver = (path: string) => string;

/** What `urlFor` is inside templates: route names are strings there, checked when reversed. */
export type TemplateUrlFor = (
  name: string,
  params?: Readonly<Record<string, unknown>>,
  options?: UrlForOptions,
) => string;

const registered = new WeakMap<Carafe, ContextProcessor[]>();
const staticResolvers = new WeakMap<Carafe, StaticUrlResolver>();

/**
 * Adds a context processor to every template rendered for a request of `app`, after the
 * built-in ones and before `templates.contextProcessors` from the config:
 * `registerContextProcessor(app, (req) => ({ user: req.state.user }))`.
 */
export function registerContextProcessor(app: Carafe, processor: ContextProcessor): void {
  if (typeof processor !== 'function') {
    throw new CarafeError(
      'CARAFE_CONTEXT_PROCESSOR',
      `registerContextProcessor needs a function (req) => ({ … }) (got ${describe(processor)}).`,
    );
  }
  const list = registered.get(app);
  if (list === undefined) registered.set(app, [processor]);
  else list.push(processor);
}

/**
 * Replaces how `{{ static('css/site.css') }}` builds URLs for `app`, e.g. with a manifest of
 * hashed file names: `setStaticUrlResolver(app, (path) => app.config.staticUrl + (manifest[path] ?? path))`.
 * The resolver gets the path as written (without a leading `/`) and returns the whole URL.
 */
export function setStaticUrlResolver(app: Carafe, resolver: StaticUrlResolver): void {
  staticResolvers.set(app, resolver);
}

/** The URL of a static file: `staticUrl` + the percent-encoded path, unless a resolver was set. */
export function staticUrlFor(app: Carafe, path: unknown): string {
  if (typeof path !== 'string' || path === '') {
    throw new CarafeError(
      'CARAFE_TEMPLATE_STATIC',
      `static() needs the file's path inside the static folders, such as 'css/site.css' (got ${describe(path)}).`,
    );
  }
  const relative = path.replace(/^\/+/, '');
  const resolver = staticResolvers.get(app);
  if (resolver !== undefined) return resolver(relative);
  return app.config.staticUrl + relative.split('/').map(encodeURIComponent).join('/');
}

/** `urlFor` for templates: the request's (for `external` URLs) or the app's. */
export function templateUrlFor(
  target: Pick<Carafe, 'urlFor'> | Pick<HttpRequest, 'urlFor'>,
): TemplateUrlFor {
  // Route names in templates are plain strings; the router checks them when reversing and
  // names the closest route on a typo, so the typed overloads are bypassed here.
  const reverse = target.urlFor as (
    name: string,
    params?: object,
    options?: UrlForOptions,
  ) => string;
  return (name, params, options) => reverse.call(target, name, params, options);
}

/**
 * The variables of a render for `req`: the built-ins, then the registered processors, then the
 * config's, then the view's own context, each winning over the ones before.
 */
export async function requestContext(
  req: HttpRequest,
  configured: readonly ContextProcessor[],
  context: TemplateContext,
): Promise<Record<string, unknown>> {
  const variables: Record<string, unknown> = { request: req, urlFor: templateUrlFor(req) };
  for (const processors of [registered.get(req.app), configured]) {
    if (processors === undefined) continue;
    for (const processor of processors) {
      const added = processor(req);
      merge(processor, added instanceof Promise ? await added : added, variables);
    }
  }
  return Object.assign(variables, context);
}

function merge(
  processor: ContextProcessor,
  added: unknown,
  variables: Record<string, unknown>,
): void {
  if (typeof added !== 'object' || added === null || Array.isArray(added)) {
    throw new CarafeError(
      'CARAFE_CONTEXT_PROCESSOR',
      `Context processor ${processor.name || '(anonymous)'} returned ${describe(added)}; a context processor returns an object of template variables, such as { siteName: 'Polls' }.`,
    );
  }
  Object.assign(variables, added);
}
