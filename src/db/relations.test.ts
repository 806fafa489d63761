import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { CarafeError } from '../index.js';
import { forEachDatabase } from '../testing/databases.js';
import { createTables, database, m2mChanged } from './index.js';
import { Club, Membership, Person, Profile, peopleModels } from './test-support/people.js';
import { Choice, pollModels, Question, Tag } from './test-support/polls.js';

function notLoaded(name: string, how: string) {
  return (error: unknown) =>
    error instanceof CarafeError &&
    error.code === 'CARAFE_DB_RELATION_NOT_LOADED' &&
    error.message.includes(name) &&
    error.message.includes(`.${how}('`);
}

async function countQueries<T>(fn: () => PromiseLike<T>): Promise<[T, number]> {
  let count = 0;
  const stop = database().onQuery(() => {
    count++;
  });
  try {
    return [await fn(), count];
  } finally {
    stop();
  }
}

forEachDatabase('relations', () => {
  before(async () => {
    await createTables([...pollModels, ...peopleModels]);
    const q = await Question.objects.create({ text: 'Colours?' });
    await Question.objects.create({ text: 'Empty?' });
    await Choice.objects.bulkCreate([
      { question: q, text: 'red' },
      { question: q, text: 'blue' },
    ]);
    const [warm, cold] = await Tag.objects.bulkCreate([{ name: 'warm' }, { name: 'cold' }]);
    await q.related('tags').add(warm!, cold!.id);
  });

  it('joins a foreign key with select() in the same query', async () => {
    const [choice, queries] = await countQueries(() =>
      Choice.objects.select('question').get({ text: 'red' }),
    );
    assert.equal(queries, 1);
    assert.equal(choice.question.text, 'Colours?');
    assert.equal(choice.question.id, choice.questionId);
    assert.deepEqual(JSON.parse(JSON.stringify(choice)).question.text, 'Colours?');
  });

  it('loads a null foreign key as null and nested paths', async () => {
    const ada = await Person.objects.create({ name: 'Ada' });
    const bo = await Person.objects.create({ name: 'Bo', mentor: ada });
    const cy = await Person.objects.create({ name: 'Cy', mentor: bo });
    const loaded = await Person.objects.select('mentor').orderBy('name');
    assert.deepEqual(
      loaded.map((p) => p.mentor?.name ?? null),
      [null, 'Ada', 'Bo'],
    );
    const nested = await Person.objects.select('mentor.mentor').get({ id: cy.id });
    assert.equal(nested.mentor?.mentor?.name, 'Ada');
  });

  it('prefetches reverse foreign keys and many-to-many in one query each', async () => {
    const [questions, queries] = await countQueries(() =>
      Question.objects.prefetch('choices', 'tags').orderBy('text'),
    );
    assert.equal(queries, 3);
    assert.deepEqual(questions[0]!.choices.map((c) => c.text).sort(), ['blue', 'red']);
    assert.deepEqual(questions[0]!.tags.map((t) => t.name).sort(), ['cold', 'warm']);
    assert.deepEqual(questions[1]!.choices, []);
    const tags = await Tag.objects.prefetch('questions').orderBy('name');
    assert.deepEqual(
      tags.map((t) => t.questions.map((q) => q.text)),
      [['Colours?'], ['Colours?']],
    );
    const choices = await Choice.objects.prefetch('question');
    assert.ok(choices.every((c) => c.question.text === 'Colours?'));
  });

  it('prefetches one-to-one in both directions', async () => {
    const dee = await Person.objects.create({ name: 'Dee' });
    await Profile.objects.create({ person: dee, bio: 'hi' });
    const people = await Person.objects
      .prefetch('profile')
      .filter({ name: { in: ['Dee', 'Ada'] } })
      .orderBy('name');
    assert.deepEqual(
      people.map((p) => p.profile?.bio ?? null),
      [null, 'hi'],
    );
    const profile = await Profile.objects.select('person').get({ bio: 'hi' });
    assert.equal(profile.person.name, 'Dee');
  });

  it('throws instead of querying when a relation was not loaded', async () => {
    const choice = await Choice.objects.get({ text: 'red' });
    assert.throws(
      () => Reflect.get(choice, 'question'),
      notLoaded('polls.Choice.question', 'select'),
    );
    const question = await Question.objects.get({ text: 'Colours?' });
    assert.throws(
      () => Reflect.get(question, 'choices'),
      notLoaded('polls.Question.choices', 'prefetch'),
    );
    assert.throws(
      () => Reflect.get(question, 'tags'),
      notLoaded('polls.Question.tags', 'prefetch'),
    );
  });

  it('filters across relations in both directions', async () => {
    assert.deepEqual(
      (await Question.objects.filter({ choices: { text: 'red' } })).map((q) => q.text),
      ['Colours?'],
    );
    assert.deepEqual(
      (await Question.objects.filter({ choices: null })).map((q) => q.text),
      ['Empty?'],
    );
    assert.deepEqual((await Question.objects.filter({ tags: { name: 'warm' } })).length, 1);
    assert.deepEqual((await Tag.objects.filter({ questions: { text: 'Colours?' } })).length, 2);
    assert.equal(await Question.objects.exclude({ choices: { text: 'red' } }).count(), 1);
    // Conditions in one object apply to the same related row.
    assert.equal(await Question.objects.filter({ choices: { text: 'red', votes: 1 } }).count(), 0);
    assert.equal(
      await Question.objects
        .filter({ choices: { text: 'red' } })
        .filter({ choices: { text: 'blue' } })
        .count(),
      1,
    );
    assert.equal(await Person.objects.filter({ mentor: { mentor: { name: 'Ada' } } }).count(), 1);
    assert.equal(await Person.objects.filter({ mentees: { name: 'Bo' } }).count(), 1);
  });

  it('manages many-to-many rows and sends m2mChanged', async () => {
    const q = await Question.objects.get({ text: 'Empty?' });
    const hot = await Tag.objects.create({ name: 'hot' });
    const events: string[] = [];
    const off = m2mChanged.connect(
      (payload) => void events.push(`${payload.action}:${payload.pks?.length ?? '-'}`),
      { sender: Question },
    );
    await q.related('tags').add(hot, hot);
    assert.deepEqual(
      (await q.related('tags').all()).map((t) => t.name),
      ['hot'],
    );
    await q.related('tags').set([(await Tag.objects.get({ name: 'warm' })).id]);
    assert.deepEqual(
      (await q.related('tags').all()).map((t) => t.name),
      ['warm'],
    );
    await q.related('tags').remove((await Tag.objects.get({ name: 'warm' })).id);
    assert.equal(await q.related('tags').all().count(), 0);
    await q.related('tags').create({ name: 'new' });
    await q.related('tags').clear();
    off();
    assert.deepEqual(events, [
      'preAdd:1',
      'postAdd:1',
      'preRemove:1',
      'postRemove:1',
      'preAdd:1',
      'postAdd:1',
      'preRemove:1',
      'postRemove:1',
      'preAdd:1',
      'postAdd:1',
      'preClear:-',
      'postClear:-',
    ]);
    const reverse = await hot.related('questions').all();
    assert.equal(reverse.length, 0);
  });

  it('manages reverse foreign keys', async () => {
    const q = await Question.objects.get({ text: 'Empty?' });
    const made = await q.related('choices').create({ text: 'maybe' });
    assert.equal(made.questionId, q.id);
    assert.equal(await q.related('choices').all().count(), 1);
    await assert.rejects(() => q.related('choices').clear(), /not nullable/);
    const ada = await Person.objects.get({ name: 'Ada' });
    const eli = await Person.objects.create({ name: 'Eli' });
    await ada.related('mentees').add(eli);
    assert.equal((await Person.objects.get({ id: eli.id })).mentorId, ada.id);
    await ada.related('mentees').remove(eli);
    assert.equal((await Person.objects.get({ id: eli.id })).mentorId, null);
  });

  it('uses an explicit join model, with extra fields', async () => {
    const chess = await Club.objects.create({ name: 'chess' });
    const ada = await Person.objects.get({ name: 'Ada' });
    await chess.related('members').add(ada);
    await Membership.objects.create({
      club: chess,
      person: await Person.objects.get({ name: 'Bo' }),
      role: 'chair',
    });
    const clubs = await Club.objects.prefetch('members');
    assert.deepEqual(clubs[0]!.members.map((p) => p.name).sort(), ['Ada', 'Bo']);
    assert.deepEqual(await Membership.objects.orderBy('id').valuesList('role', { flat: true }), [
      'member',
      'chair',
    ]);
    assert.equal(await Person.objects.filter({ clubs: { name: 'chess' } }).count(), 2);
    const result = await chess.delete();
    assert.equal(result.byModel['people.Membership'], 2);
  });

  it('follows self-referential many-to-many', async () => {
    const [ada, bo] = [
      await Person.objects.get({ name: 'Ada' }),
      await Person.objects.get({ name: 'Bo' }),
    ];
    await ada.related('friends').add(bo);
    assert.deepEqual(
      (await ada.related('friends').all()).map((p) => p.name),
      ['Bo'],
    );
    assert.deepEqual(
      (await bo.related('friendOf').all()).map((p) => p.name),
      ['Ada'],
    );
    const removed = await bo.delete();
    assert.equal(removed.byModel['people.Person_friends'], 1);
  });

  it('rejects relation names that do not exist', async () => {
    assert.throws(() => Question.objects.select('nope' as never), /no foreign key/);
    assert.throws(
      () => Question.objects.prefetch('nope' as 'tags'),
      (error: unknown) => error instanceof CarafeError && /"choices"/.test(error.message),
    );
    const q = await Question.objects.get({ text: 'Colours?' });
    assert.throws(() => q.related('text' as 'tags'), /to-many relation/);
  });
});
