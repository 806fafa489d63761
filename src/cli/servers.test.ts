import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { strongKey, TestProject } from './test-support/project.js';

const production = { DEBUG: 'false', SECRET_KEY: strongKey, ALLOWED_HOSTS: '127.0.0.1' };

describe('carafe serve, dev and collectstatic', { timeout: 300_000 }, () => {
  let project: TestProject;
  before(() => {
    project = new TestProject();
  });
  after(() => project.remove());

  it('serve refuses to start without a secret key and allowed hosts, in one line', async () => {
    const { code, stdout, stderr } = await project.run(['serve', '--port', '0']);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
    assert.match(
      stderr,
      /^error: carafe serve runs with debug off and refuses to start without secretKey and allowedHosts: write secretKey: env\('SECRET_KEY'\)/,
    );
    const noHosts = await project.run(['serve', '--port', '0'], { env: { SECRET_KEY: strongKey } });
    assert.match(noHosts.stderr, /refuses to start without allowedHosts:/);
  });

  it('rejects a bad --workers or --port before loading anything', async () => {
    const workers = await project.run(['serve', '--workers', 'two'], { env: production });
    assert.equal(workers.code, 2);
    assert.equal(
      workers.stderr,
      'error: --workers must be a whole number of at least 1 (got "two").\n',
    );
    const port = await project.run(['dev', '--port', '70000']);
    assert.equal(port.code, 2);
    assert.equal(port.stderr, 'error: --port must be at most 65535 (got 70000).\n');
  });

  it('collectstatic copies files under hashed names with a manifest; serve uses them', async () => {
    const collected = await project.run(['collectstatic'], { env: production });
    assert.equal(collected.code, 0, collected.stderr);
    assert.match(
      collected.stdout,
      /^2 static files copied to staticfiles, each also under a hashed name/m,
    );
    const root = join(project.path, 'staticfiles');
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
    assert.equal(manifest.version, 1);
    assert.deepEqual(Object.keys(manifest.paths), ['polls/img/logo.svg', 'polls/site.css']);
    const hashedCss: string = manifest.paths['polls/site.css'];
    assert.match(hashedCss, /^polls\/site\.[0-9a-f]{8}\.css$/);
    assert.match(manifest.paths['polls/img/logo.svg'], /^polls\/img\/logo\.[0-9a-f]{8}\.svg$/);
    assert.equal(readFileSync(join(root, hashedCss), 'utf8'), 'body { color: #333; }\n');
    assert.ok(existsSync(join(root, 'polls', 'site.css')), 'the original name is copied too');

    const server = project.start(['serve', '--port', '0', '--workers', '2'], { env: production });
    try {
      const [, url] = await server.waitFor(
        /Carafe is serving on (http:\/\/127\.0\.0\.1:\d+)\/ with 2 workers \(production mode/,
      );
      const vote = await fetch(`${url}/polls/7/vote/`);
      assert.deepEqual(await vote.json(), { id: 7 });
      const page = await fetch(`${url}/polls/page/`);
      assert.equal(await page.text(), `<link rel="stylesheet" href="/static/${hashedCss}">`);
      const css = await fetch(`${url}/static/${hashedCss}`);
      assert.equal(css.status, 200);
      assert.equal(css.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(await css.text(), 'body { color: #333; }\n');
      const boom = await fetch(`${url}/polls/boom/`);
      assert.equal(boom.status, 500);
      assert.doesNotMatch(await boom.text(), /boom in a handler/, 'production hides the error');
    } finally {
      server.child.kill('SIGTERM');
    }
    assert.equal(await server.exited, 0, server.output());
  });

  it('dev prints the URL and restarts the app when code changes', async () => {
    const server = project.start(['dev', '--port', '0']);
    try {
      const [, first] = await server.waitFor(
        /Carafe dev server on (http:\/\/127\.0\.0\.1:\d+)\/ \(debug on/,
      );
      assert.deepEqual(await (await fetch(`${first}/polls/1/vote/`)).json(), { id: 1 });
      const mark = server.output().length;
      const source = readFileSync(join(project.path, 'polls/app.ts'), 'utf8');
      project.write(
        'polls/app.ts',
        source.replace('({ id: req.params.id })', '({ id: req.params.id, edited: true })'),
      );
      await server.waitFor(/polls\/app\.ts changed; restarting\./, mark);
      const [, second] = await server.waitFor(
        /Carafe dev server on (http:\/\/127\.0\.0\.1:\d+)\//,
        mark,
      );
      assert.deepEqual(await (await fetch(`${second}/polls/1/vote/`)).json(), {
        id: 1,
        edited: true,
      });
      const boom = await fetch(`${second}/polls/boom/`);
      assert.equal(boom.status, 500);
      assert.match(await boom.text(), /boom in a handler/, 'debug mode shows the error page');
      assert.doesNotMatch(server.output(), /The server stopped/);
    } finally {
      server.child.kill('SIGTERM');
    }
    assert.equal(await server.exited, 0, server.output());
    await assert.rejects(
      fetch(
        `${server
          .output()
          .match(/http:\/\/127\.0\.0\.1:\d+/g)!
          .at(-1)}/`,
      ),
      'the child is gone too',
    );
  });
});
