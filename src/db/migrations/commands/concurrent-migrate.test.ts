import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { forEachDatabase } from '../../../../test/support/databases.js';
import { Database } from '../../connection/index.js';
import { migrationFile } from '../../test-support/migration-files.js';
import { scratchFolder } from '../../test-support/migration-folders.js';

const child = fileURLToPath(new URL('../../test-support/migrate-child.ts', import.meta.url));
const repository = fileURLToPath(new URL('../../../../', import.meta.url));

// The first migration holds the run open until the test says go, so the second run starts
// while the first is inside it.
const first = `import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { f } from 'carafe/db';
import { migration, op } from 'carafe/db/migrations';

const signals = process.env.CARAFE_TEST_SIGNALS ?? '';

export default migration({
  initial: true,
  dependencies: [],
  operations: [
    op.createModel('cc.Counter', { table: 'cc_counter', fields: { n: f.integer() } }),
    op.runCode(async function holdOpen() {
      writeFileSync(join(signals, 'started'), '');
      for (let i = 0; i < 600 && !existsSync(join(signals, 'go')); i++) await new Promise((r) => setTimeout(r, 50));
    }, async () => {}),
  ],
});
`;

interface Run {
  readonly process: ChildProcess;
  readonly done: Promise<{ code: number | null; out: string }>;
  output(): string;
}

function start(url: string, folder: string, signals: string, ready?: string): Run {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', child, url, folder, 'cc'],
    {
      cwd: repository,
      env: {
        ...process.env,
        CARAFE_TEST_SIGNALS: signals,
        ...(ready !== undefined && { CARAFE_TEST_READY: ready }),
      },
    },
  );
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const done = new Promise<{ code: number | null; out: string }>((resolve) => {
    proc.on('close', (code) => resolve({ code, out }));
  });
  return { process: proc, done, output: () => out };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

forEachDatabase('concurrent migrate runs', (ctx) => {
  const scratch = scratchFolder();
  after(() => scratch.remove());

  it('take turns: both succeed and every migration is applied exactly once', {
    timeout: 60_000,
  }, async () => {
    const folder = join(scratch.path, 'cc');
    scratch.write('cc/0001_initial.ts', first);
    scratch.write(
      'cc/0002_count.ts',
      migrationFile(
        [['cc', '0001_initial']],
        [
          "op.runCode(async ({ db }) => { await db.raw('INSERT INTO cc_counter (n) VALUES (1)'); }, async () => {})",
        ],
      ),
    );
    scratch.write(
      'cc/0003_counter_note.ts',
      migrationFile(
        [['cc', '0002_count']],
        ["op.addField('cc.Counter', 'note', f.string({ max: 20, nullable: true }))"],
      ),
    );
    const signals = join(scratch.path, 'signals');
    scratch.write('signals/.keep', '');
    // SQLite needs a file both processes open; the servers' isolated database serves as is.
    const url =
      ctx.dialect === 'sqlite' ? `sqlite://${join(scratch.path, 'shared.sqlite3')}` : ctx.url;

    const one = start(url, folder, signals);
    await waitFor(
      () => existsSync(join(signals, 'started')),
      'the first run to enter its first migration',
    );
    const ready = join(signals, 'second-ready');
    const two = start(url, folder, signals, ready);
    if (ctx.dialect === 'sqlite') {
      // The second process reads the record and then blocks inside SQLite waiting for the write
      // lock, silently: wait until it starts its run, then give it time to read.
      await waitFor(() => existsSync(ready), 'the second run to start');
      await sleep(2_000);
    } else {
      await waitFor(
        () => two.output().includes('waiting for it to finish'),
        'the second run to wait for the lock',
      );
    }
    scratch.write('signals/go', '');
    const [a, b] = await Promise.all([one.done, two.done]);
    assert.equal(a.code, 0, a.out);
    assert.equal(b.code, 0, b.out);

    const applying = `${a.out}${b.out}`.match(/Applying cc\.\d{4}_\w+\.\.\. OK/g) ?? [];
    assert.equal(applying.length, 3, `${a.out}\n---\n${b.out}`);
    if (ctx.dialect !== 'sqlite') assert.match(b.out, /No migrations to apply\./);
    else assert.match(b.out, /Applying cc\.0001_initial\.\.\. already done by another run/);

    const check = ctx.dialect === 'sqlite' ? new Database('check', url) : ctx.database;
    try {
      const records = await check.raw<{ name: string }>(
        "SELECT name FROM carafe_migrations WHERE app = 'cc' ORDER BY name",
      );
      assert.deepEqual(
        records.map((row) => row.name),
        ['0001_initial', '0002_count', '0003_counter_note'],
      );
      assert.deepEqual(await check.raw('SELECT n, note FROM cc_counter'), [{ n: 1, note: null }]);
    } finally {
      if (check !== ctx.database) await check.close();
    }
  });
});
