import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { forEachDatabase, withTestDatabase } from '../../test/support/databases.js';
import { serviceSkip } from '../../test/support/services.js';
import { Database, database } from '../db/connection/index.js';

const currentNamespace = {
  sqlite: 'SELECT 1 AS name',
  postgres: 'SELECT current_schema() AS name',
  mysql: 'SELECT DATABASE() AS name',
} as const;

forEachDatabase('forEachDatabase', (ctx) => {
  it('configures the isolated database as default', async () => {
    assert.equal(database(), ctx.database);
    assert.equal(ctx.database.dialect, ctx.dialect);
    const [row] = await ctx.database.raw<{ name: unknown }>(currentNamespace[ctx.dialect]);
    if (ctx.dialect !== 'sqlite') assert.match(String(row?.name), /^t_[0-9a-f]{12}$/);
  });

  it('gives ctx.url to a second connection on the same database', async () => {
    await ctx.database.raw('CREATE TABLE shared (id INTEGER PRIMARY KEY)');
    if (ctx.dialect === 'sqlite') return; // every :memory: connection is its own database
    const second = new Database('second', ctx.url);
    try {
      assert.deepEqual(await second.raw('SELECT COUNT(*) AS n FROM shared'), [{ n: 0 }]);
    } finally {
      await second.close();
    }
  });
});

describe('withTestDatabase', () => {
  for (const dialect of ['postgres', 'mysql'] as const) {
    it(`creates and drops an isolated ${dialect} namespace`, async (t) => {
      const reason = await serviceSkip(dialect === 'mysql' ? 'mariadb' : 'postgres');
      if (reason) return t.skip(reason);
      // One after the other: each configures itself as the process's default database.
      const namespaces: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        namespaces.push(
          await withTestDatabase(dialect, async (ctx) => {
            await ctx.database.raw('CREATE TABLE mine (id INTEGER)');
            return (await ctx.database.raw<{ name: string }>(currentNamespace[dialect]))[0]?.name;
          }),
        );
      }
      const [first, second] = namespaces;
      assert.notEqual(first, second);
      const server = new Database(
        'server',
        dialect === 'postgres'
          ? 'postgres://postgres@127.0.0.1:5432/test'
          : 'mysql://root@127.0.0.1:3306/test',
      );
      try {
        const left = await server.raw(
          dialect === 'postgres'
            ? 'SELECT nspname FROM pg_namespace WHERE nspname IN ($1, $2)'
            : 'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?, ?)',
          [first, second],
        );
        assert.deepEqual(left, []);
      } finally {
        await server.close();
      }
    });
  }
});

describe('forEachDatabase without a server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carafe-testing-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const helpers = fileURLToPath(new URL('./databases.ts', import.meta.url));
  const file = join(dir, 'unreachable.test.ts');
  writeFileSync(
    file,
    `import { it } from 'node:test';
import { forEachDatabase } from ${JSON.stringify(helpers)};
forEachDatabase('needs a server', (ctx) => {
  void ctx.dialect;
  it('never runs', () => { throw new Error('ran without a server'); });
}, { dialects: ['postgres'], urls: { postgres: 'postgres://nobody@127.0.0.1:1/none?connectTimeoutMs=2000' } });
`,
  );
  const run = (ci: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], {
      encoding: 'utf8',
      // Without NODE_TEST_CONTEXT the child reports as a standalone run, not to this runner.
      env: { ...process.env, CI: ci, NODE_TEST_CONTEXT: undefined },
    });

  it('skips with one line that says why', () => {
    const result = run('false');
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      /# SKIP postgres is not reachable at postgres:\/\/nobody@127\.0\.0\.1:1\/none \(connect ECONNREFUSED 127\.0\.0\.1:1\); its tests are skipped/,
    );
    assert.match(result.stdout, /# skipped 1/);
  });

  it('fails instead under CI=true', () => {
    const result = run('true');
    assert.notEqual(result.status, 0);
    assert.match(result.stdout, /CI=true but postgres is not reachable/);
  });
});

describe('ctx before setup', () => {
  forEachDatabase(
    'too early',
    (ctx) => {
      let early: unknown;
      try {
        void ctx.database;
      } catch (error) {
        early = error;
      }
      it('reports that the database is made in a before() hook', () => {
        assert.ok(early instanceof Error);
        assert.equal(Reflect.get(early, 'code'), 'CARAFE_TEST_DATABASE_NOT_READY');
        assert.match(early.message, /inside it\(\), before\(\)/);
      });
    },
    { dialects: ['sqlite'] },
  );
});
