import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinConverters, type Converter, Router } from './index.js';

/** Matches `/x/<converter:value>` and returns the converted value, or undefined on 404. */
function matchValue(converter: string, segment: string, converters?: Record<string, Converter>) {
  const router = new Router<string>({ converters });
  router.add({ name: 'x', pattern: `/x/<${converter}:value>`, methods: ['GET'], handler: 'x' });
  router.compile();
  const match = router.match('GET', `/x/${segment}`);
  return match.kind === 'found' ? match.params.value : undefined;
}

describe('built-in converters', () => {
  it('int takes digits and gives a number', () => {
    assert.equal(matchValue('int', '42'), 42);
    assert.equal(matchValue('int', '0'), 0);
    assert.equal(matchValue('int', '007'), 7);
    assert.equal(matchValue('int', String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
  });

  it('int rejects signs, fractions, letters and unsafe integers', () => {
    for (const text of [
      '-1',
      '+1',
      '1.5',
      '1e3',
      'abc',
      '12a',
      ' 1',
      '9007199254740992',
      '99999999999999999999',
    ]) {
      assert.equal(matchValue('int', text), undefined, text);
    }
  });

  it('float takes digits with an optional fraction', () => {
    assert.equal(matchValue('float', '1.5'), 1.5);
    assert.equal(matchValue('float', '3'), 3);
    assert.equal(matchValue('float', '0.25'), 0.25);
  });

  it('float rejects signs, exponents and dangling dots', () => {
    for (const text of ['-1.5', '1.', '.5', '1e5', '1.2.3', 'NaN', 'Infinity', '1,5']) {
      assert.equal(matchValue('float', text), undefined, text);
    }
    assert.equal(matchValue('float', '9'.repeat(400)), undefined, 'overflows to Infinity');
  });

  it('str takes any non-empty segment and decodes it', () => {
    assert.equal(matchValue('str', 'hello'), 'hello');
    assert.equal(matchValue('str', 'a%20b'), 'a b');
    assert.equal(matchValue('str', 'a%2Fb'), 'a/b');
    assert.equal(matchValue('str', 'x/y'), undefined);
    assert.equal(matchValue('str', ''), undefined);
  });

  it('slug takes letters, digits, - and _ only', () => {
    assert.equal(matchValue('slug', 'my-first_post-2'), 'my-first_post-2');
    for (const text of ['a.b', 'a%20b', 'caf%C3%A9', 'a+b']) {
      assert.equal(matchValue('slug', text), undefined, text);
    }
  });

  it('uuid takes the lower-case canonical form only', () => {
    const id = '123e4567-e89b-12d3-a456-426614174000';
    assert.equal(matchValue('uuid', id), id);
    for (const text of [
      id.toUpperCase(),
      id.replaceAll('-', ''),
      `${id}0`,
      '123e4567-e89b-12d3-a456-42661417400g',
      '123e4567e-89b-12d3-a456-426614174000',
    ]) {
      assert.equal(matchValue('uuid', text), undefined, text);
    }
  });

  it('path takes the rest of the path, slashes included', () => {
    assert.equal(matchValue('path', 'a/b/c.txt'), 'a/b/c.txt');
    assert.equal(matchValue('path', 'a'), 'a');
    assert.equal(matchValue('path', ''), undefined);
  });

  it('format is the inverse of parse for every built-in', () => {
    assert.equal(builtinConverters.int.format(12), '12');
    assert.equal(builtinConverters.float.format(0.5), '0.5');
    assert.equal(builtinConverters.str.format('a b'), 'a b');
    assert.equal(builtinConverters.path.greedy, true);
    assert.equal(builtinConverters.str.greedy, undefined);
  });
});

describe('custom converters', () => {
  const year: Converter<number> = {
    parse: (raw) => (/^\d{4}$/.test(raw) ? Number(raw) : undefined),
    format: (value) => String(value).padStart(4, '0'),
  };

  it('parse the segment into the value they return', () => {
    assert.equal(matchValue('year', '2024', { year }), 2024);
    assert.equal(matchValue('year', '24', { year }), undefined);
  });

  it('can be greedy', () => {
    const words: Converter<string[]> = {
      parse: (raw) => raw.split('/'),
      format: (value) => value.join('/'),
      greedy: true,
    };
    assert.deepEqual(matchValue('words', 'a/b/c', { words }), ['a', 'b', 'c']);
  });

  it('are rejected when malformed or named like a built-in', () => {
    const cases: [Record<string, Converter>, RegExp][] = [
      [{ int: year }, /"int" has the name of a built-in converter/],
      [{ '2year': year }, /"2year" needs a name made of letters/],
      [{ 'ye-ar': year }, /"ye-ar" needs a name/],
      [
        { year: { parse: year.parse, format: 'x' } as unknown as Converter },
        /needs parse and format functions/,
      ],
      [{ year: { ...year, priority: Number.NaN } }, /priority that is not a finite number/],
    ];
    for (const [converters, message] of cases) {
      assert.throws(() => new Router({ converters }), { code: 'CARAFE_ROUTE_CONVERTER', message });
    }
  });
});
