// Type-level tests for queries: filters, values, relations and aggregates. Checked by tsc, never run.
import { type Equal, expectTrue } from '../../../test/support/type-assert.js';
import { Avg, Count, F, type InstanceOf, Max, Q, Sum, type Where } from '../index.js';
import { Membership, Person } from '../test-support/people.js';
import { Choice, Question, Tag } from '../test-support/polls.js';

type Qn = InstanceOf<typeof Question>;
type C = InstanceOf<typeof Choice>;
type T = InstanceOf<typeof Tag>;
type P = InstanceOf<typeof Person>;

export async function reads() {
  const latest = await Question.objects
    .filter({ pubDate: { lte: new Date() } })
    .orderBy('-pubDate')
    .limit(5);
  expectTrue<Equal<typeof latest, Qn[]>>();
  const one = await Question.objects.get({ id: 1 });
  expectTrue<Equal<typeof one, Qn>>();
  const first = await Question.objects.first();
  expectTrue<Equal<typeof first, Qn | null>>();
  expectTrue<Equal<Awaited<ReturnType<typeof Question.objects.count>>, number>>();
  const bulk = await Question.objects.inBulk([1, 2]);
  expectTrue<Equal<typeof bulk, Map<number, Qn>>>();
  for await (const row of Question.objects.iterate()) expectTrue<Equal<typeof row, Qn>>();
  const raw = await Question.objects.raw`SELECT * FROM polls_question WHERE id = ${1}`;
  expectTrue<Equal<typeof raw, Qn[]>>();
}

export async function filters() {
  // Plain values are exact matches; lookups depend on the field's kind.
  await Question.objects.filter({ text: 'x', id: 1 });
  await Question.objects.filter({
    text: { icontains: 'x', startsWith: 'W' },
    id: { in: [1, 2], gte: 1 },
  });
  await Question.objects.filter({
    pubDate: { year: 2026, month: { gte: 3 }, weekDay: 2, date: '2026-01-01', hour: 5 },
  });
  await Choice.objects.filter({ votes: { range: [1, 5] }, question: 3 });
  await Choice.objects.filter({ question: { text: { contains: 'up' } } });
  await Choice.objects.filter({ question: { in: [1, 2] } });
  await Question.objects.filter({ choices: { votes: { gt: 0 } }, tags: { name: 'x' } });
  await Tag.objects.filter({ questions: { text: 'x' } });
  await Choice.objects.filter({ votes: { gt: F('id') } });
  await Person.objects.filter({ mentor: null, mentees: { name: 'x' }, clubs: { name: 'chess' } });
  await Question.objects.exclude({ text: { regex: '^W' } });
  // @ts-expect-error unknown field
  await Question.objects.filter({ txt: 'x' });
  // @ts-expect-error wrong value type
  await Choice.objects.filter({ votes: 'many' });
  // @ts-expect-error text lookups do not apply to numbers
  await Choice.objects.filter({ votes: { contains: '1' } });
  // @ts-expect-error date parts do not apply to strings
  await Question.objects.filter({ text: { year: 2026 } });
  // @ts-expect-error a comparison takes the field's type
  await Question.objects.filter({ pubDate: { gt: '2026-01-01' } });
  // @ts-expect-error the related key is a number
  await Choice.objects.filter({ question: 'x' });
  // @ts-expect-error unknown field on the related model
  await Choice.objects.filter({ question: { txt: 'x' } });
  // @ts-expect-error null only for nullable fields
  await Question.objects.filter({ text: null });
  // @ts-expect-error unknown ordering
  Question.objects.orderBy('-nope');
  Choice.objects.orderBy('-question.pubDate', 'votes');
}

export async function combined() {
  await Question.objects.filter(
    Q.or({ text: { startsWith: 'What' } }, Q.not({ id: { in: [1, 2] } })),
  );
  const condition = Q.and<Where<typeof Question>>({ text: 'a' }, { id: 2 });
  await Question.objects.filter(condition);
  // @ts-expect-error unknown field inside Q
  await Question.objects.filter(Q.or({ txt: 'x' }, { id: 1 }));
  // @ts-expect-error wrong type inside a nested Q
  await Question.objects.filter(Q.or({ text: 'a' }, Q.not({ id: 'x' })));
}

export async function values() {
  const rows = await Choice.objects.values('text', 'votes', 'question', 'question.text');
  expectTrue<
    Equal<typeof rows, { text: string; votes: number; question: number; 'question.text': string }[]>
  >();
  const all = await Tag.objects.values();
  expectTrue<Equal<typeof all, { id: number; name: string }[]>>();
  const tuples = await Choice.objects.valuesList('id', 'text');
  expectTrue<Equal<typeof tuples, [number, string][]>>();
  const flat = await Question.objects.valuesList('pubDate', { flat: true });
  expectTrue<Equal<typeof flat, Date[]>>();
  const mentors = await Person.objects.valuesList('mentor.name', { flat: true });
  expectTrue<Equal<typeof mentors, (string | null)[]>>();
  // @ts-expect-error unknown path
  Choice.objects.values('question.nope');
  const only = await Question.objects.only('text');
  expectTrue<Equal<(typeof only)[number]['text'], string>>();
  // @ts-expect-error only() leaves out the other fields
  only[0]?.pubDate;
}

export async function relations() {
  const c = await Choice.objects.select('question').get({ id: 3 });
  expectTrue<Equal<typeof c.question, Qn>>();
  expectTrue<Equal<typeof c.question.text, string>>();
  const p = await Person.objects.select('mentor.mentor').get({ id: 1 });
  expectTrue<Equal<typeof p.mentor, (P & { mentor: P | null }) | null>>();
  const withChoices = await Question.objects.prefetch('choices', 'tags');
  expectTrue<Equal<(typeof withChoices)[number]['choices'], C[]>>();
  expectTrue<Equal<(typeof withChoices)[number]['tags'], T[]>>();
  const tags = await Tag.objects.prefetch('questions');
  expectTrue<Equal<(typeof tags)[number]['questions'], Qn[]>>();
  const profiles = await Person.objects.prefetch('profile');
  expectTrue<Equal<NonNullable<(typeof profiles)[number]['profile']>['bio'], string>>();
  expectTrue<Equal<null extends (typeof profiles)[number]['profile'] ? true : false, true>>();
  // @ts-expect-error select() takes foreign keys only
  Question.objects.select('choices');
  // @ts-expect-error unknown relation
  Question.objects.prefetch('nope');
  // @ts-expect-error not loaded: not in the type
  (await Choice.objects.get({ id: 1 })).question;
  const members = await Membership.objects.select('club', 'person');
  expectTrue<Equal<(typeof members)[number]['club']['name'], string>>();
}

export async function managers(q: Qn, t: T) {
  await q.related('tags').add(t, 3);
  await q.related('tags').set([t]);
  const choices = await q
    .related('choices')
    .all()
    .filter({ votes: { gt: 0 } });
  expectTrue<Equal<typeof choices, C[]>>();
  const made = await q.related('choices').create({ text: 'x' });
  expectTrue<Equal<typeof made, C>>();
  await t.related('questions').add(q);
  // @ts-expect-error related() is for to-many relations
  q.related('text');
  // @ts-expect-error a Tag is not a Choice
  await q.related('choices').add(t);
}

export async function aggregates() {
  const totals = await Choice.objects.aggregate({
    total: Sum('votes'),
    mean: Avg('votes'),
    n: Count('*'),
    last: Max('question.pubDate'),
  });
  expectTrue<
    Equal<
      typeof totals,
      { total: number | null; mean: number | null; n: number; last: Date | null }
    >
  >();
  const annotated = await Question.objects.annotate({
    choiceCount: Count('choices'),
    best: Max('choices.votes'),
  });
  expectTrue<Equal<(typeof annotated)[number]['choiceCount'], number>>();
  expectTrue<Equal<(typeof annotated)[number]['best'], number | null>>();
  await Question.objects
    .annotate({ n: Count('choices') })
    .filter({ n: { gte: 2 } })
    .orderBy('-n');
  const computed = await Choice.objects.annotate({ doubled: F('votes').mul(2), copy: F('text') });
  expectTrue<Equal<(typeof computed)[number]['doubled'], number>>();
  expectTrue<Equal<(typeof computed)[number]['copy'], string>>();
  const grouped = await Choice.objects.values('question').annotate({ total: Sum('votes') });
  expectTrue<Equal<typeof grouped, ({ question: number } & { total: number | null })[]>>();
  // @ts-expect-error unknown aggregate path
  await Choice.objects.aggregate({ total: Sum('nope') });
}

export async function writes(q: Qn) {
  const created = await Question.objects.create({ text: 'Hi?' });
  expectTrue<Equal<typeof created, Qn>>();
  // @ts-expect-error text is required
  await Question.objects.create({});
  await Choice.objects.filter({ id: 3, question: q.id }).update({ votes: F('votes').add(1) });
  await Choice.objects.update({ question: q, text: 'x' });
  // @ts-expect-error wrong type in update
  await Choice.objects.update({ votes: 'x' });
  // @ts-expect-error unknown field in update
  await Choice.objects.update({ nope: 1 });
  const [row, made] = await Tag.objects.getOrCreate({ name: 'x' });
  expectTrue<Equal<typeof row, T>>();
  expectTrue<Equal<typeof made, boolean>>();
  const rows = await Tag.objects.bulkCreate([{ name: 'a' }, { name: 'b' }]);
  await Tag.objects.bulkUpdate(rows, ['name']);
  // @ts-expect-error unknown field in bulkUpdate
  await Tag.objects.bulkUpdate(rows, ['nope']);
  const deleted = await Tag.objects.filter({ name: 'a' }).delete();
  expectTrue<Equal<typeof deleted.total, number>>();
}
