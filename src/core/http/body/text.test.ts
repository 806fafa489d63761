import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpError } from '../../errors.js';
import { decodeText, parseJson } from './index.js';

function expectHttpError(status: number, code: string, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  };
}

const invalidUtf8 = Buffer.from([0x61, 0xc3, 0x28]);

describe('decodeText', () => {
  it('decodes UTF-8 by default and strips a BOM', () => {
    assert.equal(decodeText(Buffer.from('café'), undefined), 'café');
    assert.equal(decodeText(Buffer.from('\ufeffhi'), 'text/plain'), 'hi');
  });

  it('honours charset=utf-8 and latin1, in any case', () => {
    assert.equal(decodeText(Buffer.from('naïve'), 'text/plain; charset=UTF-8'), 'naïve');
    assert.equal(
      decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain; charset="ISO-8859-1"'),
      'café',
    );
    assert.equal(decodeText(Buffer.from([0xe9]), 'text/plain;charset=latin1'), 'é');
  });

  it('answers 415 for another charset', () => {
    assert.throws(
      () => decodeText(Buffer.from('x'), 'text/plain; charset=shift_jis'),
      expectHttpError(415, 'CARAFE_UNSUPPORTED_MEDIA_TYPE', /shift_jis.*UTF-8/),
    );
  });

  it('answers 400 for invalid UTF-8', () => {
    assert.throws(
      () => decodeText(invalidUtf8, 'text/plain'),
      expectHttpError(400, 'CARAFE_INVALID_UTF8'),
    );
    // Overlong encoding of "/" and a lone surrogate encoded in UTF-8.
    assert.throws(
      () => decodeText(Buffer.from([0xc0, 0xaf]), undefined),
      expectHttpError(400, 'CARAFE_INVALID_UTF8'),
    );
    assert.throws(
      () => decodeText(Buffer.from([0xed, 0xa0, 0x80]), undefined),
      expectHttpError(400, 'CARAFE_INVALID_UTF8'),
    );
  });
});

describe('parseJson', () => {
  it('parses application/json and +json types', () => {
    assert.deepEqual(parseJson(Buffer.from('{"a":[1,2]}'), 'application/json'), { a: [1, 2] });
    assert.deepEqual(parseJson(Buffer.from('[true]'), 'Application/JSON; charset=utf-8'), [true]);
    assert.deepEqual(parseJson(Buffer.from('{"op":"add"}'), 'application/merge-patch+json'), {
      op: 'add',
    });
    assert.equal(parseJson(Buffer.from('"x"'), 'application/vnd.api+json'), 'x');
  });

  it('answers 415 naming the expected type for anything else', () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'json',
      '+json',
      undefined,
    ]) {
      assert.throws(
        () => parseJson(Buffer.from('{}'), type),
        expectHttpError(415, 'CARAFE_UNSUPPORTED_MEDIA_TYPE', /application\/json/),
        String(type),
      );
    }
    assert.throws(() => parseJson(Buffer.from('{}'), undefined), /no Content-Type/);
  });

  it('answers 415 for JSON in a charset other than UTF-8', () => {
    assert.throws(
      () => parseJson(Buffer.from('{}'), 'application/json; charset=utf-16'),
      expectHttpError(415, 'CARAFE_UNSUPPORTED_MEDIA_TYPE', /utf-16/),
    );
  });

  it('answers 400 for an empty body', () => {
    assert.throws(
      () => parseJson(Buffer.alloc(0), 'application/json'),
      expectHttpError(400, 'CARAFE_EMPTY_BODY'),
    );
  });

  it('answers 400 for invalid UTF-8', () => {
    assert.throws(
      () =>
        parseJson(
          Buffer.concat([Buffer.from('{"a":"'), invalidUtf8, Buffer.from('"}')]),
          'application/json',
        ),
      expectHttpError(400, 'CARAFE_INVALID_UTF8'),
    );
  });

  it('answers 400 saying what is wrong and where', () => {
    const cases: [string, RegExp][] = [
      ['{"a": }', /unexpected '}' \(expected a value\) at line 1, column 7/],
      ['[1, 2,]', /trailing comma before ']' at line 1, column 7/],
      ['{\n  "a": 1\n  "b": 2\n}', /unexpected '"' \(expected ',' or '}'\) at line 3, column 3/],
      ["{'a': 1}", /property name in double quotes.* at line 1, column 2/],
      ['{"a": 1', /unexpected end of input \(expected ',' or '}'\) at line 1, column 8/],
      ['{"a": "b', /unterminated string at line 1, column 7/],
      ['{"a": 1} extra', /after the end of the document at line 1, column 10/],
      ['"tab\there"', /control character in a string at line 1, column 5/],
      ['"\\x"', /invalid escape/],
      ['nul', /unexpected 'n' \(expected a value\)/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parseJson(Buffer.from(text), 'application/json'),
        expectHttpError(400, 'CARAFE_MALFORMED_JSON', message),
        text,
      );
    }
  });

  it('does not overflow the stack locating an error in deeply nested input', () => {
    assert.throws(
      () => parseJson(Buffer.from('['.repeat(100_000)), 'application/json'),
      expectHttpError(400, 'CARAFE_MALFORMED_JSON', /end of input/),
    );
  });

  it('keeps __proto__ an own property and pollutes no prototype', () => {
    const parsed = parseJson(
      Buffer.from('{"__proto__": {"polluted": true}, "a": 1}'),
      'application/json',
    );
    assert.ok(typeof parsed === 'object' && parsed !== null);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.ok(Object.hasOwn(parsed, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Reflect.get(parsed, 'polluted'), undefined);
  });
});
