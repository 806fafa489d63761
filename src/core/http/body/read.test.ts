import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { HttpError } from '../../errors.js';
import type { RequestSource } from '../source.js';
import { readBody } from './index.js';

function sourceOf(
  headers: Record<string, string>,
  body: () => AsyncIterable<Uint8Array> | Readable | null,
): RequestSource {
  return {
    method: 'POST',
    url: '/',
    header: (name) => headers[name],
    headers: () => ({ ...headers }),
    body,
    remoteAddress: '127.0.0.1',
    encrypted: false,
  };
}

/** An async body of `count` chunks of `size` bytes that records how far it was read. */
function trackedBody(count: number, size: number) {
  const progress = { pulled: 0, closed: false };
  async function* chunks() {
    try {
      for (let i = 0; i < count; i++) {
        progress.pulled++;
        yield new Uint8Array(size).fill(0x61);
      }
    } finally {
      progress.closed = true;
    }
  }
  return { progress, chunks };
}

function expectHttpError(status: number, code: string, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  };
}

describe('readBody', () => {
  it('joins the chunks of an async iterable', async () => {
    const body = await readBody(
      sourceOf({}, async function* () {
        yield new TextEncoder().encode('hello ');
        yield new TextEncoder().encode('world');
      }),
      100,
    );
    assert.equal(body.toString(), 'hello world');
  });

  it('reads a Node Readable', async () => {
    const body = await readBody(
      sourceOf({ 'content-length': '6' }, () =>
        Readable.from([Buffer.from('abc'), Buffer.from('def')]),
      ),
      100,
    );
    assert.equal(body.toString(), 'abcdef');
  });

  it('gives an empty buffer when there is no body', async () => {
    assert.equal(
      (
        await readBody(
          sourceOf({}, () => null),
          10,
        )
      ).length,
      0,
    );
  });

  it('answers 413 from Content-Length alone, before reading', async () => {
    let opened = false;
    const source = sourceOf({ 'content-length': '11' }, () => {
      opened = true;
      return null;
    });
    await assert.rejects(
      readBody(source, 10),
      expectHttpError(413, 'CARAFE_BODY_TOO_LARGE', /limits\.bodySize/),
    );
    assert.equal(opened, false);
  });

  it('stops reading as soon as a body without Content-Length passes the limit', async () => {
    const { progress, chunks } = trackedBody(1000, 1024);
    await assert.rejects(
      readBody(sourceOf({}, chunks), 4096),
      expectHttpError(413, 'CARAFE_BODY_TOO_LARGE'),
    );
    assert.equal(progress.pulled, 5);
    assert.equal(progress.closed, true);
  });

  it('stops reading a Readable that passes the limit, without draining it', async () => {
    let produced = 0;
    const stream = new Readable({
      read() {
        produced++;
        this.push(Buffer.alloc(1024));
      },
    });
    await assert.rejects(
      readBody(
        sourceOf({}, () => stream),
        4096,
      ),
      expectHttpError(413, 'CARAFE_BODY_TOO_LARGE'),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const producedAfterStop = produced;
    assert.ok(produced < 40, `read ${produced} chunks of an endless stream`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(produced, producedAfterStop, 'nothing pulls on the stream once stopped');
    // Not destroyed: on Node that would reset the socket before the 413 is written.
    assert.equal(stream.destroyed, false);
  });

  it('accepts a body of exactly the limit', async () => {
    const { chunks } = trackedBody(4, 1024);
    assert.equal((await readBody(sourceOf({}, chunks), 4096)).length, 4096);
  });

  it('answers 400 when the body is shorter than its Content-Length (client aborted)', async () => {
    const { chunks } = trackedBody(2, 10);
    await assert.rejects(
      readBody(sourceOf({ 'content-length': '30' }, chunks), 100),
      expectHttpError(400, 'CARAFE_BODY_INCOMPLETE', /20 of the 30 bytes/),
    );
    await assert.rejects(
      readBody(
        sourceOf({ 'content-length': '5' }, () => null),
        100,
      ),
      expectHttpError(400, 'CARAFE_BODY_INCOMPLETE'),
    );
  });

  it('answers 400 when the stream fails mid-way (connection reset)', async () => {
    const stream = new Readable({ read() {} });
    stream.push(Buffer.from('partial'));
    setImmediate(() => stream.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
    await assert.rejects(
      readBody(
        sourceOf({}, () => stream),
        100,
      ),
      expectHttpError(400, 'CARAFE_BODY_INCOMPLETE'),
    );
  });

  it('answers 400 when the body is longer than its Content-Length', async () => {
    const { progress, chunks } = trackedBody(10, 10);
    await assert.rejects(
      readBody(sourceOf({ 'content-length': '15' }, chunks), 1000),
      expectHttpError(400, 'CARAFE_BAD_CONTENT_LENGTH'),
    );
    assert.equal(progress.pulled, 2);
  });

  it('answers 400 for a Content-Length that is not a number', async () => {
    for (const value of ['abc', '-1', '1e3', '12 34', '']) {
      await assert.rejects(
        readBody(
          sourceOf({ 'content-length': value }, () => null),
          100,
        ),
        expectHttpError(400, 'CARAFE_BAD_CONTENT_LENGTH'),
        value,
      );
    }
  });
});
