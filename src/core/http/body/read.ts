// Reading the raw body under a byte limit. The limit is checked against Content-Length before
// anything is read, then against the bytes actually received, so a lying or missing
// Content-Length cannot push more than `limit` bytes into memory.
import { Readable } from 'node:stream';
import { BadRequest } from '../../errors.js';
import type { RequestSource } from '../source.js';
import { tooLarge } from './errors.js';

/** Which limit a read is under, for the 413 message. */
export interface BodyLimit {
  bytes: number;
  /** The `limits.…` config key that raises it. */
  configKey: 'bodySize' | 'uploadSize';
}

/**
 * The body's chunks, stopping with 413 as soon as more than `limit.bytes` arrive. Leaving early
 * (an error here or in the consumer) stops reading: an async iterator is returned (ending a
 * generator, cancelling a web stream); a Node Readable is left paused, not destroyed, because
 * destroying an IncomingMessage resets the socket and the client would never see the 413.
 * TCP backpressure then holds the rest of the upload back until the connection is closed.
 */
export async function* readChunks(source: RequestSource, limit: BodyLimit): AsyncGenerator<Buffer> {
  const declared = declaredLength(source);
  if (declared !== undefined && declared > limit.bytes) {
    throw tooLarge('The request body', limit.bytes, limit.configKey);
  }
  const body = source.body();
  if (body === null) {
    if (declared !== undefined && declared > 0) throw incomplete(0, declared);
    return;
  }
  const iterator: AsyncIterator<unknown> =
    body instanceof Readable
      ? body.iterator({ destroyOnReturn: false })
      : body[Symbol.asyncIterator]();
  let finished = false;
  let received = 0;
  try {
    while (true) {
      const step = await nextChunk(iterator);
      if (step.done) break;
      const bytes = toBuffer(step.value);
      received += bytes.length;
      if (received > limit.bytes) throw tooLarge('The request body', limit.bytes, limit.configKey);
      if (declared !== undefined && received > declared) {
        throw new BadRequest(
          `The request body is longer than its Content-Length (${declared} bytes).`,
          { code: 'CARAFE_BAD_CONTENT_LENGTH' },
        );
      }
      yield bytes;
    }
    finished = true;
  } finally {
    if (!finished) await iterator.return?.();
  }
  if (declared !== undefined && received < declared) throw incomplete(received, declared);
}

/** The whole body as one Buffer, up to `limit` bytes (413 above). */
export async function readBody(source: RequestSource, limit: number): Promise<Buffer> {
  return collect(readChunks(source, { bytes: limit, configKey: 'bodySize' }));
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
}

function declaredLength(source: RequestSource): number | undefined {
  const header = source.header('content-length');
  if (header === undefined) return undefined;
  const value = header.trim();
  if (!/^\d{1,15}$/.test(value)) {
    throw new BadRequest(`Content-Length must be a number of bytes, got "${value.slice(0, 40)}".`, {
      code: 'CARAFE_BAD_CONTENT_LENGTH',
    });
  }
  return Number(value);
}

function incomplete(received: number, declared: number): BadRequest {
  return new BadRequest(
    `The request body ended after ${received} of the ${declared} bytes its Content-Length ` +
      'announced; the client stopped sending it.',
    { code: 'CARAFE_BODY_INCOMPLETE' },
  );
}

async function nextChunk(iterator: AsyncIterator<unknown>): Promise<IteratorResult<unknown>> {
  try {
    return await iterator.next();
  } catch (error) {
    throw new BadRequest('The request body could not be read: the client stopped sending it.', {
      code: 'CARAFE_BODY_INCOMPLETE',
      cause: error,
    });
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  throw new TypeError('A request body stream must yield Uint8Array chunks.');
}
