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
