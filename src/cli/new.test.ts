// carafe new and carafe startapp, run as the real command in a child process. The last test
// (slow: npm install and the project's own npm test) checks that a new project works.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  carafe,
  removeFolder,
  repositoryRoot,
  run,
  scratchFolder,
  startServer,
  useCheckoutSource,
} from './test-support/generated.js';

const version = (
  JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { version: string }
).version;

function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? filesUnder(join(folder, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

function secretKeyOf(project: string): string {
  const example = readFileSync(join(project, '.env.example'), 'utf8');
  return /^SECRET_KEY=(.*)$/m.exec(example)?.[1] ?? '';
}

describe('carafe new', { timeout: 60_000 }, () => {
  let folder: string;
  before(() => {
    folder = scratchFolder('new');
  });
  after(() => removeFolder(folder));

  it('makes a project with its own secret key and no .env', async () => {
    const { code, stdout, stderr } = await carafe(['new', 'mysite'], folder);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Created the project mysite/);
    assert.match(stdout, /cp \.env\.example \.env/);
    const project = join(folder, 'mysite');
    assert.deepEqual(filesUnder(project), [
      '.env.example',
      '.gitignore',
      'README.md',
      'carafe.config.ts',
      'package.json',
      'scripts/test.mjs',
      'src/main.ts',
      'src/pages/app.ts',
      'src/pages/routes.ts',
      'src/pages/templates/pages/home.html',
      'src/pages/tests/home.test.ts',
      'tsconfig.json',
    ]);
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      name: string;
      dependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    assert.equal(pkg.name, 'mysite');
    assert.deepEqual(pkg.dependencies, { carafe: `^${version}` });
    assert.equal(pkg.scripts.test, 'tsc --noEmit && node scripts/test.mjs');
    for (const file of filesUnder(project)) {
      assert.doesNotMatch(readFileSync(join(project, file), 'utf8'), /__[A-Za-z]+__/, file);
    }
    assert.match(readFileSync(join(project, '.gitignore'), 'utf8'), /^\.env$/m);
    const key = secretKeyOf(project);
    assert.match(key, /^[\w-]{50,}$/);

    assert.equal((await carafe(['new', 'othersite'], folder)).code, 0);
    assert.notEqual(secretKeyOf(join(folder, 'othersite')), key);
  });

  it('depends on a checkout given with --carafe, by absolute path', async () => {
    const { code, stderr } = await carafe(['new', 'linked', '--carafe', 'file:../..'], folder);
    assert.equal(code, 0, stderr);
    const pkg = JSON.parse(readFileSync(join(folder, 'linked', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    assert.equal(pkg.dependencies.carafe, `file:${join(folder, '..', '..')}`);
  });

  it('writes nothing into a folder that is not empty', async () => {
    mkdirSync(join(folder, 'taken'));
    writeFileSync(join(folder, 'taken', 'notes.txt'), 'mine\n');
    const { code, stderr } = await carafe(['new', 'taken'], folder);
    assert.equal(code, 1);
    assert.match(stderr, /^error: .*taken exists and is not an empty folder; nothing was written/);
    assert.equal(stderr.trimEnd().split('\n').length, 1);
    assert.deepEqual(readdirSync(join(folder, 'taken')), ['notes.txt']);
  });

  it('refuses a name npm would refuse', async () => {
    for (const name of ['My Site', 'MySite', '_site', 'node_modules']) {
      const { code, stderr } = await carafe(['new', name], folder);
      assert.equal(code, 2, name);
      assert.match(stderr, new RegExp(`^error: The project name "${name}" `), name);
      assert.equal(existsSync(join(folder, name)), false, name);
    }
    const missing = await carafe(['new'], folder);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /carafe new needs <name>/);
  });
});

describe('carafe startapp', { timeout: 60_000 }, () => {
  let folder: string;
  let project: string;
  before(async () => {
    folder = scratchFolder('startapp');
    assert.equal((await carafe(['new', 'site'], folder)).code, 0);
    project = join(folder, 'site');
  });
  after(() => removeFolder(folder));

  it('makes the app folder and says how to list it', async () => {
    const { code, stdout, stderr } = await carafe(['startapp', 'polls'], project);
    assert.equal(code, 0, stderr);
    assert.deepEqual(filesUnder(join(project, 'src', 'polls')), [
      'admin.ts',
      'app.ts',
      'migrations/.gitkeep',
      'models.ts',
      'routes.ts',
      'templates/polls/index.html',
      'tests/routes.test.ts',
    ]);
    const app = readFileSync(join(project, 'src', 'polls', 'app.ts'), 'utf8');
    assert.match(app, /export const polls = defineApp\(\{\n {2}name: 'polls',/);
    assert.match(app, /migrations: new URL\('\.\/migrations\/', import\.meta\.url\)/);
    assert.match(stdout, /import \{ polls \} from '\.\/src\/polls\/app\.js';/);
    assert.match(stdout, /apps: \[.*polls\]/);
  });

  it('refuses an app that exists, and an invalid name', async () => {
    const again = await carafe(['startapp', 'polls'], project);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^error: .*polls exists already; nothing was written/);
    for (const name of ['Polls', 'my-app', '2polls', 'class', 'admin']) {
      const { code, stderr } = await carafe(['startapp', name], project);
      assert.equal(code, 2, name);
      assert.match(stderr, new RegExp(`^error: The app name "${name}" `), name);
      assert.equal(existsSync(join(project, 'src', name)), false, name);
    }
  });

  it('needs a project', async () => {
    const { code, stderr } = await carafe(['startapp', 'polls'], folder);
    assert.equal(code, 1);
    assert.match(stderr, /^error: No carafe\.config\.ts in /);
    assert.equal(existsSync(join(folder, 'src')), false);
  });
});

// Slow (npm install, a type-check and the project's tests): about half a minute.
describe('a new project', { timeout: 180_000 }, () => {
  let folder: string;
  before(() => {
    folder = scratchFolder('newproject');
  });
  after(() => removeFolder(folder));

  it('installs, passes its tests, and serves its home page', async () => {
    assert.equal(
      (await carafe(['new', 'mysite', '--carafe', `file:${repositoryRoot}`], folder)).code,
      0,
    );
    const project = join(folder, 'mysite');
    useCheckoutSource(project);
    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: project,
    });
    assert.equal(install.code, 0, install.stderr);
    const test = await run('npm', ['test'], { cwd: project });
    assert.equal(test.code, 0, `${test.stdout}\n${test.stderr}`);
    assert.match(test.stdout, /^# pass 1$/m);

    const server = await startServer(project, ['serve'], {
      SECRET_KEY: randomBytes(48).toString('base64url'),
      ALLOWED_HOSTS: '127.0.0.1',
    });
    try {
      const res = await fetch(`${server.url}/`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /<h1>mysite is running<\/h1>/);
    } finally {
      await server.stop();
    }
  });
});
