// The read shape lets SQLite read one row instead of a list, skip BigInt conversion and take rows
// as arrays. A wrong shape would silently drop rows, round integers or mix up columns, so each
// promise is checked against the queries that must not get it, and the results against real
// databases.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { forEachDatabase } from '../../testing/databases.js';
import { Count, createTables, f, model, Q } from '../index.js';
import { Choice, Question } from '../test-support/polls.js';
import { compileRows } from './compile-select.js';
import { type QuerySet, queryState } from './queryset.js';

const Shelf = model('shape.Shelf', {
  name: f.string({ max: 20, unique: true }),
  floor: f.integer(),
});
const Tome = model('shape.Tome', {
  isbn: f.string({ max: 20, unique: true }),
  title: f.string({ max: 50 }),
  shelf: f.foreignKey(() => Shelf, { onDelete: 'cascade' }),
});
const Ledger = model('shape.Ledger', {
  code: f.string({ max: 10, unique: true }),
  total: f.bigInteger(),
});
const Entry = model('shape.Entry', {
  ledger: f.foreignKey(() => Ledger, { onDelete: 'cascade' }),
  note: f.string({ max: 20 }),
});
const Loan = model('shape.Loan', {
  reader: f.string({ max: 20, unique: true }),
  tome: f.foreignKey(() => Tome, { onDelete: 'cascade', nullable: true }),
  days: f.integer(),
});

// biome-ignore lint/suspicious/noExplicitAny: any QuerySet, whatever its model
function shapeOf(query: QuerySet<any, any, any>, fixedLimit?: number) {
  return compileRows(query[queryState], 'sqlite', fixedLimit).shape;
}

describe('the read shape a query compiles to', () => {
  it('is single when a top-level condition pins a unique column of the model itself', () => {
    assert.equal(shapeOf(Tome.objects.filter({ id: 1 }), 21)?.single, true);
    assert.equal(shapeOf(Tome.objects.filter({ isbn: 'x' }))?.single, true);
    assert.equal(shapeOf(Tome.objects.filter({ isbn: 'x' }, { title: 'y' }))?.single, true);
    assert.equal(shapeOf(Tome.objects.filter({ title: 'y' }).filter({ id: 3 }))?.single, true);
  });

  it('is not single when the unique column is compared otherwise, or belongs to another model', () => {
    assert.equal(shapeOf(Tome.objects.filter({ title: 'y' }))?.single, false);
    assert.equal(shapeOf(Tome.objects.filter({ isbn: { in: ['a', 'b'] } }))?.single, false);
    assert.equal(shapeOf(Tome.objects.filter({ isbn: { iexact: 'a' } }))?.single, false);
    assert.equal(shapeOf(Tome.objects.exclude({ id: 1 }))?.single, false);
    assert.equal(shapeOf(Tome.objects.filter(Q.or({ id: 1 }, { id: 2 })))?.single, false);
    // Many books sit on the shelf whose unique name is given.
    assert.equal(shapeOf(Tome.objects.filter({ shelf: { name: 'Poetry' } }))?.single, false);
    assert.equal(shapeOf(Tome.objects.filter({ shelf: 1 }))?.single, false);
    assert.equal(shapeOf(Question.objects.filter({ choices: { id: 1 } }))?.single, false);
    assert.equal(shapeOf(Choice.objects.filter({ question: { id: 1 } }))?.single, false);
    assert.equal(shapeOf(Question.objects.filter({ tags: { name: 'x' } }))?.single, false);
  });

  it('reads integers as plain numbers only when no column can hold a 64-bit value', () => {
    assert.equal(shapeOf(Tome.objects.all())?.plainIntegers, true);
    assert.equal(shapeOf(Tome.objects.select('shelf'))?.plainIntegers, true);
    assert.equal(shapeOf(Ledger.objects.all())?.plainIntegers, false);
    assert.equal(shapeOf(Ledger.objects.only('code'))?.plainIntegers, true);
    assert.equal(shapeOf(Entry.objects.all())?.plainIntegers, true);
    assert.equal(shapeOf(Entry.objects.select('ledger'))?.plainIntegers, false);
  });

  it('takes rows as arrays exactly when integers are plain', () => {
    for (const query of [
      Tome.objects.all(),
      Tome.objects.select('shelf'),
      Ledger.objects.all(),
      Ledger.objects.only('code'),
      Entry.objects.select('ledger'),
      Loan.objects.select('tome.shelf'),
    ]) {
      const shape = shapeOf(query);
      assert.equal(shape?.positional, shape?.plainIntegers);
    }
  });

  it('promises nothing for annotated or values() reads', () => {
    assert.deepEqual(
      shapeOf(Question.objects.annotate({ n: Count('choices') }).filter({ id: 1 })),
      {
        single: false,
        plainIntegers: false,
        positional: false,
      },
    );
    assert.equal(shapeOf(Choice.objects.filter({ id: 1 }).values('question.text')), undefined);
  });
});

forEachDatabase('reads with a shape', () => {
  before(async () => {
    await createTables([Shelf, Tome, Ledger, Entry, Loan]);
    const poetry = await Shelf.objects.create({ name: 'Poetry', floor: 2147483647 });
    const odes = await Tome.objects.create({ isbn: '1', title: 'Odes', shelf: poetry });
    await Tome.objects.create({ isbn: '2', title: 'Odes', shelf: poetry });
    await Loan.objects.create({ reader: 'ann', tome: odes, days: 14 });
    await Loan.objects.create({ reader: 'bob', tome: null, days: 7 });
    const ledger = await Ledger.objects.create({ code: 'L', total: 9007199254740993n });
    await Entry.objects.create({ ledger, note: 'first' });
  });

  it('finds one row by a unique column, and fails as before when none or several match', async () => {
    assert.equal((await Tome.objects.get({ isbn: '2' })).isbn, '2');
    await assert.rejects(Tome.objects.get({ isbn: '3' }), Tome.DoesNotExist);
    await assert.rejects(Tome.objects.get({ title: 'Odes' }), Tome.MultipleObjectsReturned);
    assert.equal((await Tome.objects.filter({ title: 'Odes' })).length, 2);
    assert.equal((await Tome.objects.filter({ shelf: { name: 'Poetry' } })).length, 2);
  });

  it('keeps 64-bit integers exact and other integers as numbers', async () => {
    const shelf = await Shelf.objects.get({ name: 'Poetry' });
    assert.equal(shelf.floor, 2147483647);
    assert.equal(typeof shelf.id, 'number');
    const ledger = await Ledger.objects.get({ code: 'L' });
    assert.equal(ledger.total, 9007199254740993n);
    const entry = await Entry.objects.select('ledger').get({ note: 'first' });
    assert.equal(entry.ledger.total, 9007199254740993n);
    assert.equal(typeof entry.ledgerId, 'number');
  });

  it('puts every column in its place, through select()ed relations, only() and a missing relation', async () => {
    const ann = await Loan.objects.select('tome.shelf').get({ reader: 'ann' });
    assert.equal(ann.days, 14);
    assert.equal(ann.tome?.isbn, '1');
    assert.equal(ann.tome?.title, 'Odes');
    assert.equal(ann.tome?.shelf.name, 'Poetry');
    assert.equal(ann.tome?.shelf.floor, 2147483647);
    const bob = await Loan.objects.select('tome.shelf').get({ reader: 'bob' });
    assert.equal(bob.tome, null);
    assert.equal(bob.days, 7);
    const loans = await Loan.objects.select('tome').orderBy('reader');
    assert.deepEqual(
      loans.map((loan) => [loan.reader, loan.days, loan.tome?.isbn ?? null]),
      [
        ['ann', 14, '1'],
        ['bob', 7, null],
      ],
    );
    const [brief] = await Tome.objects.only('title').filter({ isbn: '2' });
    assert.equal(brief?.title, 'Odes');
  });
});
