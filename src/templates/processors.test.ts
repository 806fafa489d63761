import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Blueprint, Carafe, type CarafeConfig, CarafeError, defineApp } from '../index.js';
import { TestClient } from '../testing/index.js';
import {
  type ContextProcessor,
  registerContextProcessor,
  render,
  renderToString,
  setStaticUrlResolver,
} from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'carafe-processors-'));
mkdirSync(join(dir, 'polls'));
const templates: Record<string, string> = {
  'builtins.html':
    '{{ request.method }} {{ request.path }} {{ urlFor("polls.detail", { id: 7 }) }} ' +
    '{{ urlFor("polls.detail", { id: 7 }, { query: { page: 2 } }) }} {{ static("css/site.css") }} ' +
    '{{ static("/img/a b.png") }} {{ debug }}',
  'app-level.html':
    '{{ urlFor("polls.detail", { id: 1 }) }} {{ static("x.js") }} {{ debug }} [{{ request }}]',
  'vars.html': '{{ user }}|{{ site }}|{{ theme }}|{{ late }}',
  'bad-static.html': '{{ static("") }}',
};
for (const [name, source] of Object.entries(templates)) writeFileSync(join(dir, name), source);

function makeApp(extra: CarafeConfig = {}): Carafe {
  const app = new Carafe({
    debug: false,
    secretKey: 'x'.repeat(48),
    allowedHosts: ['localhost'],
    log: { level: 'silent' },
    ...extra,
    templates: { dirs: [dir], ...extra.templates },
  });
  const polls = new Blueprint('polls', { prefix: '/polls' });
  polls.get('/<int:id>/', (req) => `poll ${req.params.id}`, { name: 'detail' });
  polls.get('/page/<name>', (req) => render(req, `${req.params.name}.html`), { name: 'page' });
  app.register(polls);
  return app;
}

describe('built-in context', () => {
  it('gives request, urlFor, static and debug to every template rendered for a request', async () => {
    const res = await new TestClient(makeApp()).get('/polls/page/builtins');
    assert.equal(res.status, 200);
    assert.equal(
      res.text,
      'GET /polls/page/builtins /polls/7/ /polls/7/?page=2 /static/css/site.css /static/img/a%20b.png false',
    );
  });

  it('follows staticUrl and debug from the config', async () => {
    const res = await new TestClient(makeApp({ debug: true, staticUrl: '/assets/' })).get(
      '/polls/page/builtins',
    );
    assert.ok(res.text.endsWith('/assets/css/site.css /assets/img/a%20b.png true'), res.text);
  });

  it('lets a manifest resolver map static paths', async () => {
    const app = makeApp();
    const manifest: Record<string, string> = { 'css/site.css': 'css/site.3f2a1b.css' };
    setStaticUrlResolver(app, (path) => `/static/${manifest[path] ?? path}`);
    const res = await new TestClient(app).get('/polls/page/builtins');
    assert.match(res.text, / \/static\/css\/site\.3f2a1b\.css \/static\/img\/a b\.png /);
  });

  it('has urlFor, static and debug but no request outside a request', async () => {
    assert.equal(
      await renderToString(makeApp(), 'app-level.html'),
      '/polls/1/ /static/x.js false []',
    );
  });

  it('rejects a static path that is not a path', async () => {
    await assert.rejects(renderToString(makeApp(), 'bad-static.html'), (error: unknown) => {
      assert.ok(error instanceof CarafeError);
      assert.equal(error.code, 'CARAFE_TEMPLATE_ERROR');
      assert.ok(error.cause instanceof CarafeError);
      assert.equal(error.cause.code, 'CARAFE_TEMPLATE_STATIC');
      assert.match(
        error.message,
        /static\(\) needs the file's path inside the static folders, such as 'css\/site\.css' \(got ""\)/,
      );
      return true;
    });
  });
});

describe('context processors', () => {
  it('adds registered processors (as batteries do from setup), then the config ones, then the view context', async () => {
    const order: string[] = [];
    const auth = defineApp({
      name: 'auth',
      setup: (app) =>
        registerContextProcessor(app, (req) => {
          order.push('registered');
          return { user: `ann@${req.path}`, site: 'from auth', theme: 'from auth' };
        }),
    });
    const fromConfig: ContextProcessor = async () => {
      order.push('config');
      return { site: 'from config', theme: 'from config', late: 'async' };
    };
    const app = makeApp({ apps: [auth], templates: { contextProcessors: [fromConfig] } });
    app.get('/', (req) => render(req, 'vars.html', { theme: 'from view' }), { name: 'home' });
    const res = await new TestClient(app).get('/');
    assert.equal(res.text, 'ann@/|from config|from view|async');
    assert.deepEqual(order, ['registered', 'config']);
  });

  it('runs processors on every render, and only for requests', async () => {
    let calls = 0;
    const app = makeApp();
    registerContextProcessor(app, () => ({ user: `call ${++calls}` }));
    app.get('/', (req) => render(req, 'vars.html'), { name: 'home' });
    const client = new TestClient(app);
    assert.equal((await client.get('/')).text, 'call 1|||');
    assert.equal((await client.get('/')).text, 'call 2|||');
    assert.equal(await renderToString(app, 'vars.html'), '|||');
    assert.equal(calls, 2);
  });

  it('keeps processors of one app away from another', async () => {
    const first = makeApp();
    const second = makeApp();
    registerContextProcessor(first, () => ({ user: 'first' }));
    for (const app of [first, second])
      app.get('/', (req) => render(req, 'vars.html'), { name: 'home' });
    assert.equal((await new TestClient(first).get('/')).text, 'first|||');
    assert.equal((await new TestClient(second).get('/')).text, '|||');
  });

  it('reports a processor that returns something other than an object', async () => {
    const app = makeApp();
    const broken = (() => 'oops') as unknown as ContextProcessor;
    registerContextProcessor(app, broken);
    app.get(
      '/',
      async (req) => {
        try {
          return await render(req, 'vars.html');
        } catch (error) {
          assert.ok(error instanceof CarafeError);
          return `${error.code}: ${error.message}`;
        }
      },
      { name: 'home' },
    );
    assert.equal(
      (await new TestClient(app).get('/')).text,
      'CARAFE_CONTEXT_PROCESSOR: Context processor broken returned "oops"; a context processor returns an object of template variables, such as { siteName: \'Polls\' }.',
    );
  });

  it('refuses to register something that is not a function', () => {
    assert.throws(
      () => registerContextProcessor(makeApp(), { user: 'x' } as unknown as ContextProcessor),
      (error: unknown) =>
        error instanceof CarafeError &&
        error.code === 'CARAFE_CONTEXT_PROCESSOR' &&
        error.message ===
          'registerContextProcessor needs a function (req) => ({ … }) (got an object).',
    );
  });
});
