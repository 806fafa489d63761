// Type-level tests: what a model definition infers. Checked by `tsc --noEmit`, never run.
import { type Equal, expectTrue, expectType } from '../../test/support/type-assert.js';
import { type CreateInput, f, type InstanceOf, model, type Row } from './index.js';
import { type Choice, Question, Tag } from './test-support/polls.js';

const Kitchen = model('typetest.Kitchen', {
  name: f.string({ max: 20 }),
  note: f.text({ nullable: true }),
  count: f.integer({ default: 0 }),
  small: f.smallInteger(),
  big: f.bigInteger({ nullable: true }),
  ratio: f.float(),
  price: f.decimal({ maxDigits: 8, decimalPlaces: 2 }),
  active: f.boolean({ default: true }),
  day: f.date(),
  at: f.datetime({ default: () => new Date() }),
  clock: f.time({ nullable: true }),
  took: f.duration(),
  token: f.uuid({ default: () => crypto.randomUUID() }),
  data: f.json<{ tags: string[] }>(),
  maybe: f.json<number[]>({ nullable: true }),
  mail: f.email(),
  site: f.url({ nullable: true }),
  slug: f.slug(),
  blob: f.binary(),
  status: f.string({ max: 10, choices: ['draft', 'published'], default: 'draft' }),
  level: f.choice(['low', 'high']),
  size: f.integer({
    choices: [
      [1, 'S'],
      [2, 'M'],
    ],
  }),
  owner: f.foreignKey(() => Tag, { onDelete: 'cascade', nullable: true }),
  parent: f.foreignKey('self', { onDelete: 'cascade', nullable: true, relatedName: 'children' }),
  tags: f.manyToMany(() => Tag),
});

type K = Row<typeof Kitchen>;
expectTrue<Equal<K['id'], number>>();
expectTrue<Equal<K['name'], string>>();
expectTrue<Equal<K['note'], string | null>>();
expectTrue<Equal<K['count'], number>>();
expectTrue<Equal<K['small'], number>>();
expectTrue<Equal<K['big'], bigint | null>>();
expectTrue<Equal<K['ratio'], number>>();
expectTrue<Equal<K['price'], string>>();
expectTrue<Equal<K['active'], boolean>>();
expectTrue<Equal<K['day'], string>>();
expectTrue<Equal<K['at'], Date>>();
expectTrue<Equal<K['clock'], string | null>>();
expectTrue<Equal<K['took'], number>>();
expectTrue<Equal<K['token'], string>>();
expectTrue<Equal<K['data'], { tags: string[] }>>();
expectTrue<Equal<K['maybe'], number[] | null>>();
expectTrue<Equal<K['mail'], string>>();
expectTrue<Equal<K['site'], string | null>>();
expectTrue<Equal<K['blob'], Uint8Array>>();
expectTrue<Equal<K['status'], 'draft' | 'published'>>();
expectTrue<Equal<K['level'], 'low' | 'high'>>();
expectTrue<Equal<K['size'], 1 | 2>>();
expectTrue<Equal<K['ownerId'], number | null>>();
expectTrue<Equal<K['parentId'], number | null>>();
expectTrue<
  Equal<keyof K, Exclude<keyof typeof Kitchen.meta extends never ? never : keyof K, never>>
>();
// Relations are not row values: a foreign key's row holds its key, a many-to-many nothing.
type HasKey<T, P extends PropertyKey> = P extends keyof T ? true : false;
expectTrue<Equal<HasKey<K, 'owner'>, false>>();
expectTrue<Equal<HasKey<K, 'tags'>, false>>();

// A declared primary key replaces `id`.
const Coded = model('typetest.Coded', {
  code: f.string({ max: 5, primaryKey: true }),
  label: f.text(),
});
expectTrue<Equal<HasKey<Row<typeof Coded>, 'id'>, false>>();
expectTrue<Equal<Row<typeof Coded>['code'], string>>();
const Pointing = model('typetest.Pointing', {
  coded: f.foreignKey(() => Coded, { onDelete: 'protect' }),
});
expectTrue<Equal<Row<typeof Pointing>['codedId'], string>>();

// Instances carry the row and the instance methods.
type Q = InstanceOf<typeof Question>;
expectTrue<Equal<Q['text'], string>>();
expectTrue<Equal<Q['pubDate'], Date>>();
expectTrue<Equal<ReturnType<Q['save']>, Promise<void>>>();
expectTrue<Equal<InstanceOf<typeof Choice>['questionId'], number>>();

// create(): fields without a default are required; defaults, nullables and keys are optional.
type QuestionInput = CreateInput<typeof Question>;
expectType<QuestionInput>({ text: 'Hi?' });
expectType<QuestionInput>({ text: 'Hi?', pubDate: new Date(), id: 4 });
// @ts-expect-error text is required
expectType<QuestionInput>({ pubDate: new Date() });
// @ts-expect-error many-to-many fields are set after saving, not in create()
expectType<QuestionInput>({ text: 'x', tags: [] });
expectType<CreateInput<typeof Choice>>({ question: 1, text: 'a' });
declare const question: Q;
expectType<CreateInput<typeof Choice>>({ question, text: 'a', votes: 2 });
// @ts-expect-error question is required
expectType<CreateInput<typeof Choice>>({ text: 'a' });
// @ts-expect-error the related key is a number
expectType<CreateInput<typeof Choice>>({ question: 'one', text: 'a' });
// @ts-expect-error a value outside the choices
expectType<CreateInput<typeof Kitchen>>({ status: 'archived' });

async function construct() {
  const q = new Question({ text: 'new' });
  expectTrue<Equal<typeof q, Q>>();
  await q.save();
  // @ts-expect-error unknown field in updateFields
  await q.save({ updateFields: ['nope'] });
  // @ts-expect-error wrong value type
  new Question({ text: 5 });
}
void construct;

// ordering and indexes are checked against the fields.
model(
  'typetest.Ordered',
  { a: f.integer() },
  { ordering: ['-a', 'id'], indexes: [{ fields: ['a'] }] },
);
// @ts-expect-error unknown field in ordering
model('typetest.Misordered', { a: f.integer() }, { ordering: ['-b'] });
// @ts-expect-error display gets the typed row
model('typetest.Shown', { a: f.integer() }, { display: (row) => row.b });

// Check constraints as typed filters over own fields.
model(
  'typetest.Checked',
  { a: f.integer() },
  { constraints: [{ name: 'a_positive', check: { a: { gt: 0 } } }] },
);
model(
  'typetest.BadCheck',
  { a: f.integer() },
  {
    // @ts-expect-error the check value has the field's type
    constraints: [{ name: 'a_text', check: { a: { gt: 'x' } } }],
  },
);
