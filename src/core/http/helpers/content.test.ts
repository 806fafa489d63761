import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../../errors.js';
import { HttpResponse } from '../response.js';
import { html, json, stream, text } from './index.js';

describe('json', () => {
  it('serialises data with application/json', () => {
    const response = json({ ok: true, items: [1, 'é'] });
    assert.ok(response instanceof HttpResponse);
    assert.equal(response.status, 200);
    assert.equal(response.body, '{"ok":true,"items":[1,"é"]}');
    assert.equal(response.headers['content-type'], 'application/json');
  });

  it('takes a status and headers, keeping a caller-chosen content type', () => {
    const response = json(
      { error: 'nope' },
      { status: 422, headers: { 'Content-Type': 'application/problem+json', 'X-Trace': '1' } },
    );
    assert.equal(response.status, 422);
    assert.equal(response.headers['content-type'], 'application/problem+json');
    assert.equal(response.headers['x-trace'], '1');
  });

  it('sends null and primitives as JSON values', () => {
    assert.equal(json(null).body, 'null');
    assert.equal(json('hi').body, '"hi"');
  });

  it('refuses values without a JSON form', () => {
    assert.throws(
      () => json(undefined),
      (error: unknown) => {
        assert.ok(error instanceof CarafeError);
        assert.equal(error.code, 'CARAFE_JSON_UNSERIALIZABLE');
        assert.match(error.message, /undefined/);
        return true;
      },
    );
    assert.throws(() => json({ n: 10n }), {
      code: 'CARAFE_JSON_UNSERIALIZABLE',
      message: /BigInt/,
    });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.throws(() => json(circular), {
      code: 'CARAFE_JSON_UNSERIALIZABLE',
      message: /circular/,
    });
  });
});

describe('text and html', () => {
  it('set their content types', () => {
    const plain = text('hello', { status: 201 });
    assert.equal(plain.body, 'hello');
    assert.equal(plain.status, 201);
    assert.equal(plain.headers['content-type'], 'text/plain; charset=utf-8');
    const page = html('<h1>Hi</h1>');
    assert.equal(page.body, '<h1>Hi</h1>');
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  });
});

describe('stream', () => {
  it('wraps an async iterable in a stream body', async () => {
    async function* chunks() {
      yield 'a';
      yield new Uint8Array([98]);
    }
    const response = stream(chunks(), { headers: { 'content-type': 'text/csv' } });
    assert.equal(response.headers['content-type'], 'text/csv');
    const body = response.body;
    assert.ok(
      body !== null && typeof body === 'object' && 'kind' in body && body.kind === 'stream',
    );
    const seen: (string | Uint8Array)[] = [];
    for await (const chunk of body.source) seen.push(chunk);
    assert.deepEqual(seen, ['a', new Uint8Array([98])]);
  });

  it('defaults to application/octet-stream', () => {
    async function* none() {}
    assert.equal(stream(none()).headers['content-type'], 'application/octet-stream');
  });
});
