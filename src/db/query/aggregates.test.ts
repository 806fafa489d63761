import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { CarafeError } from '../../index.js';
import { forEachDatabase } from '../../testing/databases.js';
import { Avg, Count, createTables, F, Max, Min, Sum } from '../index.js';
import { Choice, pollModels, Question, Tag } from '../test-support/polls.js';

forEachDatabase('aggregation', () => {
  before(async () => {
    await createTables(pollModels);
    const [red, blue] = await Tag.objects.bulkCreate([{ name: 'red' }, { name: 'blue' }]);
    const a = await Question.objects.create({
      text: 'A',
      pubDate: new Date('2026-01-01T00:00:00Z'),
    });
    const b = await Question.objects.create({
      text: 'B',
      pubDate: new Date('2026-02-01T00:00:00Z'),
    });
    await Question.objects.create({ text: 'C', pubDate: new Date('2026-03-01T00:00:00Z') });
    await Choice.objects.bulkCreate([
      { question: a, text: 'a1', votes: 1 },
      { question: a, text: 'a2', votes: 2 },
      { question: a, text: 'a3', votes: 6 },
      { question: b, text: 'b1', votes: 10 },
    ]);
    await a.related('tags').add(red!, blue!);
    await b.related('tags').add(red!);
  });

  it('aggregates the filtered rows', async () => {
    const totals = await Choice.objects.aggregate({
      total: Sum('votes'),
      mean: Avg('votes'),
      low: Min('votes'),
      high: Max('votes'),
      n: Count('*'),
    });
    assert.deepEqual(totals, { total: 19, mean: 4.75, low: 1, high: 10, n: 4 });
    const some = await Choice.objects
      .filter({ question: { text: 'A' } })
      .aggregate({ total: Sum('votes') });
    assert.deepEqual(some, { total: 9 });
    const none = await Choice.objects
      .filter({ votes: { gt: 100 } })
      .aggregate({ total: Sum('votes'), n: Count('id') });
    assert.deepEqual(none, { total: null, n: 0 });
    const latest = await Choice.objects.aggregate({ latest: Max('question.pubDate') });
    assert.deepEqual(latest.latest, new Date('2026-02-01T00:00:00Z'));
  });

  it('aggregates across reverse and many-to-many relations', async () => {
    const counts = await Question.objects.aggregate({
      choiceTotal: Count('choices'),
      tagTotal: Count('tags', { distinct: true }),
    });
    assert.deepEqual(counts, { choiceTotal: 4, tagTotal: 2 });
  });

  it('annotates each row without multiplying rows or counts', async () => {
    const rows = await Question.objects
      .annotate({
        choiceCount: Count('choices'),
        tagCount: Count('tags'),
        best: Max('choices.votes'),
      })
      .orderBy('text');
    assert.deepEqual(
      rows.map((q) => [q.text, q.choiceCount, q.tagCount, q.best]),
      [
        ['A', 3, 2, 6],
        ['B', 1, 1, 10],
        ['C', 0, 0, null],
      ],
    );
    assert.deepEqual(JSON.parse(JSON.stringify(rows[2])).choiceCount, 0);
  });

  it('filters and orders by annotations', async () => {
    const busy = await Question.objects
      .annotate({ n: Count('choices') })
      .filter({ n: { gte: 1 } })
      .orderBy('-n');
    assert.deepEqual(
      busy.map((q) => q.text),
      ['A', 'B'],
    );
    const doubled = await Choice.objects
      .annotate({ double: F('votes').mul(2) })
      .filter({ double: { gt: 10 } });
    assert.deepEqual(doubled.map((c) => [c.text, c.double]).sort(), [
      ['a3', 12],
      ['b1', 20],
    ]);
    const copied = await Question.objects
      .annotate({ label: F('text'), when: F('pubDate') })
      .orderBy('text')
      .first();
    assert.equal(copied?.label, 'A');
    assert.deepEqual(copied?.when, new Date('2026-01-01T00:00:00Z'));
  });

  it('groups through values()', async () => {
    const perQuestion = await Choice.objects
      .values('question.text')
      .annotate({ total: Sum('votes'), n: Count('*') })
      .orderBy('question.text');
    assert.deepEqual(perQuestion, [
      { 'question.text': 'A', total: 9, n: 3 },
      { 'question.text': 'B', total: 10, n: 1 },
    ]);
    const popular = await Choice.objects
      .values('question')
      .annotate({ total: Sum('votes') })
      .filter({ total: { gt: 9 } });
    assert.equal(popular.length, 1);
    const perTag = await Tag.objects
      .values('name')
      .annotate({ n: Count('questions') })
      .orderBy('name');
    assert.deepEqual(perTag, [
      { name: 'blue', n: 1 },
      { name: 'red', n: 2 },
    ]);
  });

  it('refuses grouped aggregates that would multiply each other', async () => {
    await assert.rejects(
      async () =>
        Question.objects.values('text').annotate({ c: Count('choices'), t: Count('tags') }),
      (error: unknown) => error instanceof CarafeError && /multiply/.test(error.message),
    );
  });

  it('explains what to do with an ungrouped aggregate of the row itself', async () => {
    await assert.rejects(
      async () => Choice.objects.annotate({ total: Sum('votes') }),
      (error: unknown) => error instanceof CarafeError && /values\(/.test(error.message),
    );
    assert.throws(
      () => Choice.objects.annotate({ votes: Count('*') }),
      (error: unknown) => error instanceof CarafeError && /already a field/.test(error.message),
    );
    assert.throws(
      () => Question.objects.annotate({ n: Count('nope' as 'choices') }),
      (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_DB_UNKNOWN_FIELD',
    );
  });
});
