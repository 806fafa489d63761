import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../../errors.js';
import type { HttpResponse } from '../response.js';
import { text, toHttpResponse } from './index.js';

async function readStreamBody(response: HttpResponse): Promise<string> {
  const body = response.body;
  assert.ok(body !== null && typeof body === 'object' && 'kind' in body && body.kind === 'stream');
  const chunks: Uint8Array[] = [];
  for await (const chunk of body.source)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('toHttpResponse', () => {
  it('returns an HttpResponse unchanged', () => {
    const response = text('hi');
    assert.equal(toHttpResponse(response), response);
  });

  it('turns a string into HTML', () => {
    const response = toHttpResponse('<p>hi</p>');
    assert.equal(response.status, 200);
    assert.equal(response.body, '<p>hi</p>');
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
  });

  it('turns plain objects, null-prototype objects and arrays into JSON', () => {
    assert.equal(toHttpResponse({ a: 1 }).body, '{"a":1}');
    assert.equal(toHttpResponse({ a: 1 }).headers['content-type'], 'application/json');
    const bare: Record<string, number> = Object.create(null);
    bare.b = 2;
    assert.equal(toHttpResponse(bare).body, '{"b":2}');
    assert.equal(toHttpResponse([1, { c: 3 }]).body, '[1,{"c":3}]');
  });

  it('converts a web Response with status, headers, each Set-Cookie and the body', async () => {
    const headers = new Headers({ 'Content-Type': 'text/csv', 'X-Id': '9' });
    headers.append('Set-Cookie', 'a=1; Path=/');
    headers.append('Set-Cookie', 'b=2, with comma; Path=/');
    const response = toHttpResponse(new Response('x,y\n1,2\n', { status: 201, headers }));
    assert.equal(response.status, 201);
    assert.equal(response.headers['content-type'], 'text/csv');
    assert.equal(response.headers['x-id'], '9');
    assert.deepEqual(response.headers['set-cookie'], ['a=1; Path=/', 'b=2, with comma; Path=/']);
    assert.equal(await readStreamBody(response), 'x,y\n1,2\n');
  });

  it('converts a bodiless web Response to a null body', () => {
    const response = toHttpResponse(new Response(null, { status: 204 }));
    assert.equal(response.status, 204);
    assert.equal(response.body, null);
    assert.equal(response.headers['set-cookie'], undefined);
  });

  it('cancels the web stream when the reader stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('chunk'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const body = toHttpResponse(new Response(stream)).body;
    assert.ok(
      body !== null && typeof body === 'object' && 'kind' in body && body.kind === 'stream',
    );
    const iterator = body.source[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    assert.equal(cancelled, true);
  });

  it('refuses other return values, naming what was returned and what is allowed', () => {
    class Poll {}
    const cases: [unknown, RegExp][] = [
      [undefined, /returned undefined \(is a `return` missing\?\)/],
      [null, /returned null/],
      [42, /returned a number/],
      [true, /returned a boolean/],
      [10n, /returned a bigint/],
      [Symbol('s'), /returned a symbol/],
      [function render() {}, /returned a function \(render;/],
      [new Poll(), /returned an instance of Poll/],
      [new Date(0), /returned an instance of Date/],
      [new Map(), /returned an instance of Map/],
      [new Uint8Array(2), /returned an instance of Uint8Array/],
    ];
    for (const [value, message] of cases) {
      assert.throws(
        () => toHttpResponse(value),
        (error: unknown) =>
          error instanceof CarafeError &&
          error.code === 'CARAFE_BAD_RETURN' &&
          message.test(error.message) &&
          error.message.includes('a plain object or array') &&
          error.message.includes('web Response'),
        `for ${String(value)}`,
      );
    }
  });
});
