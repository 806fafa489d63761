// The web-standard adapter: `app.fetch(request)` serves any fetch-style runtime and the test client.
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Carafe } from '../app.js';
import type { Handler } from '../handler.js';
import type { RequestSource } from '../http/source.js';
import { toWebResponse } from '../http/to-web.js';

export interface FetchContext {
  /** The peer address, when the runtime knows it. */
  remoteAddress?: string;
  /**
   * Answers the request in place of routing, inside the app's middleware and hooks: sessions,
   * auth and the rest run around it as around a route (`TestClient.inRequest` is built on it).
   * Only the code that calls `app.fetch` can pass it; nothing in a request selects it.
   */
  handler?: Handler;
}

class WebRequestSource implements RequestSource {
  readonly method: string;
  readonly url: string;
  readonly encrypted: boolean;
  readonly remoteAddress: string | undefined;
  readonly #request: Request;
  readonly #host: string;
  constructor(request: Request, context: FetchContext) {
    const url = new URL(request.url);
    this.#request = request;
    this.method = request.method;
    this.url = url.pathname + url.search;
    this.encrypted = url.protocol === 'https:';
    this.remoteAddress = context.remoteAddress;
    this.#host = url.host;
  }
  header(name: string): string | undefined {
    const value = this.#request.headers.get(name);
    // A constructed Request carries no Host header; the URL's host is what the client asked for.
    if (value === null) return name === 'host' ? this.#host : undefined;
    return value;
  }
  headers(): Record<string, string | string[] | undefined> {
    const out: Record<string, string | string[] | undefined> = {};
    this.#request.headers.forEach((value, key) => {
      out[key] = value;
    });
    out.host ??= this.#host;
    return out;
  }
  body(): Readable | null {
    const body = this.#request.body;
    return body === null ? null : Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
  }
}

export async function handleFetch(app: Carafe, request: Request, context: FetchContext = {}): Promise<Response> {
  const startedAt = performance.now();
  const { req, res } = await app.handle(new WebRequestSource(request, context), context.handler);
  let written = res;
  let error: unknown;
  try {
    return await toWebResponse(res, req);
  } catch (writeError) {
    // Nothing was sent yet (a missing file, say): answer as if the handler had thrown it.
    error = writeError;
    written = await app.errorResponse(writeError, req);
    return await toWebResponse(written, req);
  } finally {
    // Streams are still being read by the caller; teardown runs once the response is built.
    await app.finish(req, written, startedAt, error);
  }
}
