import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Blueprint,
  Carafe,
  HttpError,
  HttpResponse,
  NotFound,
  type RequestFor,
  type RequestSource,
  View,
  abort,
  file,
  html,
  json,
  text,
} from '../index.js';
import { TestClient } from '../testing/index.js';

const quiet = { log: { level: 'silent' } } as const;

function makeApp(config: ConstructorParameters<typeof Carafe>[0] = {}) {
  return new Carafe({ debug: false, secretKey: 'k'.repeat(48), allowedHosts: ['localhost'], ...quiet, ...config });
}

/** A body-less request as a server adapter would hand it over. */
function sourceFor(method: string, url: string): RequestSource {
  const headers = { host: 'localhost' };
  return {
    method,
    url,
    header: (name) => headers[name as keyof typeof headers],
    headers: () => headers,
    body: () => null,
    remoteAddress: '127.0.0.1',
    encrypted: false,
  };
}

describe('respond: the step every adapter calls', () => {
  it('answers a synchronous handler without a promise, and waits only where something waits', async () => {
    const app = makeApp();
    app.get('/now/', () => ({ now: true }), { name: 'now' });
    app.get('/later/', async () => ({ later: true }), { name: 'later' });
    app.get('/fails/', () => abort(409, 'taken'), { name: 'fails' });

    const now = app.respond(app.createRequest(sourceFor('GET', '/now/')));
    assert.ok(now instanceof HttpResponse);
    assert.equal(now.body, '{"now":true}');
    const failed = app.respond(app.createRequest(sourceFor('GET', '/fails/')));
    assert.ok(failed instanceof Promise, 'error handlers may wait, so errors come back as a promise');
    assert.equal((await failed).status, 409);
    const later = app.respond(app.createRequest(sourceFor('GET', '/later/')));
    assert.ok(later instanceof Promise);
    assert.equal((await later).body, '{"later":true}');
    assert.equal((await app.respond(app.createRequest(sourceFor('GET', '/nowhere/')))).status, 404);
    const badHost = app.createRequest({ ...sourceFor('GET', '/now/'), header: () => 'evil.test' });
    assert.equal((await app.respond(badHost)).status, 400);
  });

  it("turns an async handler's value or error into a response, and lets route middleware see the error", async () => {
    const app = makeApp({ debug: true });
    app.get('/missing/', async () => abort(404, 'no such poll'), { name: 'missing' });
    app.get('/nothing/', (async () => undefined) as () => Promise<never>, { name: 'nothing' });
    const seen: string[] = [];
    app.get('/guarded/', async () => abort(409, 'taken'), {
      name: 'guarded',
      middleware: [
        async (_req, next) => {
          try {
            return await next();
          } catch (error) {
            // A transaction middleware rolls back here: it must get the exception, not a 409 page.
            seen.push(error instanceof HttpError ? `caught ${error.status}` : 'caught');
            throw error;
          }
        },
      ],
    });
    const missing = await app.respond(app.createRequest(sourceFor('GET', '/missing/')));
    assert.equal(missing.status, 404);
    const nothing = await app.respond(app.createRequest(sourceFor('GET', '/nothing/')));
    assert.equal(nothing.status, 500);
    assert.match(String(nothing.body), /CARAFE_BAD_RETURN/);
    assert.equal((await app.respond(app.createRequest(sourceFor('GET', '/guarded/')))).status, 409);
    assert.deepEqual(seen, ['caught 409']);
  });

  it('waits for app middleware and hooks, which see the synchronous answer as a response', async () => {
    const app = makeApp();
    app.get('/now/', () => ({ now: true }), { name: 'now' });
    app.use(async (_req, next) => {
      const res = await next();
      return res.setHeader('x-wrapped', 'yes');
    });
    const answer = app.respond(app.createRequest(sourceFor('GET', '/now/')));
    assert.ok(answer instanceof Promise);
    assert.equal((await answer).header('x-wrapped'), 'yes');

    const hooked = makeApp();
    hooked.get('/now/', () => ({ now: true }), { name: 'now' });
    hooked.afterRequest(() => {
      throw new HttpError(503, 'after hook failed');
    });
    assert.equal((await hooked.respond(hooked.createRequest(sourceFor('GET', '/now/')))).status, 503);
  });
});

describe('routing through the app', () => {
  it('answers handlers returning strings, objects, responses and web responses', async () => {
    const app = makeApp();
    app.get('/html', () => '<p>hi</p>', { name: 'html' });
    app.get('/obj', () => ({ a: 1, list: [1, 2] }), { name: 'obj' });
    app.get('/text', () => text('plain', { status: 201 }), { name: 'text' });
    app.get('/web', () => new Response('web', { status: 202, headers: { 'x-web': '1' } }), { name: 'web' });
    const client = new TestClient(app);

    const h = await client.get('/html');
    assert.equal(h.status, 200);
    assert.match(h.header('content-type') ?? '', /^text\/html/);
    assert.equal(h.text, '<p>hi</p>');

    const o = await client.get('/obj');
    assert.deepEqual(o.json(), { a: 1, list: [1, 2] });
    assert.match(o.header('content-type') ?? '', /^application\/json/);

    const t = await client.get('/text');
    assert.equal(t.status, 201);
    assert.equal(t.text, 'plain');

    const w = await client.get('/web');
    assert.equal(w.status, 202);
    assert.equal(w.header('x-web'), '1');
    assert.equal(w.text, 'web');
  });

  it('converts typed params and reverses names', async () => {
    const app = makeApp();
    app.get('/users/<int:id>/', (req) => ({ id: req.params.id, type: typeof req.params.id }), { name: 'user' });
    const client = new TestClient(app);
    assert.deepEqual((await client.get('/users/42/')).json(), { id: 42, type: 'number' });
    assert.equal((await client.get('/users/abc/')).status, 404);
    assert.equal(app.urlFor('user', { id: 7 }), '/users/7/');
  });

  it('answers HEAD from GET without a body, OPTIONS with Allow, and 405 with Allow', async () => {
    const app = makeApp();
    app.get('/thing', () => 'thing body', { name: 'thing' });
    app.post('/thing', () => 'posted', { name: 'thing_post' });
    const client = new TestClient(app);

    const head = await client.head('/thing');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');

    const options = await client.options('/thing');
    assert.equal(options.status, 204);
    assert.deepEqual(options.header('allow')?.split(', ').sort(), ['GET', 'HEAD', 'OPTIONS', 'POST']);

    const put = await client.put('/thing');
    assert.equal(put.status, 405);
    assert.deepEqual(put.header('allow')?.split(', ').sort(), ['GET', 'HEAD', 'OPTIONS', 'POST']);
  });

  it('redirects to the slashed path: 301 for GET, 308 for POST, keeping the query', async () => {
    const app = makeApp();
    app.route(['GET', 'POST'], '/polls/', () => 'polls', { name: 'polls' });
    const client = new TestClient(app);
    const get = await client.get('/polls?page=2');
    assert.equal(get.status, 301);
    assert.equal(get.location, '/polls/?page=2');
    const post = await client.post('/polls');
    assert.equal(post.status, 308);
    assert.equal((await client.get('/polls', { followRedirects: true })).text, 'polls');
  });

  it('never turns a slash redirect into a protocol-relative URL', async () => {
    const app = makeApp();
    app.get('/<path:rest>/', () => 'caught', { name: 'catch_all' });
    const res = await new TestClient(app).get('//evil.example');
    assert.equal(res.status, 301);
    assert.ok(!res.location?.startsWith('//'), `location was ${res.location}`);
  });

  it("keeps the slash policy off with trailingSlash: 'strict'", async () => {
    const app = makeApp({ trailingSlash: 'strict' });
    app.get('/polls/', () => 'polls', { name: 'polls' });
    assert.equal((await new TestClient(app).get('/polls')).status, 404);
  });

  it('fails at startup on duplicate names, naming both routes', () => {
    const app = makeApp();
    app.get('/a/', () => 'a', { name: 'same' });
    app.get('/b/', () => 'b', { name: 'same' });
    assert.throws(() => app.compile(), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'CARAFE_ROUTE_DUPLICATE_NAME');
      assert.match(error.message, /\/a\//);
      assert.match(error.message, /\/b\//);
      return true;
    });
  });

  it('names a route after its handler function when no name is given', () => {
    const app = makeApp();
    app.get('/about/', function about() {
      return 'about';
    });
    assert.equal(app.urlFor('about'), '/about/');
    assert.throws(() => app.get('/anon/', (() => () => 'x')()), /needs a name/);
  });
});

describe('blueprints', () => {
  it('prefixes paths, namespaces names and nests', async () => {
    const app = makeApp();
    const polls = new Blueprint('polls', { prefix: '/polls' });
    const api = new Blueprint('api', { prefix: '/api' });
    polls.get('/', () => 'index', { name: 'index' });
    polls.get('/<int:id>/', (req) => `detail ${req.params.id}`, { name: 'detail' });
    api.get('/items/', () => ({ items: [] }), { name: 'items' });
    polls.register(api);
    app.register(polls);
    const client = new TestClient(app);
    assert.equal((await client.get('/polls/')).text, 'index');
    assert.equal((await client.get('/polls/3/')).text, 'detail 3');
    assert.deepEqual((await client.get('/polls/api/items/')).json(), { items: [] });
    assert.equal(app.urlFor('polls.detail', { id: 3 }), '/polls/3/');
    assert.equal(app.urlFor('polls.api.items'), '/polls/api/items/');
  });

  it('runs middleware app → blueprint → route, innermost closest to the handler', async () => {
    const order: string[] = [];
    const tag = (label: string) => async (_req: unknown, next: () => Promise<HttpResponse>) => {
      order.push(`${label}>`);
      const res = await next();
      order.push(`<${label}`);
      res.appendHeader('x-trace', label);
      return res;
    };
    const app = makeApp();
    app.use(tag('app'));
    const bp = new Blueprint('bp', { prefix: '/bp', middleware: [tag('bp')] });
    bp.get('/x/', () => {
      order.push('handler');
      return 'x';
    }, { name: 'x', middleware: [tag('route')] });
    app.register(bp);
    const res = await new TestClient(app).get('/bp/x/');
    assert.equal(res.text, 'x');
    assert.deepEqual(order, ['app>', 'bp>', 'route>', 'handler', '<route', '<bp', '<app']);
    assert.equal(res.header('x-trace'), 'route, bp, app');
  });

  it('lets middleware answer early and sees error responses as responses', async () => {
    const app = makeApp();
    app.use(async (req, next) => (req.header('x-block') ? text('blocked', { status: 403 }) : next()));
    app.use(async (_req, next) => {
      const res = await next();
      res.setHeader('x-seen', String(res.status));
      return res;
    });
    app.get('/boom/', () => abort(418, 'teapot'), { name: 'boom' });
    const client = new TestClient(app);
    const blocked = await client.get('/boom/', { headers: { 'x-block': '1' } });
    assert.equal(blocked.status, 403);
    assert.equal(blocked.text, 'blocked');
    const boom = await client.get('/boom/');
    assert.equal(boom.status, 418);
    assert.equal(boom.header('x-seen'), '418');
    assert.equal((await client.get('/missing/')).header('x-seen'), '404');
  });

  it('runs before/after/teardown hooks in Flask order, before answering early', async () => {
    const calls: string[] = [];
    const app = makeApp();
    const bp = new Blueprint('bp', { prefix: '/bp' });
    app.beforeRequest(() => void calls.push('app.before'));
    bp.beforeRequest((req) => {
      calls.push('bp.before');
      if (req.query.has('stop')) return text('stopped early');
    });
    bp.afterRequest((_req, res) => {
      calls.push('bp.after');
      res.setHeader('x-bp', '1');
    });
    app.afterRequest((_req, res) => {
      calls.push('app.after');
      return res;
    });
    bp.teardown((_req, error) => void calls.push(`bp.teardown:${error === undefined}`));
    app.teardown(() => void calls.push('app.teardown'));
    bp.get('/h/', () => {
      calls.push('handler');
      return 'ok';
    }, { name: 'h' });
    app.register(bp);
    const client = new TestClient(app);
    const res = await client.get('/bp/h/');
    assert.equal(res.header('x-bp'), '1');
    assert.deepEqual(calls, ['app.before', 'bp.before', 'handler', 'bp.after', 'app.after', 'bp.teardown:true', 'app.teardown']);
    calls.length = 0;
    assert.equal((await client.get('/bp/h/?stop')).text, 'stopped early');
    assert.ok(!calls.includes('handler'));
  });

  it('finds error handlers by class, then status, closest blueprint first', async () => {
    class OutOfStock extends Error {}
    class Discontinued extends OutOfStock {}
    const app = makeApp();
    const shop = new Blueprint('shop', { prefix: '/shop' });
    shop.errorHandler(OutOfStock, (error) => json({ shop: error.constructor.name }, { status: 409 }));
    app.errorHandler(404, (_error, req) => html(`<p>no page at ${req.path}</p>`, { status: 404 }));
    app.errorHandler(500, () => text('app 500', { status: 500 }));
    shop.get('/a/', () => {
      throw new Discontinued();
    }, { name: 'a' });
    app.get('/b/', () => {
      throw new OutOfStock();
    }, { name: 'b' });
    shop.get('/c/', () => {
      throw new NotFound();
    }, { name: 'c' });
    app.register(shop);
    const client = new TestClient(app);
    const a = await client.get('/shop/a/');
    assert.equal(a.status, 409);
    assert.deepEqual(a.json(), { shop: 'Discontinued' });
    const b = await client.get('/b/');
    assert.equal(b.status, 500);
    assert.equal(b.text, 'app 500');
    assert.equal((await client.get('/shop/c/')).text, '<p>no page at /shop/c/</p>');
    assert.equal((await client.get('/nowhere')).text, '<p>no page at /nowhere</p>');
  });
});

describe('errors', () => {
  it('answers HttpError with its status and message, as HTML or JSON as the client asks', async () => {
    const app = makeApp();
    app.get('/teapot/', () => {
      throw new HttpError(418, 'I am a <teapot>', { headers: { 'x-why': 'tea' } });
    }, { name: 'teapot' });
    const client = new TestClient(app);
    const page = await client.get('/teapot/', { headers: { accept: 'text/html' } });
    assert.equal(page.status, 418);
    assert.equal(page.header('x-why'), 'tea');
    assert.match(page.text, /I am a &lt;teapot&gt;/);
    const api = await client.get('/teapot/', { headers: { accept: 'application/json' } });
    assert.deepEqual(api.json(), { error: 'I am a <teapot>', status: 418 });
  });

  it('hides 500 details outside debug and shows the debug page in debug', async () => {
    const boom = () => {
      throw new Error('database password is hunter2');
    };
    const prod = makeApp();
    prod.get('/boom/', boom, { name: 'boom' });
    const res = await new TestClient(prod).get('/boom/');
    assert.equal(res.status, 500);
    assert.doesNotMatch(res.text, /hunter2/);

    const dev = new Carafe({ debug: true, ...quiet });
    dev.get('/boom/', boom, { name: 'boom' });
    const debugPage = await new TestClient(dev).get('/boom/');
    assert.equal(debugPage.status, 500);
    assert.match(debugPage.text, /database password is hunter2/);
    assert.match(debugPage.text, /app\.test\.ts/);
  });

  it('rejects a handler that returns nothing with a clear 500 in debug', async () => {
    const app = new Carafe({ debug: true, ...quiet });
    app.get('/nothing/', () => undefined as unknown as string, { name: 'nothing' });
    const res = await new TestClient(app).get('/nothing/', { headers: { accept: 'application/json' } });
    assert.equal(res.status, 500);
    assert.match(res.json<{ detail: string }>().detail, /returned undefined/i);
  });

  it('answers 400 for a Host not in allowedHosts, before any handler runs', async () => {
    let ran = false;
    const app = makeApp({ allowedHosts: ['example.com'] });
    app.get('/', () => {
      ran = true;
      return 'home';
    }, { name: 'home' });
    const evil = await new TestClient(app, { baseUrl: 'http://evil.test' }).get('/');
    assert.equal(evil.status, 400);
    assert.equal(ran, false);
    const good = await new TestClient(app, { baseUrl: 'http://example.com' }).get('/');
    assert.equal(good.status, 200);
  });
});

describe('class-based views', () => {
  type ItemRequest = RequestFor<'/items/<int:id>/'>;
  class Item extends View<'/items/<int:id>/'> {
    override get(req: ItemRequest) {
      return { id: req.params.id, method: 'get' };
    }
    override post(req: ItemRequest) {
      return { id: req.params.id + 1, method: 'post' };
    }
  }

  it('dispatches per verb, answers HEAD from get and 405 for others', async () => {
    const app = makeApp();
    app.view('/items/<int:id>/', Item, { name: 'item' });
    const client = new TestClient(app);
    assert.deepEqual((await client.get('/items/1/')).json(), { id: 1, method: 'get' });
    assert.deepEqual((await client.post('/items/1/')).json(), { id: 2, method: 'post' });
    assert.equal((await client.head('/items/1/')).status, 200);
    const del = await client.delete('/items/1/');
    assert.equal(del.status, 405);
    assert.deepEqual(del.header('allow')?.split(', ').sort(), ['GET', 'HEAD', 'OPTIONS', 'POST']);
  });
});

describe('request bodies through the app', () => {
  it('reads JSON, forms and cookies; rejects malformed JSON with 400', async () => {
    const app = makeApp();
    app.post('/echo/', async (req) => ({ body: await req.json() }), { name: 'echo' });
    app.post('/form/', async (req) => {
      const form = await req.form();
      return { tags: form.getAll('tag'), name: form.get('name') };
    }, { name: 'form' });
    app.get('/cookie/', (req) => {
      const res = json({ seen: req.cookies.flavour ?? null });
      res.setCookie('flavour', 'oat');
      return res;
    }, { name: 'cookie' });
    const client = new TestClient(app);
    assert.deepEqual((await client.post('/echo/', { json: { a: [1] } })).json(), { body: { a: [1] } });
    const bad = await client.post('/echo/', { body: '{"a":', headers: { 'content-type': 'application/json' } });
    assert.equal(bad.status, 400);
    const form = await client.post('/form/', { form: { tag: ['a', 'b'], name: 'x' } });
    assert.deepEqual(form.json(), { tags: ['a', 'b'], name: 'x' });
    assert.deepEqual((await client.get('/cookie/')).json(), { seen: null });
    assert.deepEqual((await client.get('/cookie/')).json(), { seen: 'oat' });
  });
});

describe('file responses', () => {
  it('answers 404 through the error handlers when the file is missing', async () => {
    const app = makeApp();
    app.get('/download/', () => file('/nonexistent/carafe-report.pdf'), { name: 'download' });
    app.errorHandler(404, () => text('custom missing page', { status: 404 }));
    const res = await new TestClient(app).get('/download/');
    assert.equal(res.status, 404);
    assert.equal(res.text, 'custom missing page');
  });
});
