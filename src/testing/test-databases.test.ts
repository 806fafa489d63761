import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, it as plainIt } from 'node:test';
import { serviceSkip } from '../../test/support/services.js';
import {
  atomic,
  Database,
  type Dialect,
  database,
  f,
  inTransaction,
  model,
  onCommit,
} from '../db/index.js';
import { makemigrations } from '../db/migrations/index.js';
import { scratchFolder } from '../db/test-support/migration-folders.js';
import { CarafeError, defineApp } from '../index.js';
import { it, runDatabaseTest, useTestDatabases } from './node-test.js';
import { captureOnCommitCallbacks, inRollback } from './rollback.js';
import { createServerTestDatabase } from './server-databases.js';
import { createTestDatabases } from './test-databases.js';

const Note = model('tdb.Note', { title: f.string({ max: 50 }) });
const Comment = model('tdb.Comment', {
  note: f.foreignKey(() => Note, { onDelete: 'cascade' }),
  body: f.string({ max: 100 }),
});

// The app's migrations, written by makemigrations as a project's would be.
const scratch = scratchFolder();
after(() => scratch.remove());
const notes = defineApp({ name: 'tdb', models: [Note, Comment], migrations: scratch.path });
await makemigrations({ apps: [notes], output: () => {} });

/** What a project would configure; the test databases are made from these. */
const projectUrls: Record<Dialect, string> = {
  sqlite: 'sqlite://tdb-project.sqlite3',
  postgres: 'postgres://postgres@127.0.0.1:5432/test',
  mysql: 'mysql://root@127.0.0.1:3306/test',
};

const serverUrls = {
  postgres: 'postgres://postgres@127.0.0.1:5432/test',
  mysql: 'mysql://root@127.0.0.1:3306/test',
};

const currentDatabase: Record<Dialect, string> = {
  sqlite: "SELECT 'memory' AS name",
  postgres: 'SELECT current_database() AS name',
  mysql: 'SELECT DATABASE() AS name',
};

function skipReason(dialect: Dialect): Promise<false | string> | false {
  if (dialect === 'sqlite') return false;
  return serviceSkip(dialect === 'mysql' ? 'mariadb' : 'postgres');
}

/** Whether the server has a database called `name`, asked from a connection of its own. */
async function serverHas(dialect: 'postgres' | 'mysql', name: string): Promise<boolean> {
  const server = new Database('server', serverUrls[dialect]);
  try {
    const rows =
      dialect === 'postgres'
        ? await server.raw('SELECT 1 FROM pg_database WHERE datname = $1', [name])
        : await server.raw('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [
            name,
          ]);
    return rows.length === 1;
  } finally {
    await server.close();
  }
}

async function titles(): Promise<string[]> {
  return (await Note.objects.all()).map((note) => note.title).sort();
}

for (const dialect of ['sqlite', 'postgres', 'mysql'] as const) {
  describe(`test databases [${dialect}]`, async () => {
    const reason = await skipReason(dialect);
    if (reason !== false) {
      plainIt(`${dialect} tests`, { skip: reason }, () => {});
      return;
    }
    const databases = useTestDatabases({ apps: [notes], databases: projectUrls[dialect] });
    const log: string[] = [];

    plainIt('creates a database of its own and migrates it', async () => {
      assert.deepEqual(databases.names, ['default']);
      const [row] = await database().raw<{ name: string }>(currentDatabase[dialect]);
      if (dialect === 'sqlite') {
        assert.equal(databases.urls.default, 'sqlite://:memory:');
        assert.equal(existsSync('tdb-project.sqlite3'), false, 'the project file is not touched');
      } else {
        // `_2`, `_3`… while another test process holds `test_test`.
        assert.match(row?.name ?? '', /^test_test(_\d+)?$/);
        assert.equal(new URL(databases.urls.default ?? '').pathname, `/${row?.name}`);
      }
      const applied = await database().raw<{ name: string }>(
        "SELECT name FROM carafe_migrations WHERE app = 'tdb'",
      );
      assert.deepEqual(
        applied.map((entry) => entry.name),
        ['0001_initial'],
      );
      assert.equal(await Note.objects.count(), 0);
    });

    it('runs the test in a transaction: its rows are there meanwhile', async () => {
      assert.equal(inTransaction(), true);
      await Note.objects.create({ title: 'first' });
      assert.deepEqual(await titles(), ['first']);
    });

    it('…and gone in the next test', async () => {
      assert.deepEqual(await titles(), []);
    });

    it('makes atomic() blocks inside the test savepoints', async () => {
      await Note.objects.create({ title: 'kept' });
      await assert.rejects(
        atomic(async () => {
          await Note.objects.create({ title: 'undone' });
          throw new Error('undo this block');
        }),
        /undo this block/,
      );
      await atomic(async () => {
        await Note.objects.create({ title: 'released' });
      });
      assert.deepEqual(await titles(), ['kept', 'released']);
    });

    it('drops onCommit() callbacks, as nothing commits', async () => {
      onCommit(() => {
        log.push('outer');
      });
      await atomic(async () => {
        onCommit(() => {
          log.push('nested');
        });
      });
      assert.equal(log.length, 0);
    });

    it('captures onCommit() callbacks, and runs them when asked', async () => {
      assert.equal(log.length, 0, 'the previous test’s callbacks never ran');
      const captured = await captureOnCommitCallbacks(async () => {
        onCommit(() => {
          log.push('a');
        });
        await atomic(async () => {
          onCommit(() => {
            log.push('b');
          });
        });
        await atomic(async () => {
          onCommit(() => {
            log.push('rolled back');
          });
          throw new Error('no');
        }).catch(() => {});
      });
      assert.equal(captured.length, 2);
      assert.equal(log.length, 0);
      const executed = await captureOnCommitCallbacks(
        () => {
          onCommit(async () => {
            log.push('c');
            await Note.objects.create({ title: 'from a callback' });
            onCommit(() => {
              log.push('d');
            });
          });
        },
        { execute: true },
      );
      assert.equal(executed.length, 2);
      assert.deepEqual(log, ['c', 'd']);
      assert.deepEqual(await titles(), ['from a callback']);
      log.length = 0;
    });

    it('commits for real with transaction: false', { transaction: false }, async () => {
      assert.equal(inTransaction(), false);
      const note = await atomic(async () => {
        onCommit(() => {
          log.push('committed');
        });
        return Note.objects.create({ title: 'committed' });
      });
      await Comment.objects.create({ note, body: 'points at the note' });
      assert.deepEqual(log, ['committed']);
      if (dialect !== 'sqlite') {
        // Another connection sees the rows: they were committed.
        const other = new Database('other', databases.urls.default ?? '');
        try {
          assert.equal((await other.raw('SELECT id FROM tdb_comment')).length, 1);
        } finally {
          await other.close();
        }
      }
    });

    it('…and empties the tables after it, keeping the migration record', async () => {
      assert.equal(await Note.objects.count(), 0);
      assert.equal(await Comment.objects.count(), 0);
      const applied = await database().raw("SELECT name FROM carafe_migrations WHERE app = 'tdb'");
      assert.equal(applied.length, 1);
    });

    plainIt('rolls back (or empties) when the body fails', async () => {
      for (const transaction of [true, false]) {
        await assert.rejects(
          runDatabaseTest(
            async () => {
              await Note.objects.create({ title: 'from a failing test' });
              throw new Error('boom');
            },
            { transaction },
          ),
          /boom/,
        );
        assert.equal(await Note.objects.count(), 0, `transaction: ${transaction}`);
      }
    });

    plainIt('inRollback() returns what the block returned, and keeps nothing', async () => {
      const title = await inRollback(async () => {
        const note = await Note.objects.create({ title: 'returned' });
        return note.title;
      });
      assert.equal(title, 'returned');
      assert.equal(await Note.objects.count(), 0);
    });

    plainIt(
      'captureOnCommitCallbacks() outside a transaction says why it cannot work',
      async () => {
        await assert.rejects(
          captureOnCommitCallbacks(() => {}),
          (error) => error instanceof CarafeError && error.code === 'CARAFE_TEST_NO_TRANSACTION',
        );
      },
    );
  });
}

for (const dialect of ['postgres', 'mysql'] as const) {
  describe(`test databases on the server [${dialect}]`, async () => {
    const reason = await skipReason(dialect);
    if (reason !== false) {
      plainIt(`${dialect} tests`, { skip: reason }, () => {});
      return;
    }
    const suffix = Math.random().toString(36).slice(2, 8);

    plainIt('drops a database a crashed run left behind, and its own at the end', async () => {
      const name = `test_tdb_left_${suffix}`;
      const server = new Database('server', serverUrls[dialect]);
      try {
        await server.raw(`CREATE DATABASE ${name}`);
        const stale = new Database(
          'stale',
          `${projectUrls[dialect].replace(/\/test$/, '')}/${name}`,
        );
        await stale.raw('CREATE TABLE left_behind (id INTEGER)');
        await stale.close();
      } finally {
        await server.close();
      }
      const url = projectUrls[dialect].replace(/\/test$/, `/tdb_left_${suffix}`);
      const created = await createTestDatabases({ apps: [notes], databases: url });
      try {
        assert.equal(new URL(created.urls.default ?? '').pathname, `/${name}`);
        const [row] = await database().raw<{ n: unknown }>(
          dialect === 'postgres'
            ? "SELECT COUNT(*) AS n FROM pg_tables WHERE tablename = 'left_behind'"
            : "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'left_behind'",
        );
        assert.equal(Number(row?.n), 0, 'the leftover was dropped and made afresh');
        assert.equal(await Note.objects.count(), 0);
      } finally {
        await created.destroy();
      }
      assert.equal(await serverHas(dialect, name), false);
    });

    plainIt('gives each concurrent test process a database of its own', async () => {
      // Each call stands for another process: its own connection and its own set of names.
      const base = `test_tdb_slots_${suffix}`;
      const first = await createServerTestDatabase(serverUrls[dialect], dialect, base, new Set());
      const second = await createServerTestDatabase(serverUrls[dialect], dialect, base, new Set());
      try {
        assert.equal(first.name, base);
        assert.equal(second.name, `${base}_2`);
        assert.equal(await serverHas(dialect, base), true);
        assert.equal(await serverHas(dialect, `${base}_2`), true);
      } finally {
        await first.drop();
        await second.drop();
      }
      assert.equal(await serverHas(dialect, base), false);
      // The first slot is free again: the next process takes it.
      const third = await createServerTestDatabase(serverUrls[dialect], dialect, base, new Set());
      await third.drop();
      assert.equal(third.name, base);
    });
  });
}

describe('createTestDatabases', () => {
  plainIt('makes a SQLite file when asked, for other processes, and removes it', async () => {
    const created = await createTestDatabases({
      apps: [notes],
      databases: { default: 'sqlite://tdb-project.sqlite3', other: 'sqlite://other.sqlite3' },
      sqlite: 'file',
    });
    const file = (created.urls.default ?? '').slice('sqlite://'.length);
    try {
      assert.deepEqual(created.names, ['default', 'other']);
      assert.match(file, /carafe-test-.*default\.sqlite3$/);
      await Note.objects.create({ title: 'seen elsewhere' });
      const elsewhere = new Database('elsewhere', created.urls.default ?? '');
      try {
        assert.deepEqual(await elsewhere.raw('SELECT title FROM tdb_note'), [
          { title: 'seen elsewhere' },
        ]);
      } finally {
        await elsewhere.close();
      }
      // Every configured database is migrated.
      assert.equal(await Note.objects.using('other').count(), 0);
    } finally {
      await created.destroy();
    }
    assert.equal(existsSync(file), false);
  });

  plainIt('refuses a second set while one is in use', async () => {
    const created = await createTestDatabases({ apps: [notes] });
    try {
      await assert.rejects(
        createTestDatabases({ apps: [notes] }),
        (error) => error instanceof CarafeError && error.code === 'CARAFE_TEST_DATABASES_ACTIVE',
      );
    } finally {
      await created.destroy();
    }
    // Destroyed, another set can be made.
    await (await createTestDatabases({ apps: [notes] })).destroy();
  });

  plainIt('needs a default database, and says so before creating anything', async () => {
    await assert.rejects(
      createTestDatabases({ apps: [notes], databases: { replica: 'sqlite://:memory:' } }),
      (error) => error instanceof CarafeError && error.code === 'CARAFE_TEST_DATABASE_DEFAULT',
    );
  });
});
