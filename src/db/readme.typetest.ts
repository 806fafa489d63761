// The example from the design document, as users write it (imports from 'carafe/db', no casts).

import { atomic, Count, F, f, type InstanceOf, model, Q } from 'carafe/db';
import { type Equal, expectTrue } from '../../test/support/type-assert.js';

export const Question = model(
  'brief.Question',
  {
    text: f.string({ max: 200 }),
    pubDate: f.datetime({ label: 'date published', default: () => new Date() }),
  },
  { ordering: ['-pubDate'], display: (q) => q.text },
);
export const Choice = model('brief.Choice', {
  question: f.foreignKey(() => Question, { onDelete: 'cascade', relatedName: 'choices' }),
  text: f.string({ max: 200 }),
  votes: f.integer({ default: 0 }),
});

declare module 'carafe/db' {
  interface RegisteredModels {
    brief: typeof import('./readme.typetest.js');
  }
}

type QuestionRow = InstanceOf<typeof Question>;
type ChoiceRow = InstanceOf<typeof Choice>;

export async function usage(params: { id: number }, form: FormData) {
  const latest = await Question.objects
    .filter({ pubDate: { lte: new Date() } })
    .orderBy('-pubDate')
    .limit(5);
  expectTrue<Equal<typeof latest, QuestionRow[]>>();
  const q = await Question.objects.get({ id: 1 });
  await Choice.objects.filter({ id: 3, question: q.id }).update({ votes: F('votes').add(1) });
  await atomic(() =>
    Choice.objects
      .filter({ id: Number(form.get('choice')), question: params.id })
      .update({ votes: F('votes').add(1) }),
  );
  const withChoices = await Question.objects.prefetch('choices');
  expectTrue<Equal<(typeof withChoices)[number]['choices'], ChoiceRow[]>>();
  const c = await Choice.objects.select('question').get({ id: 3 });
  expectTrue<Equal<typeof c.question.text, string>>();
  await Question.objects.filter(
    Q.or({ text: { startsWith: 'What' } }, Q.not({ id: { in: [1, 2] } })),
  );
  await Choice.objects.filter({ question: { text: { contains: 'up' } } });
  const q2 = await Question.objects.create({ text: 'Hi?' });
  expectTrue<Equal<typeof q2, QuestionRow>>();
  const counted = await Question.objects.annotate({ n: Count('choices') });
  expectTrue<Equal<(typeof counted)[number]['n'], number>>();
}
