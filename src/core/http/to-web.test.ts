import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFound } from '../errors.js';
import { file, html, stream } from './helpers/index.js';
import { HttpResponse } from './response.js';
import { toWebResponse } from './to-web.js';
import type { WriteRequest } from './write-node.js';

function req(method = 'GET', headers: Record<string, string> = {}): WriteRequest {
  return { method, header: (name) => headers[name], isSecure: false };
}

let dir: string;
const content = '0123456789'.repeat(20_000); // 200 000 bytes: several read chunks

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carafe-to-web-'));
  await writeFile(join(dir, 'digits.txt'), content);
  await writeFile(join(dir, 'empty.txt'), '');
});

after(() => rm(dir, { recursive: true, force: true }));

describe('toWebResponse', () => {
  it('converts a buffered body with status, headers and Content-Length', async () => {
    const response = await toWebResponse(
      html('<p>é</p>', { status: 201, headers: { 'x-a': '1' } }),
      req(),
    );
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.headers.get('x-a'), '1');
    assert.equal(response.headers.get('content-length'), '9');
    assert.equal(await response.text(), '<p>é</p>');
  });

  it('keeps bytes, repeated headers and each Set-Cookie apart', async () => {
    const source = new HttpResponse(new Uint8Array([7, 8]), {
      headers: { 'set-cookie': ['a=1', 'b=2, x'], vary: ['Accept', 'Cookie'] },
    });
    const response = await toWebResponse(source, req());
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), new Uint8Array([7, 8]));
    assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2, x']);
    assert.equal(response.headers.get('vary'), 'Accept, Cookie');
  });

  it('serialises pending cookies after the existing Set-Cookie values', async () => {
    const source = new HttpResponse('x', { headers: { 'set-cookie': 'a=1' } });
    source.setCookie('session', 'abc', { sameSite: 'Strict' });
    const plain = await toWebResponse(source, req());
    assert.deepEqual(plain.headers.getSetCookie(), [
      'a=1',
      'session=abc; Path=/; HttpOnly; SameSite=Strict',
    ]);
    const secure = await toWebResponse(source, { ...req(), isSecure: true });
    assert.deepEqual(secure.headers.getSetCookie(), [
      'a=1',
      'session=abc; Path=/; HttpOnly; Secure; SameSite=Strict',
    ]);
  });

  it('drops the body for HEAD but keeps Content-Length, and for 204/304', async () => {
    const head = await toWebResponse(new HttpResponse('abc'), req('HEAD'));
    assert.equal(head.headers.get('content-length'), '3');
    assert.equal(head.body, null);
    for (const status of [204, 304]) {
      const empty = await toWebResponse(new HttpResponse('abc', { status }), req());
      assert.equal(empty.status, status);
      assert.equal(empty.body, null);
      assert.equal(empty.headers.get('content-length'), null);
    }
  });

  it('streams an async iterable', async () => {
    async function* chunks() {
      yield 'a';
      yield new Uint8Array([98]);
      yield '';
      yield 'c';
    }
    const response = await toWebResponse(stream(chunks()), req());
    assert.equal(await response.text(), 'abc');
  });

  it('stops the source when the reader cancels', async () => {
    let finished = false;
    async function* endless() {
      try {
        while (true) {
          yield 'x';
          await sleep(1);
        }
      } finally {
        finished = true;
      }
    }
    const response = await toWebResponse(stream(endless()), req());
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    assert.equal(finished, true);
  });

  it('sends a file, a range of it, and nothing for HEAD or 304', async () => {
    const whole = await toWebResponse(file(join(dir, 'digits.txt')), req());
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-length'), String(content.length));
    assert.equal(await whole.text(), content);

    const part = await toWebResponse(
      file(join(dir, 'digits.txt')),
      req('GET', { range: 'bytes=5-14' }),
    );
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 5-14/${content.length}`);
    assert.equal(await part.text(), '5678901234');

    const tail = await toWebResponse(
      file(join(dir, 'digits.txt')),
      req('GET', { range: 'bytes=131000-' }),
    );
    assert.equal(await tail.text(), content.slice(131_000));

    const head = await toWebResponse(file(join(dir, 'digits.txt')), req('HEAD'));
    assert.equal(head.body, null);
    assert.equal(head.headers.get('content-length'), String(content.length));

    const cached = await toWebResponse(
      file(join(dir, 'digits.txt')),
      req('GET', { 'if-none-match': whole.headers.get('etag') ?? '' }),
    );
    assert.equal(cached.status, 304);
    assert.equal(cached.body, null);

    const empty = await toWebResponse(file(join(dir, 'empty.txt')), req());
    assert.equal(empty.headers.get('content-length'), '0');
    assert.equal(await empty.text(), '');
  });

  it('rejects with NotFound for a missing file', async () => {
    await assert.rejects(toWebResponse(file(join(dir, 'nope.txt')), req()), NotFound);
  });
});
