import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '../testing/databases.js';
import { createTables, F, Q, Count, Sum } from './index.js';
import { Choice, pollModels, Question, Tag } from './test-support/polls.js';

forEachDatabase('smoke', () => {
  it('works', async () => {
    await createTables(pollModels);
    const q = await Question.objects.create({ text: 'What is up?' });
    assert.equal(typeof q.id, 'number');
    const c = await Choice.objects.create({ question: q, text: 'Not much' });
    await Choice.objects.create({ question: q.id, text: 'The sky', votes: 2 });
    await Choice.objects.filter({ id: c.id, question: q.id }).update({ votes: F('votes').add(1) });
    const got = await Choice.objects.select('question').get({ id: c.id });
    assert.equal(got.votes, 1);
    assert.equal(got.question.text, 'What is up?');
    const withChoices = await Question.objects.prefetch('choices');
    assert.equal(withChoices[0]!.choices.length, 2);
    const through = await Choice.objects.filter({ question: { text: { contains: 'up' } } });
    assert.equal(through.length, 2);
    const none = await Question.objects.filter(Q.or({ text: { startsWith: 'What' } }, Q.not({ id: { in: [q.id] } })));
    assert.equal(none.length, 1);
    const agg = await Choice.objects.aggregate({ total: Sum('votes'), n: Count('*') });
    assert.deepEqual(agg, { total: 3, n: 2 });
    const annotated = await Question.objects.annotate({ n: Count('choices') });
    assert.equal(annotated[0]!.n, 2);
    const t = await Tag.objects.create({ name: 'x' });
    await q.related('tags').add(t);
    const withTags = await Question.objects.prefetch('tags');
    assert.equal(withTags[0]!.tags[0]!.name, 'x');
    const r = await q.delete();
    assert.equal(r.total, 4);
  });
});
