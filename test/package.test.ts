// The package as a consumer sees it: `npm run build`, then a project depending on this checkout
// with `file:` imports 'carafe' and 'carafe/testing' from dist/, in JavaScript and in TypeScript.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the built package', () => {
  let project: string;

  before(() => {
    execFileSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'pipe' });
    project = mkdtempSync(join(tmpdir(), 'carafe-consumer-'));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', type: 'module', private: true, dependencies: { carafe: `file:${root}` } }),
    );
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'pipe' });
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  it('runs from dist through the exports map', () => {
    writeFileSync(
      join(project, 'main.mjs'),
      `import { Carafe } from 'carafe';
import { TestClient } from 'carafe/testing';
const app = new Carafe({ debug: true, log: { level: 'silent' } });
app.get('/<int:id>/', (req) => ({ id: req.params.id }), { name: 'item' });
const res = await new TestClient(app).get('/4/');
console.log(res.status, res.text);
`,
    );
    const output = execFileSync(process.execPath, ['--no-warnings', 'main.mjs'], { cwd: project, encoding: 'utf8' });
    assert.equal(output.trim(), '200 {"id":4}');
  });

  it('gives the batteries the same core as the app: one copy of the bundled core', () => {
    writeFileSync(
      join(project, 'errors.mjs'),
      `import { CarafeError } from 'carafe';
import { database } from 'carafe/db';
try {
  database('missing');
} catch (error) {
  console.log(error instanceof CarafeError, error.code);
}
`,
    );
    const output = execFileSync(process.execPath, ['--no-warnings', 'errors.mjs'], { cwd: project, encoding: 'utf8' });
    assert.equal(output.trim(), 'true CARAFE_DB_NOT_CONFIGURED');
  });

  it('type-checks a TypeScript consumer against the emitted declarations', () => {
    writeFileSync(
      join(project, 'main.ts'),
      `import { Carafe } from 'carafe';
const app = new Carafe({ debug: true });
app.get('/<int:id>/', (req) => {
  const id: number = req.params.id;
  // @ts-expect-error the param is a number
  const wrong: string = req.params.id;
  return { id, wrong };
}, { name: 'item' });
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')] },
        files: ['main.ts'],
      }),
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' });
  });
});
