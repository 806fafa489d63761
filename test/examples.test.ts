// The examples: each starts, prints its URL, answers, and stops on SIGTERM. examples/polls is
// what `npm start` runs; examples/hello is the README's ten-line app.
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { it } from 'node:test';

const root = resolve(import.meta.dirname, '..');

interface Running {
  readonly url: string;
  readonly output: () => string;
}

/** Runs `main` with PORT=0, hands `check` its base URL, then stops it and expects exit code 0. */
async function serving(
  main: string,
  env: Record<string, string>,
  check: (running: Running) => Promise<void>,
): Promise<void> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', main],
    { cwd: root, env: { ...process.env, ...env, PORT: '0' } },
  );
  child.stdin.end();
  // Listen for the exit from the start, so an early exit is seen rather than awaited forever.
  const exited = once(child, 'exit');
  let errors = '';
  let output = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    errors += chunk;
  });
  child.stdout.setEncoding('utf8');
  try {
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed: ${output} ${errors}`)), 60000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the example exited with ${code} before serving: ${output} ${errors}`));
      });
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = /serving on (http:\/\/\S+?)\/? /.exec(output);
        if (match) {
          clearTimeout(timer);
          done(match[1]!);
        }
      });
    });
    await check({ url, output: () => output });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, `the example did not stop cleanly: ${errors}`);
  }
}

/** The `name=value` of the session cookie a response set, to send it back. */
function sessionCookie(res: Response): string {
  const cookie = res.headers.getSetCookie().find((header) => header.startsWith('sessionid='));
  assert.ok(cookie, 'no session cookie was set');
  return cookie.split(';')[0]!;
}

it('examples/hello serves its pages and prints its URL', async () => {
  await serving('examples/hello/main.ts', {}, async ({ url }) => {
    const hello = await fetch(`${url}/hello/world`);
    assert.deepEqual(await hello.json(), { greeting: 'Hello, world!' });
    const index = await fetch(`${url}/`);
    assert.equal(index.status, 200);
    assert.match(await index.text(), /Hello from Carafe/);
  });
});

it('examples/polls migrates its database, serves the polls and the admin, and says how to log in', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'carafe-polls-'));
  try {
    const env = { DATABASE_URL: `sqlite://${join(folder, 'db.sqlite3')}`, DEBUG: 'true' };
    await serving('examples/polls/main.ts', env, async ({ url, output }) => {
      assert.match(output(), /Applying polls\.0001_initial\.\.\. OK/);
      assert.match(output(), /npm run createsuperuser/);
      const home = await fetch(`${url}/`, { redirect: 'manual' });
      assert.equal(home.status, 302);
      assert.equal(home.headers.get('location'), '/polls/');
      const index = await fetch(`${url}/polls/`);
      assert.equal(index.status, 200);
      assert.match(await index.text(), /No polls are available\./);
      const css = await fetch(`${url}/static/polls/style.css`);
      assert.equal(css.status, 200);
      assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
      const admin = await fetch(`${url}/admin/`, { redirect: 'manual' });
      assert.equal(admin.status, 302);
      assert.match(admin.headers.get('location') ?? '', /^\/admin\/login\//);
      const login = await fetch(`${url}${admin.headers.get('location')}`);
      assert.equal(login.status, 200);
    });
    // `npm run createsuperuser` without a terminal reads the CARAFE_SUPERUSER_* variables.
    const created = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'examples/polls/createsuperuser.ts'],
      {
        cwd: root,
        encoding: 'utf8',
        input: '',
        env: {
          ...process.env,
          ...env,
          CARAFE_SUPERUSER_USERNAME: 'ada',
          CARAFE_SUPERUSER_EMAIL: 'ada@example.com',
          CARAFE_SUPERUSER_PASSWORD: 'a long demo passphrase',
        },
      },
    );
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /Superuser created successfully\./);
    // A second start finds the database migrated, and the new user logs in to the admin.
    await serving('examples/polls/main.ts', env, async ({ url, output }) => {
      assert.doesNotMatch(output(), /Applying/);
      const page = await fetch(`${url}/admin/login/`);
      const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await page.text())?.[1];
      assert.ok(token);
      const login = await fetch(`${url}/admin/login/`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: sessionCookie(page) },
        body: new URLSearchParams({
          csrfmiddlewaretoken: token,
          username: 'ada',
          password: 'a long demo passphrase',
        }),
      });
      assert.equal(login.status, 303);
      const index = await fetch(`${url}/admin/`, { headers: { cookie: sessionCookie(login) } });
      assert.equal(index.status, 200);
      assert.match(await index.text(), /Questions/);
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
