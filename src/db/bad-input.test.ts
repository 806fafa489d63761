import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { CarafeError } from '../index.js';
import { forEachDatabase } from '../testing/databases.js';
import { Count, createTables, database, F, Q } from './index.js';
import { Choice, pollModels, Question } from './test-support/polls.js';

function rejectsWith(code: string, ...patterns: RegExp[]) {
  return (error: unknown) => {
    assert.ok(error instanceof CarafeError, String(error));
    assert.equal(error.code, code, error.message);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  };
}

const injections = [
  "'; DROP TABLE polls_question; --",
  '" OR 1=1 --',
  '`x` = `x`',
  'text) OR (1=1',
  '\\',
  '%',
  '_',
];

forEachDatabase('bad input', () => {
  before(async () => {
    await createTables(pollModels);
    const q = await Question.objects.create({ text: 'Keep me' });
    await Choice.objects.create({ question: q, text: 'c' });
  });

  it('names the model and valid fields for an unknown field, before any SQL', async () => {
    let queries = 0;
    const stop = database().onQuery(() => {
      queries++;
    });
    const unknown = rejectsWith(
      'CARAFE_DB_UNKNOWN_FIELD',
      /polls\.Question has no field "nope"/,
      /"text"/,
      /"pubDate"/,
    );
    assert.throws(() => Question.objects.filter({ nope: 1 } as never), unknown);
    assert.throws(
      () => Question.objects.exclude(Q.or({ text: 'a' }, { nope: 1 } as never)),
      unknown,
    );
    assert.throws(() => Question.objects.orderBy('-nope' as never), unknown);
    assert.throws(() => Question.objects.values('nope' as never), unknown);
    assert.throws(() => Question.objects.valuesList('nope' as never), unknown);
    assert.throws(() => Question.objects.only('nope' as never), unknown);
    assert.throws(
      () => Question.objects.filter({ choices: { nope: 1 } } as never),
      rejectsWith('CARAFE_DB_UNKNOWN_FIELD', /polls\.Choice has no field "nope"/),
    );
    assert.throws(
      () => Choice.objects.orderBy('question.nope' as never),
      rejectsWith('CARAFE_DB_UNKNOWN_FIELD', /polls\.Question has no field "nope"/),
    );
    assert.throws(
      () => Choice.objects.orderBy('text.nope' as never),
      rejectsWith('CARAFE_DB_UNKNOWN_FIELD', /no foreign key "text"/),
    );
    await assert.rejects(() => Question.objects.update({ nope: 1 } as never), unknown);
    await assert.rejects(() => Question.objects.create({ text: 'x', nope: 1 } as never), unknown);
    await assert.rejects(
      () => Question.objects.filter({ text: 'x' }).update({ text: F('nope') }),
      rejectsWith('CARAFE_DB_UNKNOWN_FIELD', /F\('nope'\)/),
    );
    stop();
    assert.equal(queries, 0);
  });

  it('names the field and its lookups for an unknown lookup', () => {
    assert.throws(
      () => Question.objects.filter({ text: { like: 'x' } } as never),
      rejectsWith(
        'CARAFE_DB_UNKNOWN_LOOKUP',
        /polls\.Question\.text has no lookup "like"/,
        /"contains"/,
        /"iexact"/,
      ),
    );
    assert.throws(
      () => Choice.objects.filter({ votes: { contains: 1 } } as never),
      rejectsWith(
        'CARAFE_DB_UNKNOWN_LOOKUP',
        /polls\.Choice\.votes has no lookup "contains"/,
        /"gte"/,
      ),
    );
    assert.throws(
      () => Question.objects.filter({ pubDate: { year: { like: 1 } } } as never),
      rejectsWith('CARAFE_DB_UNKNOWN_LOOKUP', /pubDate\.year has no lookup "like"/),
    );
  });

  it('rejects values of the wrong type, naming the field', () => {
    const bad = rejectsWith('CARAFE_DB_BAD_VALUE', /polls\.Choice\.votes/);
    assert.throws(() => Choice.objects.filter({ votes: 'x' } as never), bad);
    assert.throws(() => Choice.objects.filter({ votes: { in: [1, 'x'] } } as never), bad);
    assert.throws(() => Choice.objects.filter({ votes: { range: [1] } } as never), bad);
    assert.throws(() => Choice.objects.filter({ votes: undefined } as never), bad);
    assert.throws(
      () => Choice.objects.filter({ question: 'x' } as never),
      rejectsWith('CARAFE_DB_BAD_VALUE', /polls\.Choice\.question/),
    );
    assert.throws(
      () => Question.objects.filter({ pubDate: '2026-01-01' } as never),
      rejectsWith('CARAFE_DB_BAD_VALUE', /pubDate/, /Date/),
    );
    assert.throws(
      () => Question.objects.filter({ text: { contains: 5 } } as never),
      rejectsWith('CARAFE_DB_BAD_VALUE', /polls\.Question\.text/),
    );
    assert.throws(
      () => Question.objects.filter('text' as never),
      rejectsWith('CARAFE_DB_BAD_VALUE', /takes an object/),
    );
    assert.throws(
      () => Question.objects.annotate({ n: 'choices' } as never),
      rejectsWith('CARAFE_DB_BAD_VALUE', /aggregate/),
    );
    assert.throws(
      () => Question.objects.annotate({ n: Count('nope' as never) }),
      rejectsWith('CARAFE_DB_UNKNOWN_FIELD'),
    );
  });

  it('binds hostile strings as values, never as SQL', async () => {
    for (const text of injections) {
      const created = await Question.objects.create({ text });
      assert.equal((await Question.objects.get({ id: created.id })).text, text);
      assert.equal(await Question.objects.filter({ text }).count(), 1);
      assert.equal(
        await Question.objects.filter({ text: { contains: text }, id: created.id }).count(),
        1,
      );
      assert.ok(
        (await Question.objects.filter({ text: { contains: text } }).count()) <
          (await Question.objects.count()),
      );
      assert.equal(await Question.objects.filter({ text: { iexact: text } }).count(), 1);
      await Question.objects.filter({ id: created.id }).update({ text: `${text}!` });
      assert.equal((await Question.objects.get({ id: created.id })).text, `${text}!`);
      const { sql } = Question.objects.filter({ text }).toSQL();
      if (text.length > 3) assert.ok(!sql.includes(text), 'the value is not in the SQL text');
    }
    assert.equal(await Question.objects.filter({ text: 'Keep me' }).count(), 1);
  });

  it('refuses hostile strings as field names', async () => {
    for (const key of injections) {
      assert.throws(
        () => Question.objects.filter({ [key]: 1 } as never),
        rejectsWith('CARAFE_DB_UNKNOWN_FIELD'),
      );
      assert.throws(
        () => Question.objects.orderBy(key as never),
        rejectsWith('CARAFE_DB_UNKNOWN_FIELD'),
      );
      assert.throws(
        () => Question.objects.filter({ text: { [key]: 1 } } as never),
        rejectsWith('CARAFE_DB_UNKNOWN_LOOKUP'),
      );
    }
    assert.equal(await Question.objects.count(), injections.length + 1);
  });
});
