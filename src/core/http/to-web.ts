// Turns an HttpResponse into a web-standard Response for the fetch adapter and the test client.
import type { FileHandle } from 'node:fs/promises';
import { prepareFile } from './file-send.js';
import type { HttpResponse } from './response.js';
import { isBodiless, openFile, setCookieValues, type WriteRequest } from './write-node.js';

/** Same rules as `writeNodeResponse`: cookies serialised, Range and conditionals for files, no body for HEAD. */
export async function toWebResponse(response: HttpResponse, req: WriteRequest): Promise<Response> {
  const body = response.body;
  const headers = toHeaders(response, req);
  let status = response.status;
  let webBody: BodyInit | null = null;
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
    if (!isBodiless(status)) {
      headers.set(
        'content-length',
        String(
          body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
        ),
      );
      if (body !== null && req.method !== 'HEAD')
        webBody = typeof body === 'string' ? body : arrayBufferView(body);
    }
  } else if (body.kind === 'stream') {
    if (req.method !== 'HEAD' && !isBodiless(status)) webBody = toReadableStream(body.source);
  } else {
    // As in writeNodeResponse: a custom status sends the whole file, ignoring conditionals.
    const sent = await prepareFile(
      body,
      response.status === 200 ? req : { method: req.method, header: noHeader },
    );
    if (sent.status !== 200) status = sent.status;
    for (const name in sent.headers) headers.set(name, sent.headers[name]!);
    if (sent.range !== undefined && req.method !== 'HEAD' && !isBodiless(status)) {
      webBody = fileStream(await openFile(body.path), sent.range.start, sent.range.end);
    }
  }
  return new Response(webBody, { status, headers });
}

function toHeaders(response: HttpResponse, req: WriteRequest): Headers {
  const headers = new Headers();
  const pendingCookies = response.cookies.length > 0;
  for (const name in response.headers) {
    if (pendingCookies && name === 'set-cookie') continue;
    const value = response.headers[name]!;
    if (typeof value === 'string') headers.set(name, value);
    else for (const item of value) headers.append(name, item);
  }
  // Each cookie is appended on its own; Headers keeps them apart for getSetCookie().
  if (pendingCookies) {
    for (const cookie of setCookieValues(response, req.isSecure))
      headers.append('set-cookie', cookie);
  }
  return headers;
}

// BodyInit wants a view over an ArrayBuffer (not a SharedArrayBuffer); re-view without copying.
function arrayBufferView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : new Uint8Array(bytes);
}

function noHeader(): undefined {
  return undefined;
}

const chunkSize = 64 * 1024;

/** Reads [start, end] of an open file on demand, closing it at the end or on cancel. */
function fileStream(handle: FileHandle, start: number, end: number): ReadableStream<Uint8Array> {
  let position = start;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const length = Math.min(chunkSize, end - position + 1);
        const { bytesRead, buffer } = await handle.read(
          new Uint8Array(length),
          0,
          length,
          position,
        );
        position += bytesRead;
        // A file that shrank since the stat ends early rather than hanging.
        if (bytesRead > 0) controller.enqueue(buffer.subarray(0, bytesRead));
        if (bytesRead === 0 || position > end) {
          controller.close();
          await handle.close();
        }
      } catch (error) {
        controller.error(error);
        await handle.close().catch(() => {});
      }
    },
    async cancel() {
      await handle.close();
    },
  });
}

function toReadableStream(source: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A pull that enqueues nothing is not called again, so skip empty chunks here.
      while (true) {
        const step = await iterator.next();
        if (step.done === true) {
          controller.close();
          return;
        }
        if (step.value.length > 0) {
          controller.enqueue(
            typeof step.value === 'string' ? encoder.encode(step.value) : step.value,
          );
          return;
        }
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
