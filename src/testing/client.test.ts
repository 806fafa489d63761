import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Carafe, json, redirect } from '../index.js';
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
