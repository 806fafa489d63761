import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../errors.js';
import { type Converter, Router } from './index.js';

const date: Converter<Date> = {
  parse(raw) {
    const value = new Date(`${raw}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(value.getTime()) ? value : undefined;
  },
  format: (value) => value.toISOString().slice(0, 10),
};

const router = new Router<string>({ converters: { date } });
const routes: [name: string, pattern: string][] = [
  ['home', '/'],
  ['cafe', '/café/menu/'],
  ['polls.detail', '/polls/<int:id>/'],
  ['polls.results', '/polls/<int:id>/results/'],
  ['score', '/score/<float:value>'],
  ['user', '/users/<name>/'],
  ['tag', '/tags/<slug:tag>'],
  ['object', '/objects/<uuid:key>'],
  ['file', '/files/<path:file>'],
  ['edit', '/docs/<path:page>/edit'],
  ['text', '/t/<str:name>.txt'],
  ['day', '/archive/<date:day>/'],
  ['version', '/v<int:number>/<slug:a>/<slug:b>'],
];
for (const [name, pattern] of routes)
  router.add({ name, pattern, methods: ['GET'], handler: name });
router.compile();

/** Reverses, then matches the URL back and returns the params the router finds. */
function roundTrip(
  name: string,
  params: Record<string, unknown>,
): { url: string; params: unknown } {
  const url = router.reverse(name, params);
  const match = router.match('GET', url);
  assert.ok(match.kind === 'found', `${url} did not match back`);
  assert.equal(match.entry.name, name);
  return { url, params: match.params };
}

function assertCarafeError(action: () => void, code: string, ...fragments: string[]): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CarafeError, `expected a CarafeError, got ${String(error)}`);
    assert.equal(error.code, code);
    for (const fragment of fragments)
      assert.ok(error.message.includes(fragment), `${error.message} lacks ${fragment}`);
    return true;
  });
}

describe('reverse', () => {
  it('builds static URLs, encoding their literal text', () => {
    assert.equal(router.reverse('home', {}), '/');
    assert.deepEqual(roundTrip('cafe', {}), { url: '/caf%C3%A9/menu/', params: {} });
  });

  it('round-trips every converter', () => {
    const key = '123e4567-e89b-12d3-a456-426614174000';
    const cases: [string, Record<string, unknown>, string][] = [
      ['polls.detail', { id: 42 }, '/polls/42/'],
      ['score', { value: 2.5 }, '/score/2.5'],
      ['score', { value: 3 }, '/score/3'],
      ['user', { name: 'ada' }, '/users/ada/'],
      ['tag', { tag: 'type-script_5' }, '/tags/type-script_5'],
      ['object', { key }, `/objects/${key}`],
      ['file', { file: 'css/site.css' }, '/files/css/site.css'],
      ['edit', { page: 'guide/routing' }, '/docs/guide/routing/edit'],
      ['text', { name: 'notes' }, '/t/notes.txt'],
      ['version', { number: 2, a: 'x', b: 'y' }, '/v2/x/y'],
    ];
    for (const [name, params, url] of cases) {
      assert.deepEqual(roundTrip(name, params), { url, params }, name);
    }
  });

  it('round-trips custom converters through format and parse', () => {
    const day = new Date('2024-02-29T00:00:00Z');
    const { url, params } = roundTrip('day', { day });
    assert.equal(url, '/archive/2024-02-29/');
    assert.deepEqual(params, { day });
  });

  it('percent-encodes unicode, spaces and reserved characters in params', () => {
    assert.deepEqual(roundTrip('user', { name: 'Jürgen M.' }), {
      url: '/users/J%C3%BCrgen%20M./',
      params: { name: 'Jürgen M.' },
    });
    assert.deepEqual(roundTrip('user', { name: '50% off? #1' }), {
      url: '/users/50%25%20off%3F%20%231/',
      params: { name: '50% off? #1' },
    });
    assert.deepEqual(roundTrip('user', { name: '日本' }), {
      url: '/users/%E6%97%A5%E6%9C%AC/',
      params: { name: '日本' },
    });
  });

  it('encodes / inside a str param but keeps it in a path param', () => {
    assert.deepEqual(roundTrip('user', { name: 'a/b' }), {
      url: '/users/a%2Fb/',
      params: { name: 'a/b' },
    });
    assert.deepEqual(roundTrip('file', { file: 'a b/c?d' }), {
      url: '/files/a%20b/c%3Fd',
      params: { file: 'a b/c?d' },
    });
    assert.deepEqual(roundTrip('text', { name: 'a.txt' }), {
      url: '/t/a.txt.txt',
      params: { name: 'a.txt' },
    });
  });

  it('appends a query from a record, repeating keys for arrays', () => {
    assert.equal(
      router.reverse(
        'polls.detail',
        { id: 1 },
        { query: { page: 2, q: 'a b&c', tag: ['x', 'y'], all: true } },
      ),
      '/polls/1/?page=2&q=a+b%26c&tag=x&tag=y&all=true',
    );
    assert.equal(router.reverse('home', {}, { query: {} }), '/');
  });

  it('appends a query from URLSearchParams', () => {
    const query = new URLSearchParams([
      ['next', '/polls/?a=1'],
      ['é', 'ü'],
    ]);
    assert.equal(router.reverse('home', {}, { query }), '/?next=%2Fpolls%2F%3Fa%3D1&%C3%A9=%C3%BC');
  });

  it('encodes the fragment and puts it last', () => {
    assert.equal(
      router.reverse('polls.detail', { id: 1 }, { query: { a: 1 }, fragment: 'choice 2#é' }),
      '/polls/1/?a=1#choice%202%23%C3%A9',
    );
    assert.equal(router.reverse('home', {}, { fragment: '' }), '/');
  });

  it('ignores params the pattern does not use', () => {
    assert.equal(router.reverse('polls.detail', { id: 1, extra: 'x' }), '/polls/1/');
  });
});

describe('reverse errors', () => {
  it('names missing params and the call that would work', () => {
    assertCarafeError(
      () => router.reverse('polls.detail', {}),
      'CARAFE_URLFOR_MISSING',
      'param "id"',
      '"/polls/<int:id>/"',
      'urlFor("polls.detail", { id: … })',
    );
    assertCarafeError(
      () => router.reverse('version', { number: 1, a: null }),
      'CARAFE_URLFOR_MISSING',
      'params "a", "b"',
    );
    assertCarafeError(
      () => router.reverse('user', Object.create({ name: 'inherited' })),
      'CARAFE_URLFOR_MISSING',
    );
  });

  it('rejects values the converter would not parse back', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['polls.detail', { id: -1 }, '-1 (number)'],
      ['polls.detail', { id: 1.5 }, '1.5 (number)'],
      ['polls.detail', { id: Number.MAX_SAFE_INTEGER + 1 }, '9007199254740992 (number)'],
      ['polls.detail', { id: 'x' }, '"x"'],
      ['score', { value: 1e-7 }, '1e-7 (number)'],
      ['score', { value: Number.NaN }, 'NaN (number)'],
      ['tag', { tag: 'not a slug' }, '"not a slug"'],
      [
        'object',
        { key: '123E4567-E89B-12D3-A456-426614174000' },
        '"123E4567-E89B-12D3-A456-426614174000"',
      ],
      ['user', { name: '' }, '""'],
      ['user', { name: 5 }, '5 (number)'],
      ['user', { name: { toString: () => 'x' } }, 'a value of type object'],
    ];
    for (const [name, params, shown] of cases) {
      const [param] = Object.keys(params);
      assertCarafeError(
        () => router.reverse(name, params),
        'CARAFE_URLFOR_PARAM',
        `urlFor("${name}")`,
        `param "${param}" is ${shown}, which`,
      );
    }
  });

  it('rejects text that is not well-formed Unicode', () => {
    assertCarafeError(
      () => router.reverse('user', { name: 'bad\uD800' }),
      'CARAFE_URLFOR_PARAM',
      'param "name"',
      'lone surrogate',
    );
  });

  it('reports a converter whose format throws', () => {
    assertCarafeError(
      () => router.reverse('day', { day: new Date(Number.NaN) }),
      'CARAFE_URLFOR_PARAM',
      'param "day"',
      'which the date converter could not format for <date:day>',
      'Invalid time value',
    );
  });

  it('suggests close names for an unknown one', () => {
    assertCarafeError(
      () => router.reverse('polls.detial', { id: 1 }),
      'CARAFE_URLFOR_UNKNOWN',
      'no route is named "polls.detial"',
      'Did you mean "polls.detail"?',
    );
    assertCarafeError(
      () => router.reverse('results', {}),
      'CARAFE_URLFOR_UNKNOWN',
      '"polls.results"',
    );
    assertCarafeError(
      () => router.reverse('something.else.entirely', {}),
      'CARAFE_URLFOR_UNKNOWN',
      'app.get(pattern, handler, { name })',
    );
  });

  it('rejects a fragment that is not well-formed Unicode', () => {
    assertCarafeError(
      () => router.reverse('home', {}, { fragment: '\uDC00' }),
      'CARAFE_URLFOR_FRAGMENT',
      'lone surrogate',
    );
  });
});
