import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../errors.js';
import { type Converter, type RouteMatch, Router } from './index.js';

type Spec = [name: string, pattern: string, methods?: string[]];

function routerOf(specs: Spec[], converters?: Record<string, Converter>): Router<string> {
  const router = new Router<string>({ converters });
  for (const [name, pattern, methods = ['GET']] of specs) {
    router.add({ name, pattern, methods, handler: name });
  }
  router.compile();
  return router;
}

/** `name {params}` for a found route, the kind otherwise: short to compare. */
function describeMatch(match: RouteMatch<string>): string {
  if (match.kind !== 'found') return match.kind;
  return `${match.entry.handler} ${JSON.stringify(match.params)}`;
}

function matched(router: Router<string>, path: string, method = 'GET'): string {
  return describeMatch(router.match(method, path));
}

describe('static routes', () => {
  const router = routerOf([
    ['home', '/'],
    ['polls', '/polls/'],
    ['about', '/about'],
  ]);

  it('match exactly, trailing slash included', () => {
    assert.equal(matched(router, '/'), 'home {}');
    assert.equal(matched(router, '/polls/'), 'polls {}');
    assert.equal(matched(router, '/about'), 'about {}');
    assert.equal(matched(router, '/polls'), 'not-found');
    assert.equal(matched(router, '/about/'), 'not-found');
    assert.equal(matched(router, '/nope'), 'not-found');
  });

  it('do not match paths that are not origin-form', () => {
    assert.equal(matched(router, ''), 'not-found');
    assert.equal(matched(router, '*'), 'not-found');
    assert.equal(matched(router, 'polls/'), 'not-found');
  });

  it('compare literal text in encoded form, whatever the client encoded', () => {
    const unicode = routerOf([
      ['cafe', '/café/'],
      ['spaced', '/a b/'],
      ['plus', '/c++/'],
      ['percent', '/100%/'],
    ]);
    assert.equal(matched(unicode, '/caf%C3%A9/'), 'cafe {}');
    assert.equal(matched(unicode, '/caf%c3%a9/'), 'cafe {}');
    assert.equal(matched(unicode, '/café/'), 'cafe {}');
    assert.equal(matched(unicode, '/%63af%C3%A9/'), 'cafe {}');
    assert.equal(matched(unicode, '/a%20b/'), 'spaced {}');
    assert.equal(matched(unicode, '/a b/'), 'spaced {}');
    assert.equal(matched(unicode, '/c++/'), 'plus {}');
    assert.equal(matched(unicode, '/c%2B%2B/'), 'plus {}');
    assert.equal(matched(unicode, '/100%25/'), 'percent {}');
    assert.equal(matched(unicode, '/cafe/'), 'not-found');
  });

  it('keep an encoded slash inside its segment', () => {
    const slashed = routerOf([['ab', '/a/b']]);
    assert.equal(matched(slashed, '/a/b'), 'ab {}');
    assert.equal(matched(slashed, '/a%2Fb'), 'not-found');
  });
});

describe('dynamic routes', () => {
  it('give params converted by their converters', () => {
    const router = routerOf([['vote', '/polls/<int:id>/vote/<slug:choice>/']]);
    assert.equal(
      matched(router, '/polls/7/vote/yes-please/'),
      'vote {"id":7,"choice":"yes-please"}',
    );
    assert.equal(matched(router, '/polls/7/vote/yes-please'), 'not-found');
  });

  it('prefer a static segment over a parameter', () => {
    const router = routerOf([
      ['detail', '/users/<str:name>/'],
      ['new', '/users/new/'],
      ['edit', '/users/<str:name>/edit'],
      ['me-edit', '/users/me/edit'],
    ]);
    assert.equal(matched(router, '/users/new/'), 'new {}');
    assert.equal(matched(router, '/users/news/'), 'detail {"name":"news"}');
    assert.equal(matched(router, '/users/me/edit'), 'me-edit {}');
    assert.equal(matched(router, '/users/you/edit'), 'edit {"name":"you"}');
  });

  it('try parameters by converter priority, not registration order', () => {
    const router = routerOf([
      ['by-path', '/item/<path:rest>'],
      ['by-str', '/item/<str:text>'],
      ['by-slug', '/item/<slug:slug>'],
      ['by-float', '/item/<float:number>'],
      ['by-int', '/item/<int:id>'],
      ['by-uuid', '/item/<uuid:key>'],
    ]);
    assert.equal(matched(router, '/item/12'), 'by-int {"id":12}');
    assert.equal(matched(router, '/item/1.5'), 'by-float {"number":1.5}');
    assert.equal(matched(router, '/item/a-b'), 'by-slug {"slug":"a-b"}');
    assert.equal(matched(router, '/item/a.b'), 'by-str {"text":"a.b"}');
    assert.equal(matched(router, '/item/a/b'), 'by-path {"rest":"a/b"}');
    const key = '123e4567-e89b-12d3-a456-426614174000';
    assert.equal(matched(router, `/item/${key}`), `by-uuid {"key":"${key}"}`);
  });

  it('order custom converters by their priority, 50 by default', () => {
    const even: Converter<number> = {
      parse: (raw) => (/^\d*[02468]$/.test(raw) ? Number(raw) : undefined),
      format: String,
    };
    const router = routerOf(
      [
        ['rest', '/n/<path:rest>'],
        ['even', '/n/<even:value>'],
        ['text', '/s/<even:value>'],
        ['text', '/s/<str:text>'],
        ['id', '/m/<int:id>'],
        ['eager', '/m/<eager:value>'],
      ].map(([name, pattern], index): Spec => [`${name}${index}`, pattern!]),
      { even, eager: { ...even, priority: 1 } },
    );
    assert.equal(matched(router, '/n/4'), 'even1 {"value":4}');
    assert.equal(matched(router, '/n/5'), 'rest0 {"rest":"5"}');
    assert.equal(matched(router, '/s/4'), 'text3 {"text":"4"}');
    assert.equal(matched(router, '/m/4'), 'eager5 {"value":4}');
    assert.equal(matched(router, '/m/5'), 'id4 {"id":5}');
  });

  it('backtrack when a deeper segment fails', () => {
    const router = routerOf([
      ['static-then-int', '/a/b/<int:id>'],
      ['param-then-static', '/a/<str:x>/c'],
      ['int-then-edit', '/p/<int:id>/edit'],
      ['str-then-view', '/p/<str:s>/view'],
    ]);
    assert.equal(matched(router, '/a/b/1'), 'static-then-int {"id":1}');
    assert.equal(matched(router, '/a/b/c'), 'param-then-static {"x":"b"}');
    assert.equal(matched(router, '/p/1/view'), 'str-then-view {"s":"1"}');
    assert.equal(matched(router, '/p/1/edit'), 'int-then-edit {"id":1}');
    assert.equal(matched(router, '/p/x/edit'), 'not-found');
  });

  it('let params differ in name between routes sharing a prefix', () => {
    const router = routerOf([
      ['detail', '/q/<int:id>/'],
      ['results', '/q/<int:question>/results/'],
    ]);
    assert.equal(matched(router, '/q/3/'), 'detail {"id":3}');
    assert.equal(matched(router, '/q/3/results/'), 'results {"question":3}');
  });

  it('take a parameter with literal text around it in one segment', () => {
    const router = routerOf([
      ['versioned', '/v<int:version>/items'],
      ['text', '/files/<name>.txt'],
      ['any', '/files/<name>'],
      ['both', '/img/<int:w>x.png'],
    ]);
    assert.equal(matched(router, '/v2/items'), 'versioned {"version":2}');
    assert.equal(matched(router, '/vx/items'), 'not-found');
    assert.equal(matched(router, '/v/items'), 'not-found');
    assert.equal(matched(router, '/files/notes.txt'), 'text {"name":"notes"}');
    assert.equal(matched(router, '/files/notes.md'), 'any {"name":"notes.md"}');
    assert.equal(matched(router, '/files/.txt'), 'any {"name":".txt"}');
    assert.equal(matched(router, '/img/640x.png'), 'both {"w":640}');
  });

  it('match a greedy path as long as possible, then shorter', () => {
    const router = routerOf([
      ['static', '/static/<path:file>'],
      ['edit', '/docs/<path:page>/edit/'],
      ['zip', '/dl/<path:file>.zip'],
    ]);
    assert.equal(matched(router, '/static/css/site.css'), 'static {"file":"css/site.css"}');
    assert.equal(matched(router, '/static/a//b/'), 'static {"file":"a//b/"}');
    assert.equal(matched(router, '/docs/a/edit/b/edit/'), 'edit {"page":"a/edit/b"}');
    assert.equal(matched(router, '/docs/edit/'), 'not-found');
    assert.equal(matched(router, '/dl/a/b.zip'), 'zip {"file":"a/b"}');
    assert.equal(matched(router, '/dl/a.zip/b'), 'not-found');
    assert.equal(matched(router, '/static/'), 'not-found');
  });

  it('decode param text before converting it', () => {
    const router = routerOf([
      ['user', '/u/<name>/'],
      ['file', '/f/<path:p>'],
      ['cafe', '/café/<int:id>'],
    ]);
    assert.equal(matched(router, '/u/J%C3%BCrgen%20M./'), 'user {"name":"Jürgen M."}');
    assert.equal(matched(router, '/u/Jürgen/'), 'user {"name":"Jürgen"}');
    assert.equal(matched(router, '/u/a+b/'), 'user {"name":"a+b"}');
    assert.equal(matched(router, '/u/a%2Fb/'), 'user {"name":"a/b"}');
    assert.equal(matched(router, '/u/%3F%23/'), 'user {"name":"?#"}');
    assert.equal(matched(router, '/f/a%2Fb/c%20d'), 'file {"p":"a/b/c d"}');
    assert.equal(matched(router, '/caf%C3%A9/5'), 'cafe {"id":5}');
  });

  it('does not split an escape between a param and its literal suffix', () => {
    // "A9x" is the tail of %A9 here: taking it as the suffix would leave "%C3%" to decode.
    const router = routerOf([['tail', '/t/<name>A9x']]);
    assert.equal(matched(router, '/t/%C3%A9x'), 'not-found');
    assert.equal(matched(router, '/t/zA9x'), 'tail {"name":"z"}');
  });
});

describe('bad percent-encoding', () => {
  const router = routerOf([
    ['user', '/u/<name>/'],
    ['home', '/'],
  ]);

  for (const path of [
    '/u/%zz/',
    '/u/%/',
    '/u/%C3/',
    '/u/%FF/',
    '/u/%C0%AF/',
    '/u/%ED%A0%80/',
    '/nowhere/%E2%82',
  ]) {
    it(`answers 400 for ${path}`, () => {
      assert.throws(
        () => router.match('GET', path),
        (error: unknown) =>
          error instanceof BadRequest &&
          error.status === 400 &&
          error.code === 'CARAFE_BAD_PATH_ENCODING' &&
          /invalid percent-encoding/.test(error.message),
      );
    });
  }
});

describe('methods', () => {
  const router = routerOf([
    ['page', '/page/', ['GET']],
    ['form', '/form/', ['GET', 'POST']],
    ['head', '/h/', ['GET']],
    ['head-own', '/h/', ['HEAD']],
    ['api', '/api/<int:id>', ['PUT', 'DELETE']],
    ['api-read', '/api/<int:id>', ['GET']],
    ['opts', '/o/', ['OPTIONS', 'POST']],
  ]);

  it('dispatch to the route that declares the method', () => {
    assert.equal(matched(router, '/form/', 'POST'), 'form {}');
    assert.equal(matched(router, '/api/4', 'DELETE'), 'api {"id":4}');
    assert.equal(matched(router, '/api/4', 'GET'), 'api-read {"id":4}');
  });

  it("serve HEAD with GET's handler unless HEAD has its own", () => {
    assert.equal(matched(router, '/page/', 'HEAD'), 'page {}');
    assert.equal(matched(router, '/api/4', 'HEAD'), 'api-read {"id":4}');
    assert.equal(matched(router, '/h/', 'HEAD'), 'head-own {}');
    assert.equal(matched(router, '/h/', 'GET'), 'head {}');
  });

  it('report the allowed methods when only the method is wrong', () => {
    assert.deepEqual(router.match('POST', '/page/'), {
      kind: 'method-not-allowed',
      allowed: ['GET', 'HEAD', 'OPTIONS'],
    });
    assert.deepEqual(router.match('DELETE', '/form/'), {
      kind: 'method-not-allowed',
      allowed: ['GET', 'POST', 'HEAD', 'OPTIONS'],
    });
    assert.deepEqual(router.match('PATCH', '/api/4'), {
      kind: 'method-not-allowed',
      allowed: ['PUT', 'DELETE', 'GET', 'HEAD', 'OPTIONS'],
    });
    assert.deepEqual(router.match('GET', '/o/'), {
      kind: 'method-not-allowed',
      allowed: ['POST', 'OPTIONS'],
    });
    assert.equal(matched(router, '/o/', 'OPTIONS'), 'opts {}');
  });

  it('answer OPTIONS with 405 data when no route declares it, for the app to answer', () => {
    assert.deepEqual(router.match('OPTIONS', '/page/'), {
      kind: 'method-not-allowed',
      allowed: ['GET', 'HEAD', 'OPTIONS'],
    });
  });

  it('look past a route without the method to another pattern that has it', () => {
    const overlapping = routerOf([
      ['by-id', '/x/<int:id>', ['GET']],
      ['by-name', '/x/<str:name>', ['POST']],
      ['fixed', '/x/new', ['GET']],
    ]);
    assert.equal(matched(overlapping, '/x/5', 'POST'), 'by-name {"name":"5"}');
    assert.equal(matched(overlapping, '/x/new', 'POST'), 'by-name {"name":"new"}');
    assert.deepEqual(overlapping.match('PUT', '/x/5'), {
      kind: 'method-not-allowed',
      allowed: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    });
  });

  it('are case-sensitive, as HTTP says', () => {
    assert.equal(matched(router, '/page/', 'get'), 'method-not-allowed');
  });
});

describe('router lifecycle', () => {
  it('refuses to match before compile, and after a later add', () => {
    const router = new Router<string>();
    router.add({ name: 'a', pattern: '/a', methods: ['GET'], handler: 'a' });
    assert.throws(() => router.match('GET', '/a'), { code: 'CARAFE_ROUTER_NOT_COMPILED' });
    router.compile();
    assert.equal(matched(router, '/a'), 'a {}');
    router.add({ name: 'b', pattern: '/b', methods: ['GET'], handler: 'b' });
    assert.throws(() => router.match('GET', '/b'), { code: 'CARAFE_ROUTER_NOT_COMPILED' });
    router.compile();
    assert.equal(matched(router, '/b'), 'b {}');
  });

  it('lists entries in the order they were added', () => {
    const router = routerOf([
      ['z', '/z'],
      ['a', '/a/<int:id>', ['POST']],
    ]);
    assert.deepEqual(
      router.entries().map((entry) => [entry.name, entry.pattern, entry.methods]),
      [
        ['z', '/z', ['GET']],
        ['a', '/a/<int:id>', ['POST']],
      ],
    );
  });

  it('gives each match its own params object', () => {
    const router = routerOf([
      ['item', '/i/<int:id>'],
      ['home', '/'],
    ]);
    const first = router.match('GET', '/i/1');
    const second = router.match('GET', '/i/1');
    assert.ok(first.kind === 'found' && second.kind === 'found');
    assert.notEqual(first.params, second.params);
    const home = router.match('GET', '/');
    assert.ok(home.kind === 'found');
    home.params.extra = true;
    assert.deepEqual(router.match('GET', '/'), { kind: 'found', entry: home.entry, params: {} });
  });
});
