import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '../../../../test/support/databases.js';
import { database, f } from '../../index.js';
import { indexSummary, OperationRunner, tableShape } from '../../test-support/schema-runner.js';
import { op } from './index.js';

const createAuthor = () =>
  op.createModel('om.Author', {
    table: 'om_author',
    fields: {
      id: f.bigAuto(),
      name: f.string({ max: 40, unique: true }),
      rank: f.integer({ dbDefault: 3 }),
      bio: f.text({ nullable: true }),
      data: f.json({ nullable: true }),
    },
    indexes: [{ name: 'om_author_rank_name', fields: ['-rank', 'name'] }],
    constraints: [{ name: 'om_author_rank_positive', check: { rank: { gt: 0 } } }],
  });

const createBook = () =>
  op.createModel('om.Book', {
    table: 'om_book',
    fields: {
      id: f.bigAuto(),
      title: f.string({ max: 80 }),
      author: f.foreignKey('om.Writer', { onDelete: 'cascade', relatedName: 'books' }),
      tags: f.manyToMany('om.Author', { relatedName: 'tagged' }),
    },
    uniqueTogether: [['author', 'title']],
  });

forEachDatabase('createModel / deleteModel / renameModel / alterModelTable', ({ dialect }) => {
  const runner = new OperationRunner();

  it('creates tables with their columns, keys, indexes, checks and join tables', async () => {
    await runner.forwards(
      op.createModel('om.Writer', { table: 'om_writer', fields: { name: f.string({ max: 40 }) } }),
      createAuthor(),
      createBook(),
    );
    const author = await tableShape('om_author');
    assert.deepEqual([...author.columns.keys()], ['id', 'name', 'rank', 'bio', 'data']);
    assert.equal(author.columns.get('name')!.notNull, true);
    assert.equal(author.columns.get('bio')!.notNull, false);
    assert.match(String(author.columns.get('rank')!.default), /3/);
    assert.deepEqual(indexSummary(author), ['rank,name', 'unique name']);
    assert.deepEqual(author.checks, ['om_author_rank_positive']);
    const book = await tableShape('om_book');
    assert.equal(book.foreignKeys.get('author_id'), 'om_writer.id');
    assert.deepEqual(indexSummary(book), ['author_id', 'unique author_id,title']);
    const join = await tableShape('om_book_tags');
    assert.deepEqual([...join.columns.keys()], ['id', 'book_id', 'author_id']);
    assert.equal(join.foreignKeys.get('book_id'), 'om_book.id');
    assert.equal(join.foreignKeys.get('author_id'), 'om_author.id');
  });

  it('gives historical models that read and write the new tables, constraints enforced', async () => {
    const Author = runner.model('om.Author');
    const Writer = runner.model('om.Writer');
    const Book = runner.model('om.Book');
    await Author.objects.create({ name: 'Ann', data: { a: 1 } });
    const writer = await Writer.objects.create({ name: 'W' });
    await Book.objects.create({ title: 'One', author: writer });
    await database().raw(
      'INSERT INTO om_book_tags (book_id, author_id) SELECT 1, MAX(id) FROM om_author',
    );
    const rows = await database().raw<{ rank: number }>('SELECT rank FROM om_author');
    assert.equal(Number(rows[0]!.rank), 3, 'the database default filled rank');
    await assert.rejects(() => Author.objects.create({ name: 'Ann' }), 'unique name');
    await assert.rejects(() => Author.objects.create({ name: 'Bob', rank: 0 }), 'check');
    await assert.rejects(
      () => Book.objects.create({ title: 'One', author: writer }),
      'unique together',
    );
    await assert.rejects(() => Book.objects.create({ title: 'Two', author: 999 }), 'foreign key');
  });

  it('renames a model and its table; keys from other tables and join columns follow', async () => {
    await runner.forwards(op.renameModel('om.Author', 'om.Person', { table: 'om_person' }));
    assert.equal((await tableShape('om_author')).exists, false);
    const person = await tableShape('om_person');
    assert.deepEqual(indexSummary(person), ['rank,name', 'unique name']);
    const join = await tableShape('om_book_tags');
    assert.deepEqual([...join.columns.keys()], ['id', 'book_id', 'person_id']);
    assert.equal(join.foreignKeys.get('person_id'), 'om_person.id');
    const Person = runner.model('om.Person');
    assert.deepEqual(
      (await Person.objects.values('name', 'rank')).map((row) => ({ ...(row as object) })),
      [{ name: 'Ann', rank: 3 }],
    );
    const Book = runner.model('om.Book');
    assert.equal(await Book.objects.filter({ tags: { name: 'Ann' } }).count(), 1);
    await assert.rejects(() =>
      database().raw('INSERT INTO om_book_tags (book_id, person_id) VALUES (1, 999)'),
    );
  });

  it('renames the model back, and renames only the table with alterModelTable', async () => {
    await runner.backwards();
    assert.equal((await tableShape('om_person')).exists, false);
    assert.deepEqual(
      [...(await tableShape('om_book_tags')).columns.keys()],
      ['id', 'book_id', 'author_id'],
    );
    await runner.forwards(op.alterModelTable('om.Writer', 'om_scribe'));
    assert.equal((await tableShape('om_writer')).exists, false);
    assert.equal((await tableShape('om_book')).foreignKeys.get('author_id'), 'om_scribe.id');
    assert.equal(await runner.model('om.Writer').objects.count(), 1);
    await runner.backwards();
    assert.equal((await tableShape('om_book')).foreignKeys.get('author_id'), 'om_writer.id');
  });

  it('deletes models (refusing while another model points at them) and creates them again backwards', async () => {
    assert.throws(() => op.deleteModel('om.Writer').stateForwards(runner.state.clone()), {
      code: 'CARAFE_MIGRATION_MODEL_IN_USE',
    });
    await runner.forwards(op.deleteModel('om.Book'));
    assert.equal((await tableShape('om_book')).exists, false);
    assert.equal((await tableShape('om_book_tags')).exists, false);
    await runner.backwards();
    const book = await tableShape('om_book');
    assert.equal(book.foreignKeys.get('author_id'), 'om_writer.id');
    assert.equal((await tableShape('om_book_tags')).exists, true);
    await runner.backwards(3);
    for (const table of ['om_author', 'om_book', 'om_writer', 'om_book_tags'])
      assert.equal((await tableShape(table)).exists, false, `${dialect}: ${table}`);
  });
});
