import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { CarafeError } from '../../index.js';
import { forEachDatabase } from '../../testing/databases.js';
import { createTables } from '../index.js';
import { Choice, pollModels, Question } from '../test-support/polls.js';

forEachDatabase(
  'several databases',
  () => {
    before(async () => {
      await createTables(pollModels);
      await createTables(pollModels, { using: 'other' });
      await Question.objects.create({ text: 'on default' });
      await Question.objects.using('other').create({ text: 'on other' });
    });

    it('reads and writes the database named by using()', async () => {
      assert.deepEqual(await Question.objects.valuesList('text', { flat: true }), ['on default']);
      assert.deepEqual(await Question.objects.using('other').valuesList('text', { flat: true }), [
        'on other',
      ]);
    });

    it('saves and deletes instances where they came from', async () => {
      const q = await Question.objects.using('other').get({ text: 'on other' });
      q.text = 'changed';
      await q.save();
      assert.equal(await Question.objects.using('other').filter({ text: 'changed' }).count(), 1);
      assert.equal(await Question.objects.filter({ text: 'changed' }).count(), 0);
      await Choice.objects.using('other').create({ question: q, text: 'c' });
      const withChoices = await Question.objects.using('other').prefetch('choices');
      assert.equal(withChoices[0]!.choices.length, 1);
      await q.delete();
      assert.equal(await Question.objects.using('other').count(), 0);
      assert.equal(await Question.objects.count(), 1);
    });

    it('rejects an unknown database name at once', () => {
      assert.throws(
        () => Question.objects.using('nope'),
        (error: unknown) => error instanceof CarafeError,
      );
    });
  },
  { names: ['default', 'other'] },
);
