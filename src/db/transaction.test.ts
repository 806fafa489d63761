import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { forEachDatabase } from '../../test/support/databases.js';
import type { Database, Dialect } from './connection/index.js';
import { atomic, inTransaction, onCommit } from './transaction.js';

const placeholder = (dialect: Dialect) => (dialect === 'postgres' ? '$1' : '?');

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

forEachDatabase(
  'atomic',
  (ctx) => {
    const insert = (db: Database, id: number) =>
      db.raw(`INSERT INTO items (id) VALUES (${placeholder(db.dialect)})`, [id]);
    const ids = async (db: Database = ctx.database) =>
      (await db.raw<{ id: number }>('SELECT id FROM items ORDER BY id')).map((row) => row.id);

    beforeEach(async () => {
      for (const db of Object.values(ctx.databases)) {
        await db.raw('DROP TABLE IF EXISTS items');
        await db.raw('CREATE TABLE items (id INTEGER PRIMARY KEY)');
      }
    });

    it('commits when the block resolves and returns its value', async () => {
      const result = await atomic(async () => {
        await insert(ctx.database, 1);
        assert.equal(inTransaction(), true);
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal(inTransaction(), false);
      assert.deepEqual(await ids(), [1]);
    });

    it('rolls back when the block throws and rethrows the same error', async () => {
      const failure = new Error('boom');
      await assert.rejects(
        atomic(async () => {
          await insert(ctx.database, 1);
          assert.deepEqual(await ids(), [1]);
          throw failure;
        }),
        (error) => error === failure,
      );
      assert.deepEqual(await ids(), []);
    });

    it('rolls back only a failing nested block (a savepoint)', async () => {
      await atomic(async () => {
        await insert(ctx.database, 1);
        await assert.rejects(
          atomic(async () => {
            await insert(ctx.database, 2);
            await atomic(async () => insert(ctx.database, 3));
            throw new Error('inner');
          }),
          { message: 'inner' },
        );
        await atomic(async () => insert(ctx.database, 4));
        await insert(ctx.database, 5);
      });
      assert.deepEqual(await ids(), [1, 4, 5]);
    });

    it('undoes committed nested blocks when the outer block fails', async () => {
      await assert.rejects(
        atomic(async () => {
          await atomic(async () => insert(ctx.database, 1));
          throw new Error('outer');
        }),
      );
      assert.deepEqual(await ids(), []);
    });

    it('recovers from a failed statement inside a nested block (get-or-create)', async () => {
      await atomic(async () => {
        await insert(ctx.database, 1);
        await assert.rejects(atomic(async () => insert(ctx.database, 1)));
        await insert(ctx.database, 2);
      });
      assert.deepEqual(await ids(), [1, 2]);
    });

    it('treats an error caught without a nested block as the dialect does', async () => {
      const block = atomic(async () => {
        await insert(ctx.database, 1);
        await assert.rejects(insert(ctx.database, 1));
        return 'kept going';
      });
      if (ctx.dialect === 'postgres') {
        // PostgreSQL aborts the whole transaction; a silent rollback on COMMIT is turned into an error.
        await assert.rejects(block, {
          code: 'CARAFE_DB_TRANSACTION_ABORTED',
          message: /Wrap the statement .* atomic\(\)/,
        });
        assert.deepEqual(await ids(), []);
      } else {
        assert.equal(await block, 'kept going');
        assert.deepEqual(await ids(), [1]);
      }
    });

    it('runs nested blocks started concurrently one after the other', async () => {
      const order: string[] = [];
      await atomic(async () => {
        await Promise.allSettled([
          atomic(async () => {
            order.push('a start');
            await insert(ctx.database, 1);
            await sleep(20);
            order.push('a end');
            throw new Error('a fails');
          }),
          atomic(async () => {
            order.push('b start');
            await insert(ctx.database, 2);
            order.push('b end');
          }),
        ]);
      });
      assert.deepEqual(order, ['a start', 'a end', 'b start', 'b end']);
      assert.deepEqual(await ids(), [2]);
    });

    it('isolates concurrent transactions', async () => {
      const db = ctx.database;
      if (ctx.dialect === 'sqlite') {
        // One connection: the second transaction waits for the first to finish.
        const order: string[] = [];
        await Promise.all([
          atomic(async () => {
            order.push('first start');
            await insert(db, 1);
            await sleep(20);
            order.push('first end');
          }),
          atomic(async () => {
            order.push('second start');
            assert.deepEqual(await ids(), [1]);
            order.push('second end');
          }),
        ]);
        assert.deepEqual(order, ['first start', 'first end', 'second start', 'second end']);
        return;
      }
      const inserted = deferred();
      const outsideChecked = deferred();
      const checked = deferred();
      const sessionId =
        ctx.dialect === 'postgres'
          ? 'SELECT pg_backend_pid() AS id'
          : 'SELECT CONNECTION_ID() AS id';
      const sessions: unknown[] = [];
      // Every branch releases the others in `finally`, so a failed assertion fails the test instead of hanging it.
      await Promise.all([
        atomic(async () => {
          try {
            sessions.push((await db.raw<{ id: unknown }>(sessionId))[0]?.id);
            await insert(db, 1);
          } finally {
            inserted.resolve();
          }
          await checked.promise;
        }),
        atomic(async () => {
          await inserted.promise;
          try {
            sessions.push((await db.raw<{ id: unknown }>(sessionId))[0]?.id);
            assert.deepEqual(await ids(), []);
            await outsideChecked.promise;
          } finally {
            checked.resolve();
          }
        }),
        (async () => {
          await inserted.promise;
          try {
            assert.deepEqual(
              await ids(),
              [],
              'a query outside both transactions sees nothing uncommitted',
            );
          } finally {
            outsideChecked.resolve();
          }
        })(),
      ]);
      assert.notEqual(sessions[0], sessions[1]);
      assert.deepEqual(await ids(), [1]);
    });

    it('runs onCommit callbacks after the outermost commit, in order', async () => {
      const calls: string[] = [];
      await atomic(async () => {
        onCommit(() => {
          calls.push('first');
        });
        await atomic(async () => {
          onCommit(async () => {
            await sleep(5);
            calls.push('nested');
          });
        });
        await insert(ctx.database, 1);
        onCommit(async () => {
          // After the commit and with the connection released: the callback can query.
          calls.push(`sees ${(await ids()).join(',')}`);
        });
        assert.deepEqual(calls, []);
      });
      assert.deepEqual(calls, ['first', 'nested', 'sees 1']);
    });

    it('drops onCommit callbacks of blocks that roll back', async () => {
      const calls: string[] = [];
      await atomic(async () => {
        onCommit(() => {
          calls.push('outer');
        });
        await atomic(async () => {
          onCommit(() => {
            calls.push('rolled back');
          });
          throw new Error('inner');
        }).catch(() => {});
      });
      await atomic(async () => {
        onCommit(() => {
          calls.push('never');
        });
        throw new Error('outer');
      }).catch(() => {});
      assert.deepEqual(calls, ['outer']);
    });

    it('runs onCommit at once outside a transaction', () => {
      const calls: string[] = [];
      onCommit(() => {
        calls.push('now');
      });
      assert.deepEqual(calls, ['now']);
    });

    it('surfaces onCommit errors after the data is committed', async () => {
      await assert.rejects(
        atomic(async () => {
          await insert(ctx.database, 1);
          onCommit(() => {
            throw new Error('mail server down');
          });
        }),
        { message: 'mail server down' },
      );
      assert.deepEqual(await ids(), [1]);
      await assert.rejects(
        atomic(async () => {
          onCommit(() => Promise.reject(new Error('one')));
          onCommit(() => Promise.reject(new Error('two')));
        }),
        (error) => error instanceof AggregateError && error.errors.length === 2,
      );
    });

    it('lets code that outlives a block run outside it', async () => {
      let later: Promise<boolean> | undefined;
      await atomic(async () => {
        later = sleep(10).then(() => inTransaction());
      });
      assert.equal(await later, false);
    });

    it('keeps a nested block the outer block did not await out of its transaction', async () => {
      let stray: Promise<unknown> | undefined;
      await atomic(async () => {
        stray = atomic(async () => {
          await sleep(30);
          assert.equal(inTransaction(), false, 'the outer block has ended');
          await insert(ctx.database, 2);
        }).catch((error: unknown) => error);
        await insert(ctx.database, 1);
      });
      const outcome = await stray;
      assert.ok(outcome instanceof Error);
      assert.equal(Reflect.get(outcome, 'code'), 'CARAFE_DB_TRANSACTION_ENDED');
      assert.match(outcome.message, /Await every atomic\(\) call inside a block/);
      // The stray insert ran on its own, outside the committed transaction.
      assert.deepEqual(await ids(), [1, 2]);
      assert.deepEqual(await atomic(async () => ids()), [1, 2]);
    });

    it('rejects an unknown database name', async () => {
      await assert.rejects(
        atomic(async () => {}, { using: 'nope' }),
        { code: 'CARAFE_DB_UNKNOWN', message: /"default", "other"/ },
      );
      assert.throws(() => inTransaction('nope'), { code: 'CARAFE_DB_UNKNOWN' });
    });

    it('keeps transactions on different databases apart (using)', async () => {
      const other = ctx.databases.other;
      assert.ok(other !== undefined);
      await atomic(
        async () => {
          assert.equal(inTransaction('other'), true);
          assert.equal(inTransaction(), false);
          await insert(other, 1);
          await insert(ctx.database, 1); // autocommitted: default has no transaction
          await atomic(async () => {
            assert.equal(inTransaction(), true);
            await insert(ctx.database, 2);
            throw new Error('default fails');
          }).catch(() => {});
        },
        { using: 'other' },
      );
      assert.deepEqual(await ids(other), [1]);
      assert.deepEqual(await ids(), [1]);
      await atomic(
        async () => {
          await insert(other, 2);
          throw new Error('other fails');
        },
        { using: 'other' },
      ).catch(() => {});
      assert.deepEqual(await ids(other), [1]);
    });
  },
  { names: ['other'] },
);
