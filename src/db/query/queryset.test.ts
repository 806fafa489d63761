import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { CarafeError } from '../../index.js';
import { forEachDatabase } from '../../testing/databases.js';
import { createTables, database } from '../index.js';
import { Choice, pollModels, Question } from '../test-support/polls.js';

const day = (n: number) => new Date(Date.UTC(2026, 0, n, 12));

forEachDatabase('QuerySet', () => {
  before(async () => {
    await createTables(pollModels);
    const texts = ['What is up?', 'Who are you?', 'Why not?', 'What now?', 'When?'];
    for (const [index, text] of texts.entries()) {
      const question = await Question.objects.create({ text, pubDate: day(index + 1) });
      for (let votes = 0; votes <= index; votes++) {
        await Choice.objects.create({ question, text: `${text} #${votes}`, votes });
      }
    }
  });

  it('is lazy and immutable until awaited', async () => {
    const queries: string[] = [];
    const stop = database().onQuery((event) => queries.push(event.sql));
    const all = Question.objects.all();
    const filtered = all.filter({ text: { startsWith: 'What' } });
    const ordered = filtered.orderBy('text');
    assert.equal(queries.length, 0);
    assert.notEqual(all, filtered);
    assert.equal((await all).length, 5);
    assert.deepEqual(
      (await ordered).map((q) => q.text),
      ['What is up?', 'What now?'],
    );
    assert.equal((await filtered).length, 2);
    stop();
    assert.equal(queries.length, 3);
  });

  it('orders by the model default, fields, descending and through a foreign key', async () => {
    assert.deepEqual(
      (await Question.objects).map((q) => q.text)[0],
      'When?',
      'default ordering -pubDate',
    );
    assert.deepEqual(
      (await Question.objects.orderBy('pubDate').limit(2)).map((q) => q.text),
      ['What is up?', 'Who are you?'],
    );
    const choices = await Choice.objects.filter({ votes: 0 }).orderBy('-question.pubDate');
    assert.deepEqual(
      choices.map((c) => c.text),
      ['When? #0', 'What now? #0', 'Why not? #0', 'Who are you? #0', 'What is up? #0'],
    );
  });

  it('slices with limit, offset and slice', async () => {
    const ordered = Question.objects.orderBy('pubDate');
    assert.deepEqual(
      (await ordered.offset(3)).map((q) => q.text),
      ['What now?', 'When?'],
    );
    assert.deepEqual(
      (await ordered.slice(1, 3)).map((q) => q.text),
      ['Who are you?', 'Why not?'],
    );
    assert.deepEqual(
      (await ordered.limit(1).offset(4)).map((q) => q.text),
      ['When?'],
    );
    assert.throws(
      () => ordered.limit(-1),
      (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_DB_BAD_VALUE',
    );
  });

  it('gets one row or throws the model’s own errors', async () => {
    const q = await Question.objects.get({ text: 'Why not?' });
    assert.equal(q.text, 'Why not?');
    await assert.rejects(() => Question.objects.get({ text: 'nope' }), Question.DoesNotExist);
    await assert.rejects(
      () => Question.objects.get({ text: { startsWith: 'W' } }),
      (error: unknown) =>
        error instanceof Question.MultipleObjectsReturned && /it returned 5/.test(String(error)),
    );
    await assert.rejects(
      () => Choice.objects.get({ id: -1 }),
      (error: unknown) => !(error instanceof Question.DoesNotExist),
    );
  });

  it('finds first and last in order, or null', async () => {
    assert.equal((await Question.objects.orderBy('pubDate').first())?.text, 'What is up?');
    assert.equal((await Question.objects.orderBy('pubDate').last())?.text, 'When?');
    assert.equal((await Question.objects.first())?.text, 'When?');
    assert.equal(await Question.objects.filter({ text: 'nope' }).first(), null);
  });

  it('counts, checks existence and excludes', async () => {
    assert.equal(await Choice.objects.count(), 15);
    assert.equal(await Choice.objects.filter({ votes: { gte: 3 } }).count(), 3);
    assert.equal(await Choice.objects.exclude({ votes: { gte: 3 } }).count(), 12);
    assert.equal(await Choice.objects.filter({ votes: 99 }).exists(), false);
    assert.equal(await Choice.objects.filter({ votes: 4 }).exists(), true);
    assert.equal(await Question.objects.limit(2).count(), 2);
  });

  it('returns typed values and value lists, through foreign keys too', async () => {
    const values = await Choice.objects
      .filter({ votes: 4 })
      .values('text', 'votes', 'question.text');
    assert.deepEqual(values, [{ text: 'When? #4', votes: 4, 'question.text': 'When?' }]);
    const tuples = await Choice.objects
      .filter({ votes: { gte: 3 } })
      .orderBy('votes')
      .valuesList('votes', 'question');
    const when = await Question.objects.get({ text: 'When?' });
    const now = await Question.objects.get({ text: 'What now?' });
    assert.deepEqual(
      tuples,
      [
        [3, now.id],
        [3, when.id],
        [4, when.id],
      ].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!),
    );
    const flat = await Question.objects.orderBy('pubDate').valuesList('text', { flat: true });
    assert.deepEqual(flat, ['What is up?', 'Who are you?', 'Why not?', 'What now?', 'When?']);
    const all = await Question.objects.filter({ id: when.id }).values();
    assert.deepEqual(Object.keys(all[0]!).sort(), ['id', 'pubDate', 'text']);
  });

  it('removes duplicates with distinct', async () => {
    const votes = await Choice.objects
      .orderBy('votes')
      .distinct()
      .valuesList('votes', { flat: true });
    assert.deepEqual(votes, [0, 1, 2, 3, 4]);
  });

  it('loads only some fields', async () => {
    const [q] = await Question.objects.only('text').filter({ text: 'When?' });
    assert.equal(q!.text, 'When?');
    assert.equal('pubDate' in q!, false);
    const [d] = await Question.objects.defer('text').filter({ text: 'When?' });
    assert.equal('text' in d!, false);
    assert.ok(d!.pubDate instanceof Date);
    const before = d!.pubDate;
    q!.text = 'When?';
    await q!.save();
    assert.deepEqual(
      (await Question.objects.get({ id: q!.id })).pubDate,
      before,
      'save() leaves unloaded fields alone',
    );
  });

  it('fetches in bulk by primary key', async () => {
    const [a, b] = await Question.objects.orderBy('pubDate').limit(2);
    const found = await Question.objects.inBulk([a!.id, b!.id, -5]);
    assert.deepEqual([...found.keys()].sort(), [a!.id, b!.id].sort());
    assert.equal(found.get(a!.id)?.text, a!.text);
  });

  it('iterates in chunks by key and by other orderings', async () => {
    const queries: string[] = [];
    const stop = database().onQuery((event) => queries.push(event.sql));
    const seen: number[] = [];
    for await (const choice of Choice.objects.iterate({ chunkSize: 4 })) seen.push(choice.id);
    stop();
    assert.equal(seen.length, 15);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
    assert.equal(queries.length, 4, '15 rows in chunks of 4');
    const texts: string[] = [];
    for await (const q of Question.objects.orderBy('text').iterate({ chunkSize: 2 }))
      texts.push(q.text);
    assert.deepEqual(texts, [...texts].sort());
    assert.equal(texts.length, 5);
  });

  it('runs raw SQL with bound values and returns instances', async () => {
    const text = "Why not?' OR 1=1 --";
    const none = await Question.objects.raw`SELECT * FROM polls_question WHERE text = ${text}`;
    assert.equal(none.length, 0);
    const rows = await Question.objects
      .raw`SELECT * FROM polls_question WHERE text = ${'Why not?'}`;
    assert.equal(rows[0]!.text, 'Why not?');
    assert.ok(rows[0]!.pubDate instanceof Date);
    await rows[0]!.refresh();
  });

  it('shows its SQL with values as parameters', () => {
    const { sql, parameters } = Question.objects.filter({ text: 'x' }).limit(3).toSQL('postgres');
    assert.match(sql, /where "polls_question"."text" = \$1/i);
    assert.deepEqual(parameters, ['x', 3]);
  });
});
