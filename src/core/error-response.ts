// From a thrown error to a response: the closest blueprint's handler wins (by class, then by
// status), then the app's, then the default page — HTML or JSON, whichever the client asked for.
import type { Logger } from 'pino';
import type { Blueprint } from './blueprint.js';
import { renderDebugPage, renderErrorPage } from './debug/index.js';
import { HttpError, reasonPhrase } from './errors.js';
import type { ErrorHandler } from './handler.js';
import { html, json, toHttpResponse } from './http/helpers/index.js';
import type { HttpRequest } from './http/request.js';
import type { HttpResponse } from './http/response.js';
import { logRequestError } from './log.js';

export interface ErrorContext {
  readonly debug: boolean;
  readonly logger: Logger;
}

export async function errorToResponse(
  error: unknown,
  req: HttpRequest,
  lineage: readonly Blueprint[],
  context: ErrorContext,
): Promise<HttpResponse> {
  const handler = findHandler(error, lineage);
  if (handler) {
    try {
      return toHttpResponse(await handler(error as never, req));
    } catch (handlerError) {
      context.logger.error({ reqId: req.id, err: handlerError }, 'error handler failed');
      return defaultErrorResponse(handlerError, req, context);
    }
  }
  return defaultErrorResponse(error, req, context);
}

function statusOf(error: unknown): number {
  return error instanceof HttpError ? error.status : 500;
}

function findHandler(error: unknown, lineage: readonly Blueprint[]): ErrorHandler<never> | undefined {
  const status = statusOf(error);
  for (let i = lineage.length - 1; i >= 0; i--) {
    const handlers = lineage[i]!.errorHandlers;
    if (handlers.size === 0) continue;
    // Walk the error's class chain so the most specific registered class wins.
    if (typeof error === 'object' && error !== null) {
      for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
        const byClass = handlers.get(proto.constructor);
        if (byClass) return byClass;
      }
    }
    const byStatus = handlers.get(status);
    if (byStatus) return byStatus;
  }
  return undefined;
}

/** Whether the client would rather read JSON than HTML (APIs, fetch calls). */
export function wantsJson(req: HttpRequest): boolean {
  const accept = req.header('accept');
  if (accept) {
    const jsonAt = accept.indexOf('json');
    if (jsonAt !== -1) {
      const htmlAt = accept.indexOf('text/html');
      return htmlAt === -1 || jsonAt < htmlAt;
    }
    if (accept.includes('text/html')) return false;
  }
  const type = req.contentType;
  return type !== undefined && (type === 'application/json' || type.endsWith('+json'));
}

export async function defaultErrorResponse(
  error: unknown,
  req: HttpRequest,
  context: ErrorContext,
): Promise<HttpResponse> {
  const status = statusOf(error);
  const httpError = error instanceof HttpError ? error : undefined;
  if (status >= 500) logRequestError(context.logger, req, error);
  const message = httpError?.expose ? httpError.message : reasonPhrase(status);
  let response: HttpResponse;
  if (wantsJson(req)) {
    const body: Record<string, unknown> = { error: message, status };
    if (httpError?.code) body.code = httpError.code;
    if (context.debug && status >= 500 && error instanceof Error) {
      body.detail = error.message;
      body.stack = error.stack;
    }
    response = json(body, { status });
  } else if (context.debug && status >= 500) {
    response = html(await renderDebugPage(await debugInput(error, req)), { status });
  } else {
    response = html(renderErrorPage(status, httpError?.expose ? httpError.message : undefined), { status });
  }
  if (httpError) for (const [name, value] of Object.entries(httpError.headers)) response.setHeader(name, value);
  return response;
}

async function debugInput(error: unknown, req: HttpRequest): Promise<Parameters<typeof renderDebugPage>[0]> {
  const form = await req.parsedForm();
  return {
    error,
    request: {
      method: req.method,
      url: req.url,
      headers: req.headers,
      query: req.query,
      cookies: req.cookies,
      form: form?.toObject(),
    },
    routeName: req.routeName,
    requestId: req.id,
  };
}
