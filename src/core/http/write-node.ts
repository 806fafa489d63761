// Writes an HttpResponse to node:http. Buffered bodies take one writeHead + one end and no
// allocations beyond the Content-Length string; streams and files honour backpressure and
// stop reading when the client goes away.
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { NotFound } from '../errors.js';
import { serializeCookie } from './cookies.js';
import { type FileRequest, isMissingFileError, prepareFile } from './file-send.js';
import type { FileBody, HeaderValue, HttpResponse, ResponseBody } from './response.js';

/** The parts of the request the writers read. `isSecure` is read only when cookies are set. */
export interface WriteRequest extends FileRequest {
  readonly isSecure: boolean;
}

const written: Promise<void> = Promise.resolve();

/**
 * Sends `response` on `res`. Rejects when a stream or file fails; if `res.headersSent` by then,
 * the connection has already been destroyed and the error only needs logging.
 */
export function writeNodeResponse(
  res: ServerResponse,
  response: HttpResponse,
  req: WriteRequest,
): Promise<void> {
  try {
    const body = response.body;
    if (isBufferedBody(body)) {
      writeBufferedResponse(res, response, body, req);
      return written;
    }
    return body.kind === 'file'
      ? writeFile(res, response, body, req)
      : writeStream(res, response, body.source, req);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Sends a response whose body (`response.body`, already narrowed by `isBufferedBody`) is in
 * memory or absent, with one writeHead + end. Throws what `writeHead` throws (an invalid header
 * value, say).
 */
export function writeBufferedResponse(
  res: ServerResponse,
  response: HttpResponse,
  body: null | string | Uint8Array,
  req: WriteRequest,
): void {
  const headers = response.cookies.length === 0 ? response.headers : withCookies(response, req);
  const status = response.status;
  if (isBodiless(status)) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  headers['content-length'] = String(
    body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
  );
  res.writeHead(status, headers);
  if (body === null || req.method === 'HEAD') res.end();
  else res.end(body);
}

/** A body held in memory, or none: sent in one go. */
export function isBufferedBody(body: ResponseBody): body is null | string | Uint8Array {
  return body === null || typeof body === 'string' || body instanceof Uint8Array;
}

/** 1xx, 204 and 304 never carry a body (RFC 9110 §6.4.1). */
export function isBodiless(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** The response's own Set-Cookie values followed by its pending cookies, serialised. */
export function setCookieValues(response: HttpResponse, isSecure: boolean): string[] {
  const existing = response.headers['set-cookie'];
  const values = existing === undefined ? [] : Array.isArray(existing) ? [...existing] : [existing];
  for (const cookie of response.cookies) {
    values.push(serializeCookie(cookie.name, cookie.value, cookie.options, isSecure));
  }
  return values;
}

// A copy, so a response object reused across requests does not collect cookies.
function withCookies(response: HttpResponse, req: WriteRequest): Record<string, HeaderValue> {
  return { ...response.headers, 'set-cookie': setCookieValues(response, req.isSecure) };
}

async function writeStream(
  res: ServerResponse,
  response: HttpResponse,
  source: AsyncIterable<Uint8Array | string>,
  req: WriteRequest,
): Promise<void> {
  const headers = response.cookies.length === 0 ? response.headers : withCookies(response, req);
  res.writeHead(response.status, headers);
  if (req.method === 'HEAD' || isBodiless(response.status)) {
    res.end();
    return;
  }
  // Send the headers now: an EventSource or a slow first chunk should not leave the client waiting.
  res.flushHeaders();
  const iterator = source[Symbol.asyncIterator]();
  const client = watchClient(res);
  let sourceFinished = false;
  try {
    while (true) {
      let step: IteratorResult<Uint8Array | string> | typeof gone;
      try {
        step = await client.race(iterator.next());
      } catch (error) {
        sourceFinished = true;
        throw error;
      }
      if (step === gone) return;
      if (step.done === true) {
        sourceFinished = true;
        break;
      }
      if (step.value.length === 0) continue;
      if (!res.write(step.value) && (await client.race(drain(res))) === gone) return;
    }
    res.end();
  } catch (error) {
    // The status line is gone; cutting the connection is the only way to say the body is incomplete.
    res.destroy();
    throw error;
  } finally {
    client.dispose();
    // A generator waiting on something queues return() until it yields; do not wait for that.
    if (!sourceFinished) iterator.return?.()?.catch(() => {});
  }
}

async function writeFile(
  res: ServerResponse,
  response: HttpResponse,
  body: FileBody,
  req: WriteRequest,
): Promise<void> {
  // A custom status (a file as the 404 page) is sent as is, without conditional or Range handling.
  const plan = await prepareFile(
    body,
    response.status === 200 ? req : { method: req.method, header: noHeader },
  );
  const status = plan.status === 200 ? response.status : plan.status;
  const headers = response.cookies.length === 0 ? response.headers : withCookies(response, req);
  Object.assign(headers, plan.headers);
  const range = plan.range;
  if (range === undefined || req.method === 'HEAD' || isBodiless(status)) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  // Opened before the head is written, so a file deleted since the stat is still a clean 404.
  const handle = await openFile(body.path);
  res.writeHead(status, headers);
  try {
    await pipeline(handle.createReadStream({ start: range.start, end: range.end }), res);
  } catch (error) {
    if (clientLeft(res, error)) return;
    throw error;
  }
}

function noHeader(): undefined {
  return undefined;
}

export async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if (isMissingFileError(error)) throw new NotFound();
    throw error;
  }
}

function clientLeft(res: ServerResponse, error: unknown): boolean {
  return (
    !res.writableFinished &&
    error instanceof Error &&
    'code' in error &&
    error.code === 'ERR_STREAM_PREMATURE_CLOSE'
  );
}

const gone = Symbol('gone');

interface ClientWatch {
  /** Settles like `promise`, or with `gone` as soon as the client disconnects. */
  race<T>(promise: Promise<T>): Promise<T | typeof gone>;
  dispose(): void;
}

function watchClient(res: ServerResponse): ClientWatch {
  let left = res.destroyed;
  let wake: ((value: typeof gone) => void) | undefined;
  const onClose = (): void => {
    if (res.writableFinished) return;
    left = true;
    wake?.(gone);
  };
  res.on('close', onClose);
  return {
    race<T>(promise: Promise<T>): Promise<T | typeof gone> {
      if (left) return Promise.resolve(gone);
      return new Promise<T | typeof gone>((resolve, reject) => {
        wake = resolve;
        promise.then(resolve, reject);
      });
    },
    dispose() {
      res.off('close', onClose);
    },
  };
}

function drain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
