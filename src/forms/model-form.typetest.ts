// A model form's cleaned data follows from the model's fields.
import { type Equal, expectTrue } from '../../test/support/type-assert.js';
import { f, type InstanceOf, model } from '../db/index.js';
import { type CleanedData, ff, inlineFormset, modelForm } from './index.js';

const Author = model('typetest.Author', { name: f.string({ max: 50 }) });
const Tag = model('typetest.Tag', { name: f.string({ max: 20 }) });
const Book = model('typetest.Book', {
  title: f.string({ max: 100 }),
  summary: f.text({ blank: true }),
  subtitle: f.string({ max: 100, nullable: true, blank: true }),
  pages: f.integer({ nullable: true, blank: true }),
  copies: f.integer({ default: 1 }),
  status: f.choice(['draft', 'published'], { default: 'draft' }),
  price: f.decimal({ maxDigits: 6, decimalPlaces: 2 }),
  published: f.date({ nullable: true }),
  inPrint: f.boolean({ default: true }),
  author: f.foreignKey(() => Author, { onDelete: 'cascade' }),
  editor: f.foreignKey(() => Author, {
    onDelete: 'setNull',
    nullable: true,
    relatedName: 'edited',
  }),
  tags: f.manyToMany(() => Tag),
});

const BookForm = modelForm(Book, {
  fields: [
    'title',
    'summary',
    'subtitle',
    'pages',
    'copies',
    'status',
    'price',
    'published',
    'inPrint',
    'author',
    'editor',
    'tags',
  ],
  clean(data) {
    expectTrue<Equal<typeof data.pages, number | null>>();
    return data.title === data.summary ? { summary: 'Say more than the title.' } : undefined;
  },
});

expectTrue<
  Equal<
    CleanedData<typeof BookForm.fields>,
    {
      title: string;
      summary: string;
      subtitle: string | null;
      pages: number | null;
      copies: number | null;
      status: 'draft' | 'published' | null;
      price: string;
      published: string | null;
      inPrint: boolean;
      author: InstanceOf<typeof Author>;
      editor: InstanceOf<typeof Author> | null;
      tags: InstanceOf<typeof Tag>[];
    }
  >
>();

// @ts-expect-error not a field of Book
modelForm(Book, { fields: ['title', 'nope'] });
// @ts-expect-error the primary key is not editable
modelForm(Book, { fields: ['id'] });

const Short = modelForm(Book, { exclude: ['tags', 'editor'] });
expectTrue<
  Equal<
    keyof typeof Short.fields,
    | 'title'
    | 'summary'
    | 'subtitle'
    | 'pages'
    | 'copies'
    | 'status'
    | 'price'
    | 'published'
    | 'inPrint'
    | 'author'
  >
>();

const WithOverride = modelForm(Book, {
  fields: ['title', 'pages'],
  overrides: { pages: ff.integer(), confirm: ff.boolean() },
});
expectTrue<
  Equal<CleanedData<typeof WithOverride.fields>, { title: string; pages: number; confirm: boolean }>
>();

export async function views(data: Record<string, string>, book: InstanceOf<typeof Book>) {
  const form = await BookForm.bind(data, { instance: book, values: { copies: 2 } });
  if (form.isValid()) {
    const saved = await form.save();
    expectTrue<Equal<typeof saved, InstanceOf<typeof Book>>>();
    expectTrue<Equal<typeof form.cleanedData.author, InstanceOf<typeof Author>>>();
  }
  // @ts-expect-error values are the model's create input
  await BookForm.bind(data, { values: { copies: 'two' } });
  const Tags = inlineFormset(Author, Book, { fields: ['title', 'price'], fk: 'author' });
  const set = await Tags.bind(data, { parent: await Author.objects.get({ id: 1 }) });
  if (set.isValid())
    expectTrue<Equal<typeof set.cleanedData, { title: string; price: string }[]>>();
  const saved = await set.save();
  expectTrue<Equal<typeof saved, InstanceOf<typeof Book>[]>>();
}
