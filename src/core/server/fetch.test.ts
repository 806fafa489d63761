import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Carafe, stream } from '../../index.js';

describe('app.fetch', () => {
  const app = new Carafe({ secretKey: 'k'.repeat(48), allowedHosts: ['example.com'], log: { level: 'silent' } });
  app.get('/items/<int:id>/', (req) => ({ id: req.params.id, host: req.host, secure: req.isSecure }), { name: 'item' });
  app.get('/count/', () => stream((async function* () {
    for (let i = 1; i <= 3; i++) yield `${i}\n`;
  })()), { name: 'count' });
  app.post('/echo/', async (req) => ({ got: await req.text() }), { name: 'echo' });

  it('serves web-standard requests with the URL host and scheme', async () => {
    const res = await app.fetch(new Request('https://example.com/items/5/'));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: 5, host: 'example.com', secure: true });
  });

  it('streams bodies and reads request bodies', async () => {
    assert.equal(await (await app.fetch(new Request('http://example.com/count/'))).text(), '1\n2\n3\n');
    const echo = await app.fetch(new Request('http://example.com/echo/', { method: 'POST', body: 'héllo' }));
    assert.deepEqual(await echo.json(), { got: 'héllo' });
  });

  it('checks the Host of web requests too', async () => {
    assert.equal((await app.fetch(new Request('http://other.test/items/5/'))).status, 400);
  });
});

describe('app.fetch with a handler', () => {
  function doorApp() {
    const app = new Carafe({ secretKey: 'k'.repeat(48), allowedHosts: ['example.com'], log: { level: 'silent' } });
    app.use(async (req, next) => (await next()).setHeader('x-middleware', req.path));
    app.afterRequest((_req, res) => res.setHeader('x-after', String(res.status)));
    app.get('/items/<int:id>/', () => ({ routed: true }), { name: 'item' });
    app.errorHandler(RangeError, (error) => ({ handled: error.message }));
    return app;
  }

  it('answers in place of routing, inside the app middleware and hooks', async () => {
    const app = doorApp();
    const res = await app.fetch(new Request('http://example.com/items/5/'), {
      handler: (req) => ({ route: req.route?.name ?? null, params: req.params }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { route: null, params: {} });
    assert.equal(res.headers.get('x-middleware'), '/items/5/');
    assert.equal(res.headers.get('x-after'), '200');
    // The same request without a handler is routed as usual.
    assert.deepEqual(await (await app.fetch(new Request('http://example.com/items/5/'))).json(), { routed: true });
  });

  it("turns the handler's errors into the app's error responses, and still checks the Host", async () => {
    const app = doorApp();
    const thrown = await app.fetch(new Request('http://example.com/'), {
      handler: () => {
        throw new RangeError('out of range');
      },
    });
    assert.deepEqual(await thrown.json(), { handled: 'out of range' });
    let ran = false;
    const wrongHost = await app.fetch(new Request('http://other.test/'), {
      handler: () => {
        ran = true;
        return 'no';
      },
    });
    assert.equal(wrongHost.status, 400);
    assert.equal(ran, false);
  });
});
