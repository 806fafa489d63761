import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BadRequest, HttpError, MethodNotAllowed, NotFound } from '../errors.js';
import type { HttpResponse } from '../http/response.js';
import { toWebResponse } from '../http/to-web.js';
import { createStaticHandler, type StaticHandler } from './index.js';

let base: string;
let projectDir: string;
let appDir: string;
let serve: StaticHandler;
const get = { method: 'GET' };

before(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'carafe-static-')));
  projectDir = join(base, 'project', 'static');
  appDir = join(base, 'app', 'static');
  await mkdir(join(projectDir, 'sub', 'dir'), { recursive: true });
  await mkdir(appDir, { recursive: true });
  await mkdir(join(base, 'outside'));
  await writeFile(join(base, 'secret.txt'), 'TOP SECRET');
  await writeFile(join(base, 'outside', 'secret.txt'), 'TOP SECRET');
  await writeFile(join(projectDir, 'site.css'), 'body{}');
  await writeFile(join(projectDir, 'app.3f9a1c2e.js'), 'hashed()');
  await writeFile(join(projectDir, 'café.txt'), 'crème');
  await writeFile(join(projectDir, '.env'), 'SECRET_KEY=x');
  await writeFile(join(projectDir, 'sub', 'page.html'), '<p>page</p>');
  await writeFile(join(projectDir, 'sub', '.hidden'), 'hidden');
  await symlink(join(base, 'secret.txt'), join(projectDir, 'escape.txt'));
  await symlink(join(base, 'outside'), join(projectDir, 'linkdir'));
  await symlink(join(projectDir, 'site.css'), join(projectDir, 'inside-link.css'));
  await writeFile(join(appDir, 'site.css'), 'app version');
  await writeFile(join(appDir, 'only-app.txt'), 'from the app');
  serve = createStaticHandler({
    roots: [{ dir: projectDir }, { dir: join(base, 'does-not-exist') }, { dir: appDir }],
  });
});

after(() => rm(base, { recursive: true, force: true }));

async function bodyOf(response: HttpResponse): Promise<string> {
  return (
    await toWebResponse(response, { method: 'GET', header: () => undefined, isSecure: false })
  ).text();
}

describe('createStaticHandler', () => {
  it('serves a file with its type and a revalidating Cache-Control', async () => {
    const response = await serve('site.css', get);
    assert.equal(response.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.equal(await bodyOf(response), 'body{}');
  });

  it('searches roots in order: the first that has the file wins', async () => {
    assert.equal(await bodyOf(await serve('site.css', get)), 'body{}');
    assert.equal(await bodyOf(await serve('only-app.txt', get)), 'from the app');
  });

  it('serves nested and percent-encoded names, and symlinks that stay inside', async () => {
    assert.equal(await bodyOf(await serve('sub/page.html', get)), '<p>page</p>');
    assert.equal(await bodyOf(await serve('caf%C3%A9.txt', get)), 'crème');
    assert.equal(await bodyOf(await serve('inside-link.css', get)), 'body{}');
    assert.equal((await serve('site.css', { method: 'HEAD' })).status, 200);
  });

  it('caches hashed names for a year and others for maxAge', async () => {
    assert.equal(
      (await serve('app.3f9a1c2e.js', get)).headers['cache-control'],
      'public, max-age=31536000, immutable',
    );
    const cached = createStaticHandler({ roots: [{ dir: projectDir }], maxAge: 600 });
    assert.equal((await cached('site.css', get)).headers['cache-control'], 'public, max-age=600');
    const custom = createStaticHandler({
      roots: [{ dir: projectDir }],
      immutablePattern: /^site\./g,
    });
    for (let i = 0; i < 3; i++) {
      assert.equal(
        (await custom('site.css', get)).headers['cache-control'],
        'public, max-age=31536000, immutable',
      );
    }
  });

  it('refuses traversal, separators, NUL, absolute paths and drive letters with 404', async () => {
    const attempts = [
      '../secret.txt',
      '..%2fsecret.txt',
      '..%2Fsecret.txt',
      '%2e%2e/secret.txt',
      '%2E%2E%2Fsecret.txt',
      '%2e%2e%2f%2e%2e%2fsecret.txt',
      'sub/../../secret.txt',
      'sub/%2e%2e/%2e%2e/secret.txt',
      '%252e%252e/secret.txt',
      '%252e%252e%252fsecret.txt',
      './site.css',
      'sub/./page.html',
      '....//secret.txt',
      '%00',
      'site.css%00',
      'site.css%00.txt',
      'site.css\0',
      '..\\secret.txt',
      '..%5csecret.txt',
      'sub\\page.html',
      '/etc/passwd',
      '%2fetc%2fpasswd',
      '//etc/passwd',
      'C:\\Windows\\win.ini',
      'C:/Windows/win.ini',
      'C%3A%5CWindows%5Cwin.ini',
      'site.css::$DATA',
      'escape.txt',
      'linkdir/secret.txt',
      '.env',
      '%2eenv',
      'sub/.hidden',
      'sub',
      'sub/',
      'sub/dir',
      '',
      'missing.css',
    ];
    for (const attempt of attempts) {
      await assert.rejects(
        serve(attempt, get),
        (error: unknown) => error instanceof NotFound,
        `${JSON.stringify(attempt)} was not a 404`,
      );
    }
  });

  it('answers 400 to invalid percent-encoding', async () => {
    for (const attempt of ['%zz', '%E0%A4%A', 'a%', '%C0%AE%C0%AE/secret.txt']) {
      await assert.rejects(serve(attempt, get), (error: unknown) => {
        assert.ok(error instanceof BadRequest, `${attempt} was not a 400`);
        assert.equal(error.status, 400);
        assert.match(error.message, /percent-encoding/);
        return true;
      });
    }
  });

  it('never returns a response for an attempt, whatever the status', async () => {
    const leaked: string[] = [];
    for (const attempt of [
      '../secret.txt',
      '%2e%2e/secret.txt',
      'escape.txt',
      'linkdir/secret.txt',
      '..%2f..%2fsecret.txt',
    ]) {
      try {
        leaked.push(await bodyOf(await serve(attempt, get)));
      } catch (error) {
        assert.ok(error instanceof HttpError && (error.status === 400 || error.status === 404));
      }
    }
    assert.deepEqual(leaked, []);
  });

  it('allows only GET and HEAD', async () => {
    await assert.rejects(serve('site.css', { method: 'POST' }), (error: unknown) => {
      assert.ok(error instanceof MethodNotAllowed);
      assert.equal(error.headers.allow, 'GET, HEAD');
      return true;
    });
  });

  it('checks its options', () => {
    assert.throws(() => createStaticHandler({ roots: [] }), {
      name: 'CarafeError',
      code: 'CARAFE_BAD_STATIC_OPTIONS',
    });
    assert.throws(() => createStaticHandler({ roots: [{ dir: projectDir }], maxAge: -1 }), {
      code: 'CARAFE_BAD_STATIC_OPTIONS',
      message: /maxAge/,
    });
  });

  it('serves a root created after startup', async () => {
    const later = join(base, 'later');
    const handler = createStaticHandler({ roots: [{ dir: later }] });
    await assert.rejects(handler('a.txt', get), NotFound);
    await mkdir(later);
    await writeFile(join(later, 'a.txt'), 'now here');
    assert.equal(await bodyOf(await handler('a.txt', get)), 'now here');
  });
});
