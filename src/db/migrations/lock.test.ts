import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { forEachDatabase } from '../../../test/support/databases.js';
import { Database } from '../connection/index.js';
import { atomic } from '../transaction.js';
import { withMigrationLock } from './lock.js';

const sessionIdSql = {
  postgres: 'SELECT pg_backend_pid() AS id',
  mysql: 'SELECT CONNECTION_ID() AS id',
};

forEachDatabase(
  'migration lock',
  (context) => {
    const sessionSql = sessionIdSql[context.dialect as 'postgres' | 'mysql'];
    const sessionOf = async (db: Database) => (await db.raw<{ id: unknown }>(sessionSql))[0]?.id;

    it('makes a second run wait until the first is done', async () => {
      const { database, url } = context;
      const other = new Database('other', url);
      const events: string[] = [];
      try {
        const first = withMigrationLock(
          database,
          () => events.push('first waits'),
          async () => {
            events.push('first runs');
            await sleep(300);
            events.push('first done');
          },
        );
        await sleep(50);
        const second = withMigrationLock(
          other,
          () => events.push('second waits'),
          async () => {
            events.push('second runs');
          },
        );
        await Promise.all([first, second]);
      } finally {
        await other.close();
      }
      assert.deepEqual(events, ['first runs', 'second waits', 'first done', 'second runs']);
    });

    it('releases the lock when the run fails', async () => {
      const { database } = context;
      await assert.rejects(
        withMigrationLock(
          database,
          () => {},
          async () => {
            throw new Error('boom');
          },
        ),
        /boom/,
      );
      let waited = false;
      await withMigrationLock(
        database,
        () => (waited = true),
        async () => {},
      );
      assert.equal(waited, false);
    });

    it('runs every query of the run, transactions included, on the locked connection', async () => {
      const { database } = context;
      const sessions = await withMigrationLock(
        database,
        () => {},
        async () => {
          // Concurrent queries would take two pooled connections if the run were not pinned to one.
          const seen = await Promise.all([sessionOf(database), sessionOf(database)]);
          await atomic(async () => {
            seen.push(await sessionOf(database));
          });
          seen.push(await sessionOf(database));
          return seen;
        },
      );
      assert.equal(new Set(sessions).size, 1);
    });
  },
  { dialects: ['postgres', 'mysql'] },
);
