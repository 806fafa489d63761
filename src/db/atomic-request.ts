// Django's ATOMIC_REQUESTS as route middleware: the handler's writes commit together, or not at all.
import type { Middleware } from '../index.js';
import { atomic } from './transaction.js';

/**
 * Runs the rest of the route (its middleware and handler) inside `atomic()`. A thrown error rolls
 * everything back; so does a response with a 5xx status, which usually means a handled failure.
 */
export function atomicRequest(options: { using?: string } = {}): Middleware {
  return async (req, next) => {
    let response: Awaited<ReturnType<typeof next>> | undefined;
    try {
      await atomic(async () => {
        response = await next();
        if (response.status >= 500) throw rollback;
      }, options);
    } catch (error) {
      if (error !== rollback) throw error;
    }
    return response!;
  };
}

const rollback = Symbol('roll back the atomic request');
