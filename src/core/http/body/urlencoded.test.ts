import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpError } from '../../errors.js';
import { defaultLimits, type RequestLimits } from '../limits.js';
import type { RequestSource } from '../source.js';
import { parseForm } from './index.js';

function formSource(contentType: string | undefined, body: string | Buffer | null): RequestSource {
  const headers: Record<string, string> = {};
  if (contentType !== undefined) headers['content-type'] = contentType;
  return {
    method: 'POST',
    url: '/',
    header: (name) => headers[name],
    headers: () => ({ ...headers }),
    body: () =>
      body === null
        ? null
        : (async function* () {
            yield typeof body === 'string' ? Buffer.from(body) : body;
          })(),
    remoteAddress: '127.0.0.1',
    encrypted: false,
  };
}

const urlencoded = 'application/x-www-form-urlencoded';

function parse(body: string | Buffer, limits: Partial<RequestLimits> = {}, type = urlencoded) {
  return parseForm(formSource(type, body), { ...defaultLimits, ...limits });
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

describe('parseForm: application/x-www-form-urlencoded', () => {
  it('decodes fields, repeated names, + and percent-escapes', async () => {
    const form = await parse('title=Hello+world&tag=a&tag=b%26c&city=K%C3%B8benhavn&empty=&flag');
    assert.equal(form.get('title'), 'Hello world');
    assert.deepEqual(form.getAll('tag'), ['a', 'b&c']);
    assert.equal(form.get('tag'), 'a');
    assert.equal(form.get('city'), 'København');
    assert.equal(form.get('empty'), '');
    assert.equal(form.get('flag'), '');
    assert.equal(form.has('missing'), false);
    assert.equal(form.get('missing'), null);
    assert.deepEqual(form.getAll('missing'), []);
    assert.deepEqual([...form.keys()], ['title', 'tag', 'tag', 'city', 'empty', 'flag']);
    assert.deepEqual([...form.entries()][2], ['tag', 'b&c']);
    assert.equal(form.file('title'), null);
  });

  it('skips empty pairs and accepts a charset=utf-8 parameter', async () => {
    const form = await parse('&&a=1&&', {}, `${urlencoded}; charset=UTF-8`);
    assert.deepEqual([...form.entries()], [['a', '1']]);
  });

  it('keeps field names such as __proto__ as plain entries', async () => {
    const form = await parse('__proto__=x&constructor=y&a=1&a=2');
    const object = form.toObject();
    assert.equal(Object.getPrototypeOf(object), null);
    assert.equal(Object.getOwnPropertyDescriptor(object, '__proto__')?.value, 'x');
    assert.equal(object.constructor, 'y');
    assert.equal(object.a, '2');
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('answers 400 CARAFE_TOO_MANY_FIELDS above limits.formFields', async () => {
    assert.equal((await parse('a=1&b=2&c=3', { formFields: 3 })).get('c'), '3');
    await assert.rejects(
      parse('a=1&b=2&c=3&d=4', { formFields: 3 }),
      expectHttpError(400, 'CARAFE_TOO_MANY_FIELDS', /more than 3 fields.*limits\.formFields/),
    );
  });

  it('answers 400 for an invalid percent-escape', async () => {
    for (const body of ['a=%zz', 'a=100%', 'a=%4', '%G1=x']) {
      await assert.rejects(
        parse(body),
        expectHttpError(400, 'CARAFE_MALFORMED_FORM', /percent-escape/),
        body,
      );
    }
  });

  it('answers 400 for invalid UTF-8, raw or after decoding', async () => {
    await assert.rejects(
      parse('name=%C3%28'),
      expectHttpError(400, 'CARAFE_INVALID_UTF8', /"name"/),
    );
    await assert.rejects(parse('%FF=1'), expectHttpError(400, 'CARAFE_INVALID_UTF8'));
    await assert.rejects(
      parse(Buffer.concat([Buffer.from('a='), Buffer.from([0xff])])),
      expectHttpError(400, 'CARAFE_INVALID_UTF8'),
    );
  });

  it('answers 413 above limits.bodySize', async () => {
    await assert.rejects(
      parse(`a=${'x'.repeat(100)}`, { bodySize: 50 }),
      expectHttpError(413, 'CARAFE_BODY_TOO_LARGE', /limits\.bodySize/),
    );
  });

  it('answers 415 for a charset other than UTF-8', async () => {
    await assert.rejects(
      parse('a=1', {}, `${urlencoded}; charset=iso-8859-1`),
      expectHttpError(415, 'CARAFE_UNSUPPORTED_MEDIA_TYPE'),
    );
  });
});

describe('parseForm: other content types', () => {
  it('answers 415 for a non-form content type, naming the form types', async () => {
    for (const type of ['application/json', 'text/plain', 'multipart/mixed; boundary=x']) {
      await assert.rejects(
        parse('{}', {}, type),
        expectHttpError(
          415,
          'CARAFE_UNSUPPORTED_MEDIA_TYPE',
          /x-www-form-urlencoded or multipart\/form-data/,
        ),
        type,
      );
    }
  });

  it('treats a request with no Content-Type and no body as an empty form', async () => {
    const limits = defaultLimits;
    assert.deepEqual([...(await parseForm(formSource(undefined, null), limits)).keys()], []);
    assert.deepEqual([...(await parseForm(formSource(undefined, ''), limits)).keys()], []);
  });

  it('answers 415 for a body without a Content-Type', async () => {
    await assert.rejects(
      parseForm(formSource(undefined, 'a=1'), defaultLimits),
      expectHttpError(415, 'CARAFE_UNSUPPORTED_MEDIA_TYPE', /no Content-Type/),
    );
  });
});
