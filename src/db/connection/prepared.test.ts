// PostgreSQL runs the ORM's read templates as named prepared statements; a migration that
// changes a column's type makes them stale, and the next query must prepare them again.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../../test/support/databases.js';
import { atomic, configureDatabases, createTables, database, f, model } from '../index.js';

const Counter = model('prepared.Counter', { n: f.integer() });

forEachDatabase(
  'prepared read statements',
  (context) => {
    before(async () => {
      // One pooled connection, so the second query surely meets the statement the first prepared.
      const single = new URL(context.url);
      single.searchParams.set('max', '1');
      configureDatabases({ default: single.href });
      await createTables([Counter]);
      await Counter.objects.create({ n: 7 });
    });

    it('prepares a template once per connection and survives a column type change', async () => {
      const statements = async () => {
        const [row] = await database().raw<{ count: string | number }>(
          "select count(*) as count from pg_prepared_statements where name like 'carafe_%'",
        );
        return Number(row!.count);
      };
      assert.equal((await Counter.objects.get({ n: 7 })).n, 7);
      assert.equal((await Counter.objects.get({ n: 7 })).n, 7);
      assert.equal(await statements(), 1);
      await database().raw('alter table prepared_counter alter column n type bigint');
      assert.equal((await Counter.objects.get({ n: 7 })).n, 7);
    });

    it('reads on the pool outside transactions, reported to listeners, and in the transaction inside', async () => {
      const seen: string[] = [];
      const stop = database().onQuery((event) => seen.push(event.sql));
      try {
        assert.equal(await Counter.objects.filter({ n: { gte: 0 } }).count(), 1);
        assert.equal(seen.length, 1);
        await atomic(async () => {
          await Counter.objects.create({ n: 8 });
          // The pool's other connection would not see this row; the transaction's does.
          assert.equal(await Counter.objects.filter({ n: 8 }).count(), 1);
        });
      } finally {
        stop();
      }
    });
  },
  { dialects: ['postgres'] },
);
