// Static files through the whole stack: app routing under staticUrl, the Node adapter, real sockets.
// Paths are sent raw with http.request, since fetch() would normalise `..` away before sending.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Carafe, type RunningServer } from '../src/index.js';

let base: string;
let server: RunningServer;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'carafe-static-e2e-')));
  const project = join(base, 'static');
  const appFolder = join(base, 'app-static');
  await mkdir(join(project, 'css'), { recursive: true });
  await mkdir(appFolder);
  await writeFile(join(base, 'secret.txt'), 'TOP SECRET');
  await writeFile(join(project, 'css', 'site.css'), 'body { color: teal }');
  await writeFile(join(project, 'app.0123abcd.js'), 'console.log(1)');
  await writeFile(join(project, '.env'), 'TOP SECRET');
  await writeFile(join(appFolder, 'logo.svg'), '<svg/>');
  await symlink(join(base, 'secret.txt'), join(project, 'link.txt'));
  const app = new Carafe({
    secretKey: 'x'.repeat(48),
    allowedHosts: ['127.0.0.1'],
    log: { level: 'silent' },
    static: [project, appFolder],
  });
  app.get('/', () => 'home', { name: 'home' });
  server = await app.listen({ port: 0, handleSignals: false });
});

after(async () => {
  await server.close();
  await rm(base, { recursive: true, force: true });
});

describe('static files through the app', { timeout: 20_000 }, () => {
  it('serves files from each folder with type, validators and caching', async () => {
    const css = await send('/static/css/site.css');
    assert.equal(css.status, 200);
    assert.equal(css.body, 'body { color: teal }');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(css.headers['cache-control'], 'no-cache');
    assert.equal(css.headers['content-length'], '20');
    assert.ok(css.headers.etag);
    assert.equal((await send('/static/logo.svg')).body, '<svg/>');
    const hashed = await send('/static/app.0123abcd.js');
    assert.equal(hashed.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  it('answers HEAD, Range and revalidation', async () => {
    const head = await send('/static/css/site.css', 'HEAD');
    assert.equal(head.headers['content-length'], '20');
    assert.equal(head.body, '');
    const part = await send('/static/css/site.css', 'GET', { range: 'bytes=0-3' });
    assert.equal(part.status, 206);
    assert.equal(part.body, 'body');
    const etag = String(head.headers.etag);
    const again = await send('/static/css/site.css', 'GET', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
  });

  it('never serves anything outside the folders', async () => {
    const attempts = [
      '/static/../secret.txt',
      '/static/%2e%2e/secret.txt',
      '/static/%2E%2E%2Fsecret.txt',
      '/static/..%2fsecret.txt',
      '/static/css/..%2f..%2fsecret.txt',
      '/static/%252e%252e/secret.txt',
      '/static/..\\secret.txt',
      '/static/..%5csecret.txt',
      '/static/%00',
      '/static/css%00/site.css',
      '/static//etc/passwd',
      '/static/%2fetc%2fpasswd',
      '/static/C:%5CWindows%5Cwin.ini',
      '/static/C:/Windows/win.ini',
      '/static/link.txt',
      '/static/.env',
      '/static/css/',
      '/static/',
      '/static/%zz',
    ];
    for (const path of attempts) {
      const answer = await send(path);
      assert.ok(
        answer.status === 400 || answer.status === 404,
        `${path} answered ${answer.status}`,
      );
      assert.ok(!answer.body.includes('TOP SECRET'), `${path} leaked the secret`);
    }
  });
});
