import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { forEachDatabase } from '../../../test/support/databases.js';
import { atomic } from '../transaction.js';
import { Database } from './index.js';

forEachDatabase(
  'lost connections',
  (ctx) => {
    // A second pool on the same database plays the administrator who kills sessions.
    let admin: Database;
    before(() => {
      admin = new Database('admin', ctx.url);
    });
    after(() => admin.close());

    const sessionIdSql = () =>
      ctx.dialect === 'postgres' ? 'SELECT pg_backend_pid() AS id' : 'SELECT CONNECTION_ID() AS id';
    const sessionId = async (db: Database) => (await db.raw<{ id: number }>(sessionIdSql()))[0]?.id;
    const kill = (id: number | undefined) =>
      ctx.dialect === 'postgres'
        ? admin.raw('SELECT pg_terminate_backend($1)', [id])
        : admin.raw(`KILL ${Number(id)}`);

    /** A pool of one connection: after a kill there is no healthy connection to fall back on. */
    async function withSinglePool(fn: (db: Database) => Promise<void>): Promise<void> {
      const url = new URL(ctx.url);
      url.searchParams.set('max', '1');
      const single = new Database('single', url.href);
      try {
        await fn(single);
      } finally {
        await single.close();
      }
    }

    const isLostConnection = (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(Reflect.get(error, 'code'), 'CARAFE_DB_CONNECTION');
      assert.match(error.message, /database "single" .* failed: /);
      assert.ok(error.cause instanceof Error, 'the driver error is kept as the cause');
      return true;
    };

    it('fails a running query whose session is killed, and the very next query works', async () => {
      await withSinglePool(async (db) => {
        const id = await sessionId(db);
        const running = db.raw(
          ctx.dialect === 'postgres' ? 'SELECT pg_sleep(10)' : 'SELECT SLEEP(10)',
        );
        const outcome = running.then(
          () => 'finished',
          (error: unknown) => error,
        );
        await sleep(100);
        const started = Date.now();
        await kill(id);
        assert.ok(isLostConnection(await outcome));
        assert.ok(
          Date.now() - started < 5000,
          'the failure is reported at once, not after the sleep',
        );
        const next = await sessionId(db);
        assert.ok(next !== undefined && next !== id);
      });
    });

    it('replaces an idle pooled connection that was killed', async () => {
      await withSinglePool(async (db) => {
        const id = await sessionId(db);
        await kill(id);
        await sleep(100);
        const next = await sessionId(db);
        assert.ok(next !== undefined && next !== id);
        assert.deepEqual(await db.raw('SELECT 1 AS one'), [{ one: 1 }]);
      });
    });

    it('rolls back a transaction that lost its connection', async () => {
      const db = ctx.database;
      await db.raw('CREATE TABLE survivors (id INTEGER PRIMARY KEY)');
      await assert.rejects(
        atomic(async () => {
          await db.raw('INSERT INTO survivors (id) VALUES (1)');
          await kill(await sessionId(db));
          await db.raw('INSERT INTO survivors (id) VALUES (2)');
        }),
        { code: 'CARAFE_DB_CONNECTION' },
      );
      assert.deepEqual(await db.raw('SELECT id FROM survivors'), []);
    });
  },
  { dialects: ['postgres', 'mysql'] },
);
