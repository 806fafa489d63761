import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CarafeError } from '../errors.js';
import { type DebugPageInput, renderDebugPage } from './index.js';

const thisFile = fileURLToPath(import.meta.url);
const hostile = `<script>alert("x")</script>&'`;
const hostileEscaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;';

function failInsideProject(): never {
  throw new Error('kaboom from the test file');
}

function queryDatabase(): never {
  throw new CarafeError('CARAFE_DB', 'connection refused');
}

function loadPolls(): never {
  try {
    queryDatabase();
  } catch (error) {
    throw new Error('could not load polls', { cause: error });
  }
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  assert.fail('expected a throw');
}

// Frames from this file would put its own source (hostile strings and secrets included) on the page.
function errorOutsideProject(message: string): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;
  return error;
}

function input(error: unknown, overrides: Partial<DebugPageInput['request']> = {}): DebugPageInput {
  return {
    error,
    request: {
      method: 'GET',
      url: '/polls/',
      headers: { accept: 'text/html' },
      query: new URLSearchParams(),
      ...overrides,
    },
    routeName: 'polls.index',
    requestId: 'req-7',
  };
}

describe('renderDebugPage', () => {
  it('shows the error, the source around project frames, and where it happened', async () => {
    const page = await renderDebugPage(input(thrown(failInsideProject)));
    assert.match(page, /^<!doctype html>/);
    assert.ok(page.includes('<p class="kind">Error</p>'));
    assert.ok(page.includes('<h1>kaboom from the test file</h1>'));
    assert.ok(
      page.includes('GET /polls/') &&
        page.includes('route polls.index') &&
        page.includes('request req-7'),
    );

    const lines = readFileSync(thisFile, 'utf8').split('\n');
    const throwLine = lines.findIndex((line) => line.includes("throw new Error('kaboom")) + 1;
    assert.ok(
      page.includes(`${relative(process.cwd(), thisFile)}:${throwLine}:`),
      'frame location, relative to cwd',
    );
    assert.ok(page.includes('<span class="fn mono">failInsideProject</span>'));
    const current = `<span class="line current"><span class="ln">${throwLine}</span>${lines[throwLine - 1]!.replace(/'/g, '&#39;')}</span>`;
    assert.ok(page.includes(current), 'the throwing line is highlighted');
    assert.ok(
      page.includes(
        `<span class="ln">${throwLine - 1}</span>function failInsideProject(): never {`,
      ),
      'with context',
    );
    assert.match(
      page,
      /<details class="library"><summary>\d+ frames? in libraries or Node.js internals<\/summary><ul><li class="mono">[^<]*node:/,
    );
  });

  it('is self-contained', async () => {
    const page = await renderDebugPage(input(errorOutsideProject('x')));
    assert.ok(page.includes('<style>'));
    assert.doesNotMatch(page, /<link|<script|<img|src=|@import/i);
  });

  it('collapses node_modules frames, reads file:// URLs and tolerates unreadable files', async () => {
    const error = new Error('synthetic');
    error.stack = [
      'Error: synthetic',
      `    at viaUrl (${pathToFileURL(thisFile).href}:14:9)`,
      '    at Router.dispatch (/srv/app/node_modules/some-lib/index.js:10:3)',
      '    at async Promise.all (index 0)',
      '    at gone (/definitely/not/here/source.ts:3:4)',
      `    at beyond (${thisFile}:999999:1)`,
    ].join('\n');
    const page = await renderDebugPage(input(error));
    assert.ok(page.includes('<span class="fn mono">viaUrl</span>'));
    assert.ok(page.includes(`<span class="line current"><span class="ln">14</span>`));
    assert.ok(page.includes('2 frames in libraries or Node.js internals'));
    assert.ok(page.includes('Router.dispatch (/srv/app/node_modules/some-lib/index.js:10:3)'));
    assert.ok(page.includes('/definitely/not/here/source.ts:3:4'));
    assert.equal(
      page.split('Source not available.').length - 1,
      2,
      'missing file and out-of-range line',
    );
  });

  it('escapes hostile text everywhere', async () => {
    const error = new CarafeError(`CARAFE_${hostile}`, `message ${hostile}`, {
      cause: new Error(`cause ${hostile}`),
    });
    error.stack = `CarafeError: message\n    at ${hostile} (${thisFile}:1:1)\n    at /srv/node_modules/${hostile}.js:1:1`;
    const page = await renderDebugPage({
      error,
      request: {
        method: `GET${hostile}`,
        url: `/path/${hostile}?q=${hostile}`,
        headers: { [`x-${hostile}`]: hostile, accept: [hostile, 'text/html'] },
        query: new URLSearchParams({ [`k${hostile}`]: `v${hostile}` }),
        form: { [`f${hostile}`]: `fv${hostile}` },
        cookies: { [`c${hostile}`]: `cv${hostile}` },
      },
      routeName: `route${hostile}`,
      requestId: `id${hostile}`,
    });
    assert.doesNotMatch(page, /<script|alert\("x"\)/);
    for (const text of [
      `message ${hostileEscaped}`,
      `cause ${hostileEscaped}`,
      `CarafeError · CARAFE_${hostileEscaped}`,
      `<span class="fn mono">${hostileEscaped}</span>`,
      `/srv/node_modules/${hostileEscaped}.js:1:1`,
      `GET${hostileEscaped}`,
      `route${hostileEscaped}`,
      `id${hostileEscaped}`,
      `<th>x-${hostileEscaped}</th><td><span class="mono">${hostileEscaped}</span>`,
      `${hostileEscaped}, text/html`,
      `<th>k${hostileEscaped}</th><td><span class="mono">v${hostileEscaped}</span>`,
      `<th>f${hostileEscaped}</th><td><span class="mono">fv${hostileEscaped}</span>`,
      `<th>c${hostileEscaped}</th><td><span class="mono">cv${hostileEscaped}</span>`,
    ]) {
      assert.ok(page.includes(text), `missing escaped: ${text}`);
    }
  });

  it('masks secrets in headers, query, form, cookies and the URL', async () => {
    const page = await renderDebugPage(
      input(errorOutsideProject('x'), {
        url: '/login/?next=/home/&password=hunter2',
        headers: {
          accept: 'text/html',
          authorization: 'Bearer tok-123',
          cookie: 'sessionid=sess-456; theme=dark',
          'x-api-key': 'apikey-789',
          'x-csrf-token': 'csrf-000',
          'user-agent': 'curl/8',
        },
        query: new URLSearchParams({ next: '/home/', password: 'hunter2' }),
        form: {
          username: 'alice',
          password: 'hunter2',
          csrfmiddlewaretoken: 'csrf-000',
          api_signature: 'sig-1',
        },
        cookies: { sessionid: 'sess-456', theme: 'dark' },
      }),
    );
    for (const secret of ['hunter2', 'tok-123', 'sess-456', 'apikey-789', 'csrf-000', 'sig-1']) {
      assert.ok(!page.includes(secret), `${secret} leaked`);
    }
    for (const shown of ['curl/8', 'alice', '/home/', 'dark'])
      assert.ok(page.includes(shown), `${shown} hidden`);
    assert.ok(page.includes('/login/?next=/home/&amp;password=********'));
    for (const name of [
      'authorization',
      'cookie',
      'x-api-key',
      'x-csrf-token',
      'password',
      'sessionid',
    ]) {
      assert.ok(
        page.includes(`<th>${name}</th><td><span class="masked">********</span></td>`),
        `${name} not masked`,
      );
    }
  });

  it('shows where a cause was thrown without repeating the shared callers', async () => {
    const page = await renderDebugPage(input(thrown(loadPolls)));
    const [outer, cause] = page.split('<h2>Caused by</h2>');
    assert.ok(outer!.includes('<span class="fn mono">loadPolls</span>'));
    assert.ok(cause!.includes('<h3>CarafeError · CARAFE_DB</h3>'));
    assert.ok(cause!.includes('<span class="fn mono">queryDatabase</span>'));
    assert.ok(cause!.includes('<span class="fn mono">loadPolls</span>'));
    const causeFrames =
      cause!.split('<h2>Request</h2>')[0]!.split('<div class="frame">').length - 1;
    assert.equal(causeFrames, 2, 'only the frames the outer trace lacks');
    assert.match(cause!, /… and \d+ callers shown above\./);
  });

  it('shows the cause chain, stopping at cycles', async () => {
    const root = new CarafeError('CARAFE_DB', 'connection refused', { cause: 'socket closed' });
    const page = await renderDebugPage(input(new Error('query failed', { cause: root })));
    assert.ok(page.includes('<h2>Caused by</h2>'));
    assert.ok(
      page.includes('<h3>CarafeError · CARAFE_DB</h3>\n<p class="message">connection refused</p>'),
    );
    assert.ok(
      page.includes('<h3>string (not an Error)</h3>\n<p class="message">socket closed</p>'),
    );

    const first = new Error('first');
    const second = new Error('second', { cause: first });
    first.cause = second;
    const cyclic = await renderDebugPage(input(first));
    assert.equal(cyclic.split('<div class="cause">').length - 1, 1);
  });

  it('describes thrown non-errors and errors without a stack', async () => {
    const page = await renderDebugPage(input({ reason: 'odd' }));
    assert.ok(page.includes('<p class="kind">object (not an Error)</p>'));
    assert.ok(page.includes('{ reason: &#39;odd&#39; }'));
    assert.ok(page.includes('No stack trace.'));
    const noRoute = await renderDebugPage({ ...input('oops'), routeName: undefined });
    assert.ok(noRoute.includes('no route matched'));
    assert.ok(noRoute.includes('<h1>oops</h1>'));
  });
});
