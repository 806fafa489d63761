import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../errors.js';
import { Router } from './index.js';

function add(
  router: Router<string>,
  name: string,
  pattern: string,
  methods: string[] = ['GET'],
): void {
  router.add({ name, pattern, methods, handler: name });
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

describe('malformed patterns are rejected by add()', () => {
  const cases: [pattern: string, ...fragments: string[]][] = [
    ['polls/', 'must start with "/"', 'write "/polls/"'],
    ['', 'must start with "/"'],
    ['/a/<int:id', 'position 3 with no closing ">"'],
    ['/a/<int:<id>>', 'position 3 with no closing ">"'],
    ['/a/id>', '">" at position 5 with no opening "<"'],
    ['/a/<>', 'no name', '<converter:name>'],
    ['/a/<int:>', 'no name ("<int:>")'],
    ['/a/<:id>', 'no converter before ":"'],
    ['/a/<int:my-id>', 'named "my-id"', 'letters, digits and _'],
    ['/a/<int:1st>', 'named "1st"'],
    ['/a/<path:a/b>', 'named "a/b"'],
    ['/a/<int:x:y>', 'named "x:y"'],
    ['/a/<__proto__>', 'named "__proto__"'],
    ['/a/<int:id>/<slug:id>', 'uses the parameter name "id" twice'],
    ['/a/<int:x>-<int:y>', 'second parameter ("<int:y>")', 'Separate them with "/"'],
    ['/search?q=<q>', 'contains "?"', 'req.query'],
    ['/page#top', 'contains "#"'],
    ['/bad\uD800', 'lone surrogate'],
  ];
  for (const [pattern, ...fragments] of cases) {
    it(`rejects ${JSON.stringify(pattern)}`, () => {
      assertCarafeError(
        () => add(new Router(), 'x', pattern),
        'CARAFE_ROUTE_PATTERN',
        JSON.stringify(pattern),
        ...fragments,
      );
    });
  }

  it('names the known converters when one is unknown', () => {
    const router = new Router<string>({ converters: { year: { parse: Number, format: String } } });
    assertCarafeError(
      () => add(router, 'x', '/a/<intt:id>'),
      'CARAFE_ROUTE_CONVERTER',
      'unknown converter "intt"',
      'Known converters: int, float, str, slug, uuid, path, year',
      'converters',
    );
  });
});

describe('bad route entries are rejected by add()', () => {
  it('needs a name', () => {
    assertCarafeError(() => add(new Router(), '', '/a'), 'CARAFE_ROUTE_NAME', '"/a" has no name');
  });

  it('needs upper-case methods', () => {
    assertCarafeError(
      () => add(new Router(), 'a', '/a', []),
      'CARAFE_ROUTE_METHOD',
      'has no methods',
    );
    assertCarafeError(
      () => add(new Router(), 'a', '/a', ['get']),
      'CARAFE_ROUTE_METHOD',
      '"get"',
      'upper-case',
    );
    assertCarafeError(
      () => add(new Router(), 'a', '/a', ['GET POST']),
      'CARAFE_ROUTE_METHOD',
      '"GET POST"',
    );
  });
});

describe('compile() checks routes against each other', () => {
  it('rejects a duplicate name, naming both patterns', () => {
    const router = new Router<string>();
    add(router, 'polls.detail', '/polls/<int:id>/');
    add(router, 'polls.detail', '/polls/<slug:slug>/', ['POST']);
    assertCarafeError(
      () => router.compile(),
      'CARAFE_ROUTE_DUPLICATE_NAME',
      '"polls.detail"',
      '/polls/<int:id>/',
      '/polls/<slug:slug>/',
    );
  });

  it('rejects two routes with the same shape and a shared method, naming both', () => {
    const router = new Router<string>();
    add(router, 'first', '/q/<int:id>/', ['GET', 'POST']);
    add(router, 'second', '/q/<int:pk>/', ['PUT', 'POST']);
    assertCarafeError(
      () => router.compile(),
      'CARAFE_ROUTE_CONFLICT',
      '"first" (/q/<int:id>/)',
      '"second" (/q/<int:pk>/)',
      'POST',
    );
  });

  it('sees identical static paths however they were written', () => {
    const router = new Router<string>();
    add(router, 'plain', '/café/');
    add(router, 'again', '/café/');
    assertCarafeError(() => router.compile(), 'CARAFE_ROUTE_CONFLICT', '"plain"', '"again"');
  });

  it('compares literal text around params too', () => {
    const router = new Router<string>();
    add(router, 'a', '/v<int:x>.json');
    add(router, 'b', '/v<int:y>.json');
    assertCarafeError(() => router.compile(), 'CARAFE_ROUTE_CONFLICT', '"a"', '"b"');
  });

  it('accepts same-shape routes with different methods, and different shapes', () => {
    const router = new Router<string>();
    add(router, 'read', '/q/<int:id>/', ['GET']);
    add(router, 'write', '/q/<int:pk>/', ['POST']);
    add(router, 'by-slug', '/q/<slug:id>/', ['GET']);
    add(router, 'suffixed', '/q/<int:id>.json/', ['GET']);
    assert.doesNotThrow(() => router.compile());
  });
});
