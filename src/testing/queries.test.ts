import assert, { AssertionError } from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { atomic, createTables, f, model } from '../db/index.js';
import { assertNumQueries, captureQueries } from './db.js';

const Shelf = model('numqueries.Shelf', { name: f.string({ max: 40 }) });
const Book = model('numqueries.Book', {
  shelf: f.foreignKey(() => Shelf, { onDelete: 'cascade' }),
  title: f.string({ max: 80 }),
});

forEachDatabase(
  'assertNumQueries',
  (ctx) => {
    const { dialect } = ctx;
    before(async () => {
      await createTables([Shelf, Book]);
      const shelf = await Shelf.objects.create({ name: 'Poetry' });
      for (const title of ['Odes', 'Sonnets', 'Elegies']) {
        await Book.objects.create({ shelf: shelf.id, title });
      }
    });

    it('passes when the count matches and returns what the block returned', async () => {
      const titles = await assertNumQueries(1, async () => {
        const books = await Book.objects.orderBy('title');
        return books.map((book) => book.title);
      });
      assert.deepEqual(titles, ['Elegies', 'Odes', 'Sonnets']);
      // Building a query set runs nothing; evaluating it does.
      await assertNumQueries(0, () => {
        Book.objects.filter({ title: 'Odes' });
      });
    });

    it('fails listing every captured statement', async () => {
      await assert.rejects(
        assertNumQueries(1, async () => {
          await Shelf.objects.count();
          await Book.objects.filter({ title: 'Odes' }).first();
        }),
        (error: unknown) => {
          assert.ok(error instanceof AssertionError);
          assert.equal(error.actual, 2);
          assert.equal(error.expected, 1);
          const lines = error.message.split('\n');
          assert.equal(lines[0], 'Expected 1 query on "default", but 2 were executed:');
          assert.match(lines[1] ?? '', /^ {2}1\. select count\(.*numqueries_shelf/i);
          assert.match(lines[2] ?? '', /^ {2}2\. select .*numqueries_book/i);
          return true;
        },
      );
      await assert.rejects(
        assertNumQueries(2, () => undefined),
        /Expected 2 queries on "default", but 0 were executed\.$/,
      );
    });

    it('shows that a prefetch keeps the count constant however many rows there are', async () => {
      await assertNumQueries(2, async () => {
        const books = await Book.objects.prefetch('shelf');
        assert.deepEqual(
          books.map((book) => book.shelf.name),
          ['Poetry', 'Poetry', 'Poetry'],
        );
      });
    });

    it('counts the SQLite direct read path like any other query', async () => {
      const queries = await captureQueries(() => {
        const rows = ctx.database.readNow('SELECT 1 AS one', []);
        assert.equal(
          rows !== undefined,
          dialect === 'sqlite',
          'the direct path only exists on SQLite',
        );
      });
      assert.equal(queries.length, dialect === 'sqlite' ? 1 : 0);
      assert.equal(queries[0]?.sql, dialect === 'sqlite' ? 'SELECT 1 AS one' : undefined);
    });

    it('captures the statements of a transaction, and stops listening when the block fails', async () => {
      const queries = await captureQueries(() =>
        atomic(() => Book.objects.filter({ title: 'Odes' }).update({ title: 'Odes' })),
      );
      assert.deepEqual(
        queries.map((query) => query.sql.split(' ')[0]?.toUpperCase()),
        [dialect === 'mysql' ? 'START' : 'BEGIN', 'UPDATE', 'COMMIT'],
      );
      assert.ok(queries.every((query) => query.database === 'default'));
      await assert.rejects(
        captureQueries(async () => {
          await Shelf.objects.count();
          throw new Error('boom');
        }),
        /boom/,
      );
      const after = await captureQueries(() => undefined);
      assert.deepEqual(after, []);
    });

    it('watches the databases named by using', async () => {
      const other = ctx.databases.other;
      assert.ok(other !== undefined);
      await assertNumQueries(0, () => other.raw('SELECT 1'));
      await assertNumQueries(1, () => other.raw('SELECT 1'), { using: 'other' });
      await assert.rejects(
        assertNumQueries(
          0,
          async () => {
            await other.raw('SELECT 2');
            await Shelf.objects.count();
          },
          { using: ['default', 'other'] },
        ),
        (error: unknown) => {
          assert.ok(error instanceof AssertionError);
          assert.match(
            error.message,
            /^Expected 0 queries on "default", "other", but 2 were executed:\n {2}1\. SELECT 2 \[other\]\n {2}2\. select .* \[default\]$/i,
          );
          return true;
        },
      );
    });
  },
  { names: ['other'] },
);
