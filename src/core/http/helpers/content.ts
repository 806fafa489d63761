// Responses with a body the handler already has: JSON, text, HTML, or a stream of chunks.
import { CarafeError } from '../../errors.js';
import { HttpResponse, type ResponseBody, type ResponseInit } from '../response.js';

export const jsonType = 'application/json';
export const textType = 'text/plain; charset=utf-8';
export const htmlType = 'text/html; charset=utf-8';
export const streamType = 'application/octet-stream';

/** `data` as JSON (UTF-8, `application/json`). Dates become ISO strings, as `JSON.stringify` does. */
export function json(data: unknown, init?: ResponseInit): HttpResponse {
  return withType(new HttpResponse(stringify(data), init), jsonType);
}

/** Plain text (`text/plain; charset=utf-8`). */
export function text(body: string, init?: ResponseInit): HttpResponse {
  return withType(new HttpResponse(body, init), textType);
}

/** An HTML page (`text/html; charset=utf-8`). The body is sent as is: escape what you interpolate. */
export function html(body: string, init?: ResponseInit): HttpResponse {
  return withType(new HttpResponse(body, init), htmlType);
}

/**
 * Sends chunks as the iterable yields them, without buffering the whole body. The default
 * Content-Type is `application/octet-stream`; pass one in `init.headers` for text.
 * The stream stops (its `return()` is called) when the client goes away.
 */
export function stream(
  source: AsyncIterable<Uint8Array | string>,
  init?: ResponseInit,
): HttpResponse {
  return withType(new HttpResponse({ kind: 'stream', source }, init), streamType);
}

/** Sets Content-Type unless the caller's headers already did. */
export function withType(response: HttpResponse, type: string): HttpResponse {
  if (response.headers['content-type'] === undefined) response.headers['content-type'] = type;
  return response;
}

function stringify(data: unknown): ResponseBody {
  let body: string | undefined;
  try {
    body = JSON.stringify(data);
  } catch (error) {
    throw new CarafeError(
      'CARAFE_JSON_UNSERIALIZABLE',
      `json() could not serialise the value (${error instanceof Error ? error.message : String(error)}). ` +
        'Convert BigInt values to strings or numbers and remove circular references.',
      { cause: error },
    );
  }
  if (body === undefined) {
    throw new CarafeError(
      'CARAFE_JSON_UNSERIALIZABLE',
      `json() was given ${typeof data}, which has no JSON form. Pass an object, array, string, number, boolean or null.`,
    );
  }
  return body;
}
