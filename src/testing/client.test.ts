import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Carafe, type CarafeConfig, json, redirect } from '../index.js';
import { TestClient } from './index.js';

function makeApp() {
  const app = new Carafe({
    secretKey: 'k'.repeat(48),
    allowedHosts: ['localhost'],
    log: { level: 'silent' },
  });
  app.get(
    '/set/',
    () =>
      json({ ok: true }).setCookie('theme', 'dark').setCookie('scoped', '1', { path: '/account/' }),
    {
      name: 'set',
    },
  );
  app.get('/clear/', () => json({ ok: true }).deleteCookie('theme'), { name: 'clear' });
  app.get('/echo-cookies/', (req) => ({ ...req.cookies }), { name: 'echo_cookies' });
  app.get('/account/echo/', (req) => ({ ...req.cookies }), { name: 'account_echo' });
  app.get('/query/', (req) => ({ tags: req.query.getAll('tag'), page: req.query.get('page') }), {
    name: 'query',
  });
  app.post('/hop/', () => redirect('/landing/', 303), { name: 'hop' });
  app.post('/keep/', () => redirect('/landing/', 307), { name: 'keep' });
  app.route(['GET', 'POST'], '/landing/', (req) => ({ method: req.method }), { name: 'landing' });
  app.post(
    '/upload/',
    async (req) => {
      const form = await req.form();
      const upload = form.file('doc');
      return { title: form.get('title'), name: upload?.filename, text: await upload?.text() };
    },
    { name: 'upload' },
  );
  return app;
}

describe('TestClient', () => {
  it('keeps cookies like a browser: sends them back, honours Path and deletion', async () => {
    const client = new TestClient(makeApp());
    await client.get('/set/');
    assert.equal(client.cookies.get('theme'), 'dark');
    assert.deepEqual((await client.get('/echo-cookies/')).json(), { theme: 'dark' });
    assert.deepEqual((await client.get('/account/echo/')).json(), { theme: 'dark', scoped: '1' });
    await client.get('/clear/');
    assert.equal(client.cookies.get('theme'), undefined);
    assert.deepEqual((await client.get('/echo-cookies/')).json(), {});
  });

  it('sends multi-valued query strings', async () => {
    const res = await new TestClient(makeApp()).get('/query/', {
      query: { tag: ['a', 'b'], page: 2 },
    });
    assert.deepEqual(res.json(), { tags: ['a', 'b'], page: '2' });
  });

  it('follows redirects, switching to GET after 303 and keeping the method after 307', async () => {
    const client = new TestClient(makeApp(), { followRedirects: true });
    const after303 = await client.post('/hop/');
    assert.deepEqual(after303.json(), { method: 'GET' });
    assert.deepEqual(after303.redirects, [[303, '/landing/']]);
    assert.deepEqual((await client.post('/keep/')).json(), { method: 'POST' });
    const manual = await new TestClient(makeApp()).post('/hop/');
    assert.equal(manual.status, 303);
    assert.equal(manual.location, '/landing/');
  });

  it('uploads multipart files', async () => {
    const res = await new TestClient(makeApp()).post('/upload/', {
      multipart: {
        title: 'Report',
        doc: new File(['file contents'], 'report.txt', { type: 'text/plain' }),
      },
    });
    assert.deepEqual(res.json(), { title: 'Report', name: 'report.txt', text: 'file contents' });
  });
});

describe('TestClient.inRequest', () => {
  const config = {
    secretKey: 'k'.repeat(48),
    allowedHosts: ['localhost', '127.0.0.1'],
    log: { level: 'silent' },
  } satisfies CarafeConfig;

  it("runs the callback inside the app's middleware and hooks and keeps the response's cookies", async () => {
    const app = new Carafe(config);
    const steps: string[] = [];
    app.use(async (req, next) => {
      steps.push(`middleware in ${req.method} ${req.path}`);
      const res = await next();
      steps.push(`middleware out ${res.status}`);
      return res.setCookie('seen', 'yes');
    });
    app.beforeRequest(() => {
      steps.push('before hook');
    });
    const client = new TestClient(app);
    client.cookies.set('theme', 'dark');
    const result = await client.inRequest(
      (req) => {
        steps.push('callback');
        return { path: req.path, theme: req.cookies.theme };
      },
      { path: '/somewhere/', headers: { 'x-probe': '1' } },
    );
    assert.deepEqual(result, { path: '/somewhere/', theme: 'dark' });
    assert.deepEqual(steps, [
      'middleware in GET /somewhere/',
      'before hook',
      'callback',
      'middleware out 204',
    ]);
    assert.equal(client.cookies.get('seen'), 'yes');
    // An app without sessions or any middleware: the callback still runs and returns.
    assert.equal(await new TestClient(new Carafe(config)).inRequest(async () => 42), 42);
  });

  it('throws what the callback throws, and the request fails as a throwing handler would', async () => {
    const app = new Carafe(config);
    const statuses: number[] = [];
    app.afterRequest((_req, res) => {
      statuses.push(res.status);
    });
    const problem = new Error('callback failed');
    await assert.rejects(
      new TestClient(app).inRequest(() => {
        throw problem;
      }),
      (error) => error === problem,
    );
    assert.deepEqual(statuses, [500]);
  });

  it('says so when the app answers before the callback runs', async () => {
    const app = new Carafe(config);
    app.beforeRequest((req) => (req.path.startsWith('/closed/') ? redirect('/login/') : undefined));
    let ran = false;
    const callback = () => {
      ran = true;
    };
    await assert.rejects(new TestClient(app).inRequest(callback, { path: '/closed/' }), {
      code: 'CARAFE_TEST_IN_REQUEST',
      message: /answered 302 \(to \/login\/\) before the callback ran/,
    });
    await assert.rejects(
      new TestClient(app, { baseUrl: 'http://unlisted.test' }).inRequest(callback),
      { code: 'CARAFE_TEST_IN_REQUEST', message: /answered 400/ },
    );
    assert.equal(ran, false);
  });

  it('cannot be reached by a request, even while a callback is waiting', async () => {
    const app = new Carafe(config);
    app.get('/', () => 'home', { name: 'home' });
    const routes = app.listRoutes();
    const client = new TestClient(app);
    client.cookies.set('sessionid', 'abc');
    let calls = 0;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const pending = client.inRequest(
      async (req) => {
        calls++;
        await gate;
        return req.path;
      },
      { path: '/door/' },
    );
    while (calls === 0) await new Promise((resolve) => setImmediate(resolve));

    // Requests shaped like the synthetic one: same method, path and cookies, in process and over a socket.
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE']) {
      assert.equal((await client.request(method, '/door/')).status, 404, method);
    }
    const inProcess = await app.fetch(
      new Request('http://localhost/door/', { headers: { cookie: 'sessionid=abc' } }),
    );
    assert.equal(inProcess.status, 404);
    const server = await app.listen({ port: 0, handleSignals: false });
    try {
      const overHttp = await fetch(`${server.url}/door/`, { headers: { cookie: 'sessionid=abc' } });
      assert.equal(overHttp.status, 404);
      assert.equal(await (await fetch(`${server.url}/`)).text(), 'home');
    } finally {
      await server.close();
    }

    assert.equal(calls, 1);
    release();
    assert.equal(await pending, '/door/');
    assert.deepEqual(app.listRoutes(), routes);
  });
});
