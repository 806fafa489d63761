import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
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

    const sessionIdSql = () => (ctx.dialect === 'postgres' ? 'SELECT pg_backend_pid() AS id' : 'SELECT CONNECTION_ID() AS id');
    const sessionId = async () => (await ctx.database.raw<{ id: number }>(sessionIdSql()))[0]?.id;
    const kill = (id: number | undefined) =>
      ctx.dialect === 'postgres' ? admin.raw('SELECT pg_terminate_backend($1)', [id]) : admin.raw(`KILL ${Number(id)}`);
    const sleepSql = ctx.dialect === 'postgres' ? 'SELECT pg_sleep(10)' : 'SELECT SLEEP(10)';

    it('fails a query whose session is killed with CARAFE_DB_CONNECTION, then recovers', async () => {
      let id: number | undefined;
      let idKnown = () => {};
      const known = new Promise<void>((resolve) => {
        idKnown = resolve;
      });
      const work = atomic(async () => {
        id = await sessionId();
        idKnown();
        await ctx.database.raw(sleepSql);
      });
      await known;
      const started = Date.now();
      await kill(id);
      await assert.rejects(work, (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.equal(Reflect.get(error, 'code'), 'CARAFE_DB_CONNECTION');
        assert.match(error.message, /database "default" .* failed: /);
        assert.ok(error.cause instanceof Error, 'the driver error is kept as the cause');
        return true;
      });
      assert.ok(Date.now() - started < 5000, 'the failure is reported at once, not after the sleep');
      assert.deepEqual(await ctx.database.raw('SELECT 1 AS one'), [{ one: 1 }]);
      assert.notEqual(await sessionId(), id);
    });

    it('replaces an idle pooled connection that was killed', async () => {
      // A pool of one: the query after the kill has no other connection to fall back on.
      const url = new URL(ctx.url);
      url.searchParams.set('max', '1');
      const single = new Database('single', url.href);
      try {
        const id = (await single.raw<{ id: number }>(sessionIdSql()))[0]?.id;
        await kill(id);
        await sleep(100);
        const [next] = await single.raw<{ id: number }>(sessionIdSql());
        assert.notEqual(next?.id, id);
        assert.deepEqual(await single.raw('SELECT 1 AS one'), [{ one: 1 }]);
      } finally {
        await single.close();
      }
    });

    it('keeps a transaction that lost its connection rolled back', async () => {
      await ctx.database.raw('CREATE TABLE survivors (id INTEGER PRIMARY KEY)');
      await assert.rejects(
        atomic(async () => {
          await ctx.database.raw('INSERT INTO survivors (id) VALUES (1)');
          await kill(await sessionId());
          await ctx.database.raw('INSERT INTO survivors (id) VALUES (2)');
        }),
        { code: 'CARAFE_DB_CONNECTION' },
      );
      assert.deepEqual(await ctx.database.raw('SELECT id FROM survivors'), []);
    });
  },
  { dialects: ['postgres', 'mysql'] },
);
