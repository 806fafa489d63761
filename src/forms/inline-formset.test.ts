import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { createTables, dropTables, f, model } from '../db/index.js';
import { inlineFormset, modelForm } from './index.js';

const Question = model(
  'inlinetest.Question',
  { text: f.string({ max: 200 }) },
  { display: (q) => q.text },
);
const Choice = model(
  'inlinetest.Choice',
  {
    question: f.foreignKey(() => Question, { onDelete: 'cascade', relatedName: 'choices' }),
    text: f.string({ max: 200 }),
    votes: f.integer({ default: 0 }),
  },
  { uniqueTogether: [['question', 'text']] },
);
const Review = model('inlinetest.Review', {
  question: f.foreignKey(() => Question, { onDelete: 'cascade', relatedName: 'reviews' }),
  replacement: f.foreignKey(() => Question, {
    onDelete: 'cascade',
    relatedName: 'replacedReviews',
  }),
  note: f.text(),
});
const models = [Question, Choice, Review];

const QuestionForm = modelForm(Question, { fields: ['text'] });
const ChoiceFormset = inlineFormset(Question, Choice, { fields: ['text', 'votes'], extra: 2 });

type Data = Record<string, string>;

function management(total: number, initial: number): Data {
  return { 'choices-TOTAL_FORMS': String(total), 'choices-INITIAL_FORMS': String(initial) };
}

describe('inlineFormset definitions', () => {
  it('finds the foreign key, or asks which one', () => {
    assert.equal(ChoiceFormset.fk.name, 'question');
    assert.equal(ChoiceFormset.settings.prefix, 'choices');
    assert.throws(() => inlineFormset(Question, Review, { fields: ['note'] }), {
      code: 'CARAFE_FORMS_DEFINITION',
      message: /several foreign keys to inlinetest.Question; name one with fk: 'question'/,
    });
    assert.equal(
      inlineFormset(Question, Review, { fields: ['note'], fk: 'replacement' }).fk.name,
      'replacement',
    );
    assert.throws(() => inlineFormset(Choice, Question, { fields: ['text'] }), {
      message: /has no foreign key to inlinetest.Choice/,
    });
    assert.throws(() => inlineFormset(Question, Choice, { fields: ['question', 'text'] }), {
      message: /leave the foreign key "question" out/,
    });
  });
});

forEachDatabase('inlineFormset', () => {
  let question: InstanceType<typeof Question>;
  let other: InstanceType<typeof Question>;
  let tea: InstanceType<typeof Choice>;
  let coffee: InstanceType<typeof Choice>;
  let foreign: InstanceType<typeof Choice>;

  beforeEach(async () => {
    await dropTables(models);
    await createTables(models);
    question = await Question.objects.create({ text: 'Drink?' });
    other = await Question.objects.create({ text: 'Food?' });
    tea = await Choice.objects.create({ question, text: 'Tea', votes: 3 });
    coffee = await Choice.objects.create({ question, text: 'Coffee' });
    foreign = await Choice.objects.create({ question: other, text: 'Bread' });
  });

  const texts = async (q: InstanceType<typeof Question>) =>
    (await Choice.objects.filter({ question: q.id }).orderBy('text')).map(
      (choice) => `${choice.text}:${choice.votes}`,
    );

  it('shows the parent’s children, then extra forms', async () => {
    const set = await ChoiceFormset.unbound({ parent: question });
    assert.equal(set.forms.length, 4);
    assert.equal(set.initialFormCount, 2);
    const html = set.render().toString();
    assert.match(html, /name="choices-TOTAL_FORMS" value="4"/);
    assert.match(html, /name="choices-INITIAL_FORMS" value="2"/);
    assert.match(
      html,
      new RegExp(
        `<input type="hidden" name="choices-0-id" value="${tea.id}" id="id_choices-0-id">`,
      ),
    );
    assert.match(html, /<input type="text" name="choices-1-text" value="Coffee"/);
    assert.match(html, /<input type="number" name="choices-2-votes" value="0"/);
    assert.match(html, /name="choices-3-DELETE"/);
    assert.doesNotMatch(html, /Bread/);
  });

  it('updates, deletes and creates children in one save', async () => {
    const data: Data = {
      ...management(4, 2),
      'choices-0-id': String(tea.id),
      'choices-0-text': 'Green tea',
      'choices-0-votes': '3',
      'choices-1-id': String(coffee.id),
      'choices-1-text': 'Coffee',
      'choices-1-votes': '0',
      'choices-1-DELETE': 'on',
      'choices-2-text': 'Water',
      'choices-2-votes': '1',
      // An extra form left as shown: the browser still sends the default vote count.
      'choices-3-text': '',
      'choices-3-votes': '0',
    };
    const set = await ChoiceFormset.bind(data, { parent: question });
    assert.deepEqual(set.errors, [{}, {}, {}, {}]);
    assert.equal(set.isValid(), true);
    const saved = await set.save();
    assert.deepEqual(
      saved.map((choice) => choice.text),
      ['Green tea', 'Water'],
    );
    assert.deepEqual(await texts(question), ['Green tea:3', 'Water:1']);
    assert.deepEqual(await texts(other), ['Bread:0']);
  });

  it('leaves unchanged children alone', async () => {
    const set = await ChoiceFormset.bind(
      {
        ...management(2, 2),
        'choices-0-id': String(tea.id),
        'choices-0-text': 'Tea',
        'choices-0-votes': '3',
        'choices-1-id': String(coffee.id),
        'choices-1-text': 'Coffee',
        'choices-1-votes': '0',
      },
      { parent: question },
    );
    assert.deepEqual(await set.save(), []);
  });

  it('refuses a key that belongs to another parent', async () => {
    const set = await ChoiceFormset.bind(
      {
        ...management(1, 1),
        'choices-0-id': String(foreign.id),
        'choices-0-text': 'Stolen',
        'choices-0-votes': '0',
      },
      { parent: question },
    );
    assert.equal(set.isValid(), false);
    assert.deepEqual(set.errors[0], {
      id: [`Select a valid choice. ${foreign.id} is not one of the available choices.`],
    });
    await assert.rejects(set.save(), { code: 'CARAFE_FORMS_NOT_VALID' });
    assert.deepEqual(await texts(other), ['Bread:0']);
    const deleting = await ChoiceFormset.bind(
      { ...management(1, 1), 'choices-0-id': String(foreign.id), 'choices-0-DELETE': 'on' },
      { parent: question },
    );
    assert.equal(deleting.isValid(), true);
    await deleting.save();
    assert.deepEqual(await texts(other), ['Bread:0']);
  });

  it('checks the model’s unique constraints with the parent', async () => {
    const set = await ChoiceFormset.bind(
      { ...management(1, 0), 'choices-0-text': 'Tea', 'choices-0-votes': '0' },
      { parent: question },
    );
    assert.deepEqual(set.errors[0], {
      __all__: ['Choice with this question and text already exists.'],
    });
  });

  it('creates the children of a parent created in the same request', async () => {
    const data: Data = {
      text: 'Colour?',
      ...management(2, 0),
      'choices-0-text': 'Red',
      'choices-0-votes': '0',
      'choices-1-text': '',
      'choices-1-votes': '0',
    };
    const parentForm = await QuestionForm.bind(data);
    const set = await ChoiceFormset.bind(data);
    assert.equal(parentForm.isValid() && set.isValid(), true);
    await assert.rejects(set.save(), { code: 'CARAFE_FORMS_PARENT_NOT_SAVED' });
    const colour = await parentForm.save();
    await set.save({ parent: colour });
    assert.deepEqual(await texts(colour), ['Red:0']);
  });
});
