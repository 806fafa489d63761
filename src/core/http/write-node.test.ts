import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFound } from '../errors.js';
import { file, stream } from './helpers/index.js';
import { HttpResponse } from './response.js';
import { type WriteRequest, writeNodeResponse } from './write-node.js';

type Respond = (res: ServerResponse, req: WriteRequest) => Promise<void>;

let server: Server;
let base: string;
let respond: Respond = async () => {};
let lastWrite: Promise<void> = Promise.resolve();
let dir: string;
let secureRequests = false;
const fileContent = 'abcdefghijklmnopqrstuvwxyz'.repeat(40); // 1040 bytes

function writeRequest(message: IncomingMessage): WriteRequest {
  return {
    method: message.method ?? 'GET',
    header: (name) => {
      const value = message.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    isSecure: secureRequests,
  };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carafe-write-node-'));
  await writeFile(join(dir, 'alphabet.txt'), fileContent);
  await utimes(
    join(dir, 'alphabet.txt'),
    new Date('2024-01-01T00:00:00Z'),
    new Date('2024-01-01T00:00:00Z'),
  );
  server = createServer((message, res) => {
    lastWrite = respond(res, writeRequest(message));
    lastWrite.catch(() => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Serve `response` with writeNodeResponse, counting writeHead/write/end calls. */
function serve(response: HttpResponse | (() => HttpResponse)): {
  heads: () => number;
  writes: () => number;
  ends: () => number;
} {
  let counts = { heads: 0, writes: 0, ends: 0 };
  respond = (res, req) => {
    counts = { heads: 0, writes: 0, ends: 0 };
    const writeHead = mock.method(res, 'writeHead');
    const write = mock.method(res, 'write');
    const end = mock.method(res, 'end');
    res.on('close', () => {
      counts = {
        heads: writeHead.mock.callCount(),
        writes: write.mock.callCount(),
        ends: end.mock.callCount(),
      };
    });
    return writeNodeResponse(res, typeof response === 'function' ? response() : response, req);
  };
  return { heads: () => counts.heads, writes: () => counts.writes, ends: () => counts.ends };
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('writeNodeResponse with buffered bodies', { timeout: 10_000 }, () => {
  it('writes a string with Content-Length in one writeHead and one end', async () => {
    const counts = serve(
      new HttpResponse('héllo', { headers: { 'content-type': 'text/plain; charset=utf-8' } }),
    );
    const response = await fetch(`${base}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), '6');
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(await response.text(), 'héllo');
    await lastWrite;
    assert.equal(counts.heads(), 1);
    assert.equal(counts.writes(), 0);
    assert.equal(counts.ends(), 1);
  });

  it('writes bytes and an empty body', async () => {
    serve(new HttpResponse(new Uint8Array([1, 2, 3]), { status: 201 }));
    const bytes = await fetch(`${base}/`);
    assert.equal(bytes.status, 201);
    assert.equal(bytes.headers.get('content-length'), '3');
    assert.deepEqual(new Uint8Array(await bytes.arrayBuffer()), new Uint8Array([1, 2, 3]));
    serve(new HttpResponse(null, { status: 202 }));
    const empty = await raw('/');
    assert.equal(empty.status, 202);
    assert.equal(empty.headers['content-length'], '0');
    assert.equal(empty.body, '');
  });

  it('keeps Content-Length but sends no body for HEAD', async () => {
    serve(new HttpResponse('twelve bytes'));
    const response = await raw('/', { method: 'HEAD' });
    assert.equal(response.headers['content-length'], '12');
    assert.equal(response.body, '');
  });

  it('sends neither body nor Content-Length for 204 and 304', async () => {
    for (const status of [204, 304]) {
      serve(new HttpResponse('ignored', { status }));
      const response = await raw('/');
      assert.equal(response.status, status);
      assert.equal(response.headers['content-length'], undefined);
      assert.equal(response.body, '');
    }
  });

  it('writes repeated headers, Set-Cookie included, as separate lines', async () => {
    serve(
      new HttpResponse('ok', {
        headers: { 'set-cookie': ['a=1', 'b=2'], vary: ['Accept', 'Cookie'] },
      }),
    );
    const response = await raw('/');
    assert.deepEqual(response.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(response.headers.vary, 'Accept, Cookie');
  });

  it('serialises pending cookies with the safe defaults, Secure over HTTPS', async () => {
    const response = new HttpResponse('ok', { headers: { 'set-cookie': 'theme=dark; Path=/' } });
    response.setCookie('session', 'abc 1');
    response.deleteCookie('old');
    serve(response);
    const plainCookies = (await raw('/')).headers['set-cookie'] ?? [];
    assert.equal(plainCookies.length, 3);
    assert.equal(plainCookies[0], 'theme=dark; Path=/');
    assert.match(plainCookies[1]!, /^session=abc%201; Path=\/; HttpOnly; SameSite=Lax$/);
    assert.match(
      plainCookies[2]!,
      /^old=; Path=\/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT/,
    );
    secureRequests = true;
    try {
      // The same response object again: cookies are not collected twice.
      const secureCookies = (await raw('/')).headers['set-cookie'] ?? [];
      assert.equal(secureCookies.length, 3);
      assert.match(secureCookies[1]!, /; Secure/);
    } finally {
      secureRequests = false;
    }
    assert.equal(response.headers['set-cookie'], 'theme=dark; Path=/');
  });

  it('rejects before writing when a cookie is invalid', async () => {
    respond = (res, req) => {
      const response = new HttpResponse('x');
      response.setCookie('bad name', 'v');
      const promise = writeNodeResponse(res, response, req);
      promise.catch(() => res.writeHead(500).end());
      return promise;
    };
    assert.equal((await raw('/')).status, 500);
    await assert.rejects(lastWrite, { code: 'CARAFE_COOKIE_NAME' });
  });

  it('rejects when a header value cannot be written', async () => {
    respond = (res, req) => {
      const promise = writeNodeResponse(
        res,
        new HttpResponse('x', { headers: { 'x-bad': 'a\nb' } }),
        req,
      );
      promise.catch(() => res.writeHead(500).end());
      return promise;
    };
    assert.equal((await raw('/')).status, 500);
    await assert.rejects(lastWrite, { code: 'ERR_INVALID_CHAR' });
  });
});

describe('writeNodeResponse with streams', { timeout: 10_000 }, () => {
  it('writes chunks as they come, chunked', async () => {
    async function* chunks() {
      yield 'one,';
      yield '';
      yield new TextEncoder().encode('two,');
      await sleep(5);
      yield 'three';
    }
    serve(() => stream(chunks(), { headers: { 'content-type': 'text/plain' } }));
    const response = await raw('/');
    assert.equal(response.headers['transfer-encoding'], 'chunked');
    assert.equal(response.body, 'one,two,three');
    await lastWrite;
  });

  it('sends headers before the first chunk is ready', async () => {
    let release: () => void = () => {};
    async function* late() {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      yield 'done';
    }
    serve(() => stream(late()));
    const response = await fetch(`${base}/`);
    assert.equal(response.status, 200);
    release();
    assert.equal(await response.text(), 'done');
  });

  it('does not start the source for HEAD', async () => {
    let started = false;
    async function* source() {
      started = true;
      yield 'x';
    }
    serve(() => stream(source()));
    const response = await raw('/', { method: 'HEAD' });
    assert.equal(response.body, '');
    await lastWrite;
    assert.equal(started, false);
  });

  it('waits for the client to drain before pulling more (backpressure)', async () => {
    const chunk = new Uint8Array(64 * 1024);
    const total = 1000;
    let produced = 0;
    async function* big() {
      for (let i = 0; i < total; i++) {
        produced++;
        yield chunk;
      }
    }
    serve(() => stream(big()));
    const received = await new Promise<number>((resolve, reject) => {
      request(`${base}/`, (res) => {
        res.pause();
        setTimeout(() => {
          // 64 MiB in all; while paused only the socket buffers' worth may be produced.
          assert.ok(
            produced < total / 2,
            `produced ${produced} chunks while the client was paused`,
          );
          let bytes = 0;
          res.on('data', (data: Buffer) => {
            bytes += data.length;
          });
          res.on('end', () => resolve(bytes));
          res.resume();
        }, 300);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(received, total * chunk.length);
    assert.equal(produced, total);
    await lastWrite;
  });

  it('stops the generator when the client disconnects', async () => {
    let finished = false;
    let yielded = 0;
    async function* endless() {
      try {
        while (true) {
          yielded++;
          yield `tick ${yielded}\n`;
          await sleep(5);
        }
      } finally {
        finished = true;
      }
    }
    serve(() => stream(endless()));
    await new Promise<void>((resolve, reject) => {
      const req = request(`${base}/`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req
        .on('close', () => {})
        .on('socket', () => {})
        .end();
      setTimeout(() => reject(new Error('no data')), 2000);
    });
    await lastWrite; // resolves: a client leaving is not an error
    for (let i = 0; i < 100 && !finished; i++) await sleep(10);
    assert.equal(finished, true);
    const count = yielded;
    await sleep(50);
    assert.equal(yielded, count);
  });

  it('calls return() at once on an iterator waiting for a value that never comes', async () => {
    // An async generator can only be stopped at its next `yield`; an iterator like events.on()
    // stops the moment return() is called, so the writer must not wait for a pending next().
    let returned = false;
    const waiting: AsyncIterableIterator<string> = {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => new Promise<IteratorResult<string>>(() => {}),
      return: async () => {
        returned = true;
        return { done: true, value: undefined };
      },
    };
    serve(() => stream(waiting));
    await new Promise<void>((resolve, reject) => {
      const req = request(`${base}/`, () => {
        // Headers arrived; the stream is now waiting on next(). Leave.
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 20);
      });
      req.on('error', () => {});
      req.end();
      setTimeout(() => reject(new Error('no headers')), 2000);
    });
    await lastWrite;
    assert.equal(returned, true);
  });

  it('destroys the connection and rejects when the stream throws after headers', async () => {
    async function* failing() {
      yield 'partial';
      throw new Error('database went away');
    }
    serve(() => stream(failing()));
    const outcome = await new Promise<string>((resolve) => {
      const req = request(`${base}/`, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve('ended'));
        res.on('error', () => resolve('cut'));
        res.on('aborted', () => resolve('cut'));
      });
      req.on('error', () => resolve('cut'));
      req.end();
    });
    assert.equal(outcome, 'cut');
    await assert.rejects(lastWrite, /database went away/);
  });
});

describe('writeNodeResponse with files', { timeout: 10_000 }, () => {
  it('sends the whole file with validators', async () => {
    serve(() => file(join(dir, 'alphabet.txt')));
    const response = await raw('/');
    assert.equal(response.status, 200);
    assert.equal(response.body, fileContent);
    assert.equal(response.headers['content-length'], String(fileContent.length));
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(response.headers['accept-ranges'], 'bytes');
    assert.equal(response.headers['last-modified'], 'Mon, 01 Jan 2024 00:00:00 GMT');
    assert.match(response.headers.etag ?? '', /^W\/"410-/);
  });

  it('sends a byte range as 206', async () => {
    serve(() => file(join(dir, 'alphabet.txt')));
    const response = await raw('/', { headers: { range: 'bytes=26-30' } });
    assert.equal(response.status, 206);
    assert.equal(response.body, 'abcde');
    assert.equal(response.headers['content-range'], `bytes 26-30/${fileContent.length}`);
    assert.equal(response.headers['content-length'], '5');
    const suffix = await raw('/', { headers: { range: 'bytes=-3' } });
    assert.equal(suffix.body, 'xyz');
  });

  it('answers 416 and 304 without a body', async () => {
    serve(() => file(join(dir, 'alphabet.txt')));
    const unsatisfiable = await raw('/', { headers: { range: 'bytes=5000-' } });
    assert.equal(unsatisfiable.status, 416);
    assert.equal(unsatisfiable.headers['content-range'], `bytes */${fileContent.length}`);
    assert.equal(unsatisfiable.body, '');
    const first = await raw('/');
    const cached = await raw('/', { headers: { 'if-none-match': first.headers.etag ?? '' } });
    assert.equal(cached.status, 304);
    assert.equal(cached.body, '');
    assert.equal(cached.headers.etag, first.headers.etag);
  });

  it('sends headers only for HEAD', async () => {
    serve(() => file(join(dir, 'alphabet.txt')));
    const response = await raw('/', { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-length'], String(fileContent.length));
    assert.equal(response.body, '');
  });

  it('sends a file with a custom status whole, ignoring Range and conditionals', async () => {
    serve(() => file(join(dir, 'alphabet.txt'), { status: 404 }));
    const response = await raw('/', {
      headers: { range: 'bytes=0-1', 'if-modified-since': new Date().toUTCString() },
    });
    assert.equal(response.status, 404);
    assert.equal(response.body, fileContent);
  });

  it('rejects with NotFound before writing anything when the file is missing', async () => {
    respond = (res, req) => {
      const promise = writeNodeResponse(res, file(join(dir, 'missing.txt')), req);
      promise.catch((error: unknown) => {
        assert.equal(res.headersSent, false);
        res.writeHead(error instanceof NotFound ? 404 : 500).end();
      });
      return promise;
    };
    assert.equal((await raw('/')).status, 404);
    await assert.rejects(lastWrite, NotFound);
  });

  it('resolves quietly when the client leaves mid-file', async () => {
    const bigPath = join(dir, 'big.bin');
    await writeFile(bigPath, new Uint8Array(32 * 1024 * 1024));
    serve(() => file(bigPath));
    await new Promise<void>((resolve) => {
      const req = request(`${base}/`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.end();
    });
    await lastWrite;
  });
});
