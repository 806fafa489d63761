// The Node server over real sockets: limits, timeouts, graceful shutdown, signals, workers.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Carafe, type HttpResponse, type ListenOptions, text } from '../../index.js';

const fixture = fileURLToPath(new URL('../../../test/fixtures/server-app.ts', import.meta.url));

function makeApp(server: Record<string, number> = {}) {
  return new Carafe({
    secretKey: 'x'.repeat(48),
    allowedHosts: ['127.0.0.1'],
    log: { level: 'silent' },
    server,
  });
}

async function start(app: Carafe, options: ListenOptions = {}) {
  return app.listen({ port: 0, handleSignals: false, ...options });
}

/** Sends raw bytes and resolves with everything the server wrote before closing. */
function rawExchange(port: number, payload: string, { keepOpenMs = 0 } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.write(payload);
    if (keepOpenMs > 0) setTimeout(() => socket.end(), keepOpenMs);
  });
}

describe('Node server', () => {
  it('serves with Date and Content-Length and keeps connections alive', async () => {
    const app = makeApp();
    app.get('/hello', () => ({ hello: 'world' }), { name: 'hello' });
    const server = await start(app);
    try {
      const res = await fetch(`${server.url}/hello`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { hello: 'world' });
      assert.equal(res.headers.get('content-length'), '17');
      assert.ok(res.headers.get('date'));
      assert.equal(res.headers.get('connection'), 'keep-alive');
    } finally {
      await server.close();
    }
  });

  it('answers 413 to a body over the limit without reading it all', async () => {
    const app = makeApp();
    app.post('/upload', async (req) => ({ size: (await req.bytes()).length }), { name: 'upload' });
    const server = await start(app);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/upload`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(50 * 1024 * 1024) },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.write(Buffer.alloc(1024));
      });
      assert.equal(status, 413);
    } finally {
      await server.close();
    }
  });

  it('closes a connection whose request body the handler did not read, and keeps one whose body it read', async () => {
    const app = makeApp();
    app.post('/ignore', () => 'ignored', { name: 'ignore' });
    app.post('/echo', async (req) => req.text(), { name: 'echo' });
    const server = await start(app);
    try {
      const post = (path: string) =>
        rawExchange(server.port, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello`, {
          keepOpenMs: 200,
        });
      const ignored = await post('/ignore');
      assert.match(ignored, /^HTTP\/1\.1 200/);
      assert.match(ignored, /\r\nConnection: close\r\n/i);
      const echoed = await post('/echo');
      assert.match(echoed, /^HTTP\/1\.1 200/);
      assert.match(echoed, /\r\nConnection: keep-alive\r\n/i);
      assert.match(echoed, /\r\n\r\nhello$/);
    } finally {
      await server.close();
    }
  });

  it('answers 500 when a response cannot be written, whether the handler waited or not', async () => {
    const app = makeApp();
    // A newline in a header value: node:http refuses it at writeHead.
    app.get('/now', () => text('x', { headers: { 'x-bad': 'a\nb' } }), { name: 'now' });
    app.get('/later', async () => text('x', { headers: { 'x-bad': 'a\nb' } }), { name: 'later' });
    const server = await start(app);
    try {
      for (const path of ['/now', '/later']) {
        const res = await fetch(`${server.url}${path}`);
        assert.equal(res.status, 500, path);
        assert.equal(res.headers.get('x-bad'), null);
      }
      assert.equal((await fetch(`${server.url}/now`)).status, 500, 'the server keeps serving');
    } finally {
      await server.close();
    }
    // From plain JavaScript an after hook can return anything; it must not crash the process.
    const hooked = makeApp();
    hooked.get('/', () => 'home', { name: 'home' });
    hooked.afterRequest(() => 'not a response' as unknown as HttpResponse);
    const hookedServer = await start(hooked);
    try {
      assert.equal((await fetch(hookedServer.url)).status, 500);
      assert.equal((await fetch(hookedServer.url)).status, 500, 'the server keeps serving');
    } finally {
      await hookedServer.close();
    }
  });

  it('runs teardown hooks after a synchronous answer is written', async () => {
    const app = makeApp();
    const torn: string[] = [];
    let answered = false;
    app.teardown((req, error) => void torn.push(`${req.path}:${answered}:${error === undefined}`));
    app.get('/now', () => {
      answered = true;
      return { ok: true };
    }, { name: 'now' });
    const server = await start(app);
    try {
      assert.equal((await fetch(`${server.url}/now`)).status, 200);
      // Teardown runs once the response is written, which may be just after the client has it.
      for (let i = 0; i < 100 && torn.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(torn, ['/now:true:true']);
    } finally {
      await server.close();
    }
  });

  it('answers 431 to oversized headers', async () => {
    const app = makeApp({ maxHeaderSize: 4096 });
    app.get('/', () => 'home', { name: 'home' });
    const server = await start(app);
    try {
      const reply = await rawExchange(
        server.port,
        `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`,
      );
      assert.match(reply, /^HTTP\/1\.1 431/);
    } finally {
      await server.close();
    }
  });

  it('times out a client that never finishes its headers (408)', async () => {
    const app = makeApp({ headersTimeout: 300, requestTimeout: 600 });
    app.get('/', () => 'home', { name: 'home' });
    const server = await start(app);
    try {
      const started = Date.now();
      const reply = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      assert.match(reply, /^HTTP\/1\.1 408/);
      assert.ok(Date.now() - started < 5000, 'the slow client was cut off promptly');
    } finally {
      await server.close();
    }
  });

  it('rejects a disallowed Host over the wire with 400', async () => {
    const app = makeApp();
    app.get('/', () => 'home', { name: 'home' });
    const server = await start(app);
    try {
      const reply = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: evil.test\r\nConnection: close\r\n\r\n');
      assert.match(reply, /^HTTP\/1\.1 400/);
    } finally {
      await server.close();
    }
  });

  it('finishes in-flight requests on close, then runs shutdown hooks, then refuses new ones', async () => {
    const events: string[] = [];
    const app = makeApp({ shutdownTimeout: 5000 });
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    app.get('/slow', async () => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 300));
      events.push('handler done');
      return 'finished';
    }, { name: 'slow' });
    app.onShutdown(() => void events.push('shutdown hook'));
    const server = await start(app);
    const inFlight = fetch(`${server.url}/slow`).then(async (res) => [res.status, await res.text()] as const);
    await handlerStarted;
    await server.close();
    assert.deepEqual(await inFlight, [200, 'finished']);
    assert.deepEqual(events, ['handler done', 'shutdown hook']);
    await assert.rejects(fetch(`${server.url}/slow`));
  });

  it('gives up on a request that outlives the shutdown deadline', async () => {
    const app = makeApp({ shutdownTimeout: 200 });
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    app.get('/forever', () => {
      started();
      return new Promise<string>(() => {});
    }, { name: 'forever' });
    const server = await start(app);
    const hung = fetch(`${server.url}/forever`).then(
      () => 'answered',
      () => 'cut off',
    );
    await handlerStarted;
    const closingAt = Date.now();
    await server.close();
    assert.ok(Date.now() - closingAt < 2000);
    assert.equal(await hung, 'cut off');
  });
});

function runFixture(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not start: ${output}`)), 60000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      const match = /listening (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    });
    child.on('exit', (code) => reject(new Error(`fixture exited with ${code}: ${output}`)));
  });
}

describe('Node server processes', () => {
  it('on SIGTERM finishes the in-flight request, runs shutdown hooks and exits 0', async () => {
    const { child, url, output } = await runFixture({ WORKERS: '1' });
    const inFlight = fetch(`${url}/slow/`).then((res) => res.text());
    while (!output().includes('slow started')) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGTERM');
    assert.equal(await inFlight, 'slow done');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.match(output(), /shutdown hook ran/);
  });

  it('runs a cluster of workers sharing the port', async () => {
    const { child, url } = await runFixture({ WORKERS: '2' });
    try {
      const pids = new Set<number>();
      for (let i = 0; i < 20 && pids.size < 2; i++) {
        const res = await fetch(`${url}/pid/`, { headers: { connection: 'close' } });
        pids.add((await res.json()).pid);
      }
      assert.equal(pids.size, 2);
      assert.ok(!pids.has(child.pid!), 'workers, not the primary, answer');
    } finally {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    }
  });
});
