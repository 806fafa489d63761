// The body methods of HttpRequest, driven end to end through the parsers in this folder.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { HttpError } from '../../errors.js';
import { defaultLimits, type RequestLimits } from '../limits.js';
import { ProxyPolicy } from '../proxy.js';
import { HttpRequest } from '../request.js';
import type { RequestSource } from '../source.js';

function request(
  headers: Record<string, string>,
  body: Buffer | string | null,
  limits: Partial<RequestLimits> = {},
): { req: HttpRequest; reads: () => number } {
  let reads = 0;
  const source: RequestSource = {
    method: 'POST',
    url: '/submit/?next=%2Fhome',
    header: (name) => headers[name],
    headers: () => ({ ...headers }),
    body: () => {
      reads++;
      return body === null ? null : Readable.from([Buffer.from(body)]);
    },
    remoteAddress: '127.0.0.1',
    encrypted: false,
  };
  const env = {
    limits: { ...defaultLimits, ...limits },
    proxy: new ProxyPolicy({ trustedProxies: [] }),
    debug: false,
    reverse: () => '/',
  };
  return { req: new HttpRequest(source, env), reads: () => reads };
}

function expectHttpError(status: number, code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    return true;
  };
}

describe('HttpRequest body methods', () => {
  it('json() parses once, however often it is called', async () => {
    const { req, reads } = request({ 'content-type': 'application/json' }, '{"votes": 3}');
    assert.deepEqual(await req.json(), { votes: 3 });
    assert.equal(await req.json(), await req.json());
    assert.equal(reads(), 1);
  });

  it('json() rejects with the parser errors', async () => {
    await assert.rejects(
      request({ 'content-type': 'text/plain' }, '{}').req.json(),
      expectHttpError(415, 'CARAFE_UNSUPPORTED_MEDIA_TYPE'),
    );
    await assert.rejects(
      request({ 'content-type': 'application/json' }, '{"a":').req.json(),
      expectHttpError(400, 'CARAFE_MALFORMED_JSON'),
    );
    await assert.rejects(
      request({ 'content-type': 'application/json', 'content-length': '40' }, '{}', {
        bodySize: 10,
      }).req.json(),
      expectHttpError(413, 'CARAFE_BODY_TOO_LARGE'),
    );
  });

  it('text() and bytes() share one read', async () => {
    const { req, reads } = request({ 'content-type': 'text/plain; charset=utf-8' }, 'grüß dich');
    assert.equal(await req.text(), 'grüß dich');
    assert.equal((await req.bytes()).length, Buffer.byteLength('grüß dich'));
    assert.equal(reads(), 1);
  });

  it('form() parses a urlencoded body, and the query stays separate', async () => {
    const { req } = request(
      { 'content-type': 'application/x-www-form-urlencoded' },
      'choice=2&choice=5',
    );
    const form = await req.form();
    assert.deepEqual(form.getAll('choice'), ['2', '5']);
    assert.equal(req.query.get('next'), '/home');
    assert.equal(req.contentType, 'application/x-www-form-urlencoded');
  });

  it('form() parses multipart uploads and cleanup() removes temporary files', async () => {
    const boundary = 'xyz';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\nA cat\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="../cat.jpg"\r\n` +
      `Content-Type: image/jpeg\r\n\r\n${'J'.repeat(4096)}\r\n--${boundary}--\r\n`;
    const { req } = request({ 'content-type': `multipart/form-data; boundary=${boundary}` }, body, {
      fileMemoryThreshold: 1024,
    });
    const form = await req.form();
    assert.equal(form.get('caption'), 'A cat');
    const photo = form.file('photo');
    assert.equal(photo?.filename, 'cat.jpg');
    assert.equal(photo?.contentType, 'image/jpeg');
    assert.ok(photo?.path && existsSync(photo.path));
    await req.cleanup();
    assert.equal(existsSync(photo.path), false);
  });

  it('cleanup() is harmless when the form failed or was never read', async () => {
    const failed = request({ 'content-type': 'multipart/form-data' }, 'x').req;
    await assert.rejects(failed.form(), expectHttpError(400, 'CARAFE_MALFORMED_MULTIPART'));
    await failed.cleanup();
    await request({}, null).req.cleanup();
  });

  it('stream() hands out the raw body', async () => {
    const { req } = request({}, 'raw bytes');
    const stream = req.stream();
    assert.ok(stream);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
    assert.equal(Buffer.concat(chunks).toString(), 'raw bytes');
  });
});
