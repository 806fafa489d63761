import { Choice, Question } from './polls.js';
import { type InstanceOf, Q } from '../index.js';
import { type Equal, expectTrue } from '../../../test/support/type-assert.js';

type Q = InstanceOf<typeof Question>;
expectTrue<Equal<Q['text'], string>>();
expectTrue<Equal<Q['pubDate'], Date>>();
expectTrue<Equal<Q['id'], number>>();
type C = InstanceOf<typeof Choice>;
expectTrue<Equal<C['questionId'], number>>();
async function run() {
  const latest = await Question.objects.filter({ pubDate: { lte: new Date() } }).orderBy('-pubDate').limit(5);
  expectTrue<Equal<typeof latest, Q[]>>();
  const c = await Choice.objects.select('question').get({ id: 3 });
  expectTrue<Equal<typeof c.question.text, string>>();
  const withChoices = await Question.objects.prefetch('choices');
  expectTrue<Equal<(typeof withChoices)[number]['choices'], C[]>>();
  await Choice.objects.filter({ question: { text: { contains: 'up' } } });
  const q2 = await Question.objects.create({ text: 'Hi?' });
  expectTrue<Equal<typeof q2, Q>>();
}
void run;
async function wrong() {
  // @ts-expect-error unknown field
  await Question.objects.filter({ txt: 'x' });
  // @ts-expect-error wrong type
  await Choice.objects.filter({ votes: 'x' });
  // @ts-expect-error wrong lookup value
  await Question.objects.filter({ text: { gt: 5 } });
  // @ts-expect-error text required
  await Question.objects.create({});
}
void wrong;
async function rel(q: Q, t: InstanceOf<typeof import('./polls.js').Tag>) {
  await q.related('tags').add(t, 3);
  const cs = await q.related('choices').all();
  expectTrue<Equal<typeof cs, C[]>>();
  await q.related('choices').create({ text: 'x' });
  // @ts-expect-error choices is not a to-one
  q.related('text');
}
void rel;
async function qs() {
  await Question.objects.filter(Q.or({ text: { startsWith: 'What' } }, Q.not({ id: { in: [1, 2] } })));
  // @ts-expect-error unknown field inside Q
  await Question.objects.filter(Q.or({ txt: 'x' }, { id: 1 }));
  // @ts-expect-error wrong type inside nested Q
  await Question.objects.filter(Q.or({ text: 'a' }, Q.not({ id: 'x' })));
}
void qs;
