import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { createTables, dropTables, f, model } from '../db/index.js';
import { ff, modelForm } from './index.js';

const Author = model(
  'formtest.Author',
  { name: f.string({ max: 50, unique: true }) },
  {
    display: (author) => author.name,
    ordering: ['name'],
  },
);
const Tag = model(
  'formtest.Tag',
  { name: f.string({ max: 20 }) },
  { display: (tag) => tag.name, ordering: ['name'] },
);
const Book = model('formtest.Book', {
  title: f.string({ max: 100, helpText: 'As on the cover' }),
  slug: f.slug({ unique: true }),
  summary: f.text({ blank: true }),
  pages: f.integer({ min: 1, nullable: true, blank: true }),
  status: f.choice(['draft', 'published'], { default: 'draft' }),
  price: f.decimal({ maxDigits: 6, decimalPlaces: 2 }),
  published: f.date({ nullable: true, blank: true, label: 'date published' }),
  inPrint: f.boolean({ default: true }),
  author: f.foreignKey(() => Author, { onDelete: 'cascade', relatedName: 'books' }),
  tags: f.manyToMany(() => Tag, { blank: true }),
  createdBy: f.string({ max: 50 }),
});
const models = [Author, Tag, Book];

const BookForm = modelForm(Book, {
  fields: [
    'title',
    'slug',
    'summary',
    'pages',
    'status',
    'price',
    'published',
    'inPrint',
    'author',
    'tags',
  ],
  widgets: { tags: 'checkboxes' },
});

function bookData(
  authorId: number,
  extra: Record<string, string | string[]> = {},
): Record<string, string | string[]> {
  return {
    title: 'Dune',
    slug: 'dune',
    price: '9.99',
    status: 'published',
    author: String(authorId),
    inPrint: 'on',
    ...extra,
  };
}

describe('modelForm definitions', () => {
  it('refuses unknown, primary key and missing field lists', () => {
    // @ts-expect-error not a field of Book
    assert.throws(() => modelForm(Book, { fields: ['nope'] }), {
      code: 'CARAFE_FORMS_DEFINITION',
      message: /"nope" in fields is not an editable field of formtest.Book/,
    });
    assert.throws(() => modelForm(Book, { fields: ['id' as 'title'] }), {
      code: 'CARAFE_FORMS_DEFINITION',
    });
    assert.throws(() => modelForm(Book, {}), {
      code: 'CARAFE_FORMS_DEFINITION',
      message: /say which fields/,
    });
    // @ts-expect-error labels only for fields of the form
    assert.throws(() => modelForm(Book, { fields: ['title'], labels: { slug: 'x' } }), {
      code: 'CARAFE_FORMS_DEFINITION',
    });
  });

  it('takes labels, help texts, validators, limits and choices from the model', () => {
    const fields = BookForm.fields;
    assert.equal(fields.title.helpText, 'As on the cover');
    assert.equal(fields.published.label, 'Date published');
    assert.equal(fields.title.required, true);
    assert.equal(fields.summary.required, false);
    assert.equal(fields.summary.widget, 'textarea');
    assert.equal(fields.pages.required, false);
    assert.deepEqual(fields.status.choices, [
      { value: 'draft', label: 'draft' },
      { value: 'published', label: 'published' },
    ]);
    assert.equal(fields.inPrint.required, false);
    assert.equal(fields.tags.widget, 'checkboxes');
    const schema = BookForm.jsonSchema();
    assert.deepEqual(schema.required, ['title', 'slug', 'status', 'price', 'author']);
    assert.deepEqual((schema.properties as Record<string, unknown>).title, {
      type: 'string',
      maxLength: 100,
      title: 'Title',
      description: 'As on the cover',
    });
    assert.deepEqual((schema.properties as Record<string, unknown>).author, {
      type: 'integer',
      title: 'Author',
    });
  });

  it('uses overrides in place of generated fields', () => {
    const Short = modelForm(Book, {
      fields: ['title', 'summary'],
      overrides: { summary: ff.text({ max: 10 }) },
    });
    assert.equal(Short.fields.summary.widget, 'text');
    assert.equal(Short.fields.summary.required, true);
  });
});

forEachDatabase('modelForm', () => {
  let ada: InstanceType<typeof Author>;
  beforeEach(async () => {
    await dropTables(models);
    await createTables(models);
    ada = await Author.objects.create({ name: 'Ada' });
    await Author.objects.create({ name: '<Bob>' });
    await Tag.objects.create({ name: 'sf' });
    await Tag.objects.create({ name: 'classic' });
  });

  it('shows related rows as choices and model defaults as initial values', async () => {
    const html = (await BookForm.unbound()).render().toString();
    assert.match(
      html,
      /<select name="author" required id="id_author"><option value="" selected>---------<\/option><option value="\d+">&lt;Bob&gt;<\/option><option value="\d+">Ada<\/option><\/select>/,
    );
    assert.match(html, /<option value="draft" selected>draft<\/option>/);
    assert.match(html, /<input type="checkbox" name="inPrint" checked id="id_inPrint">/);
    assert.match(html, /<fieldset><legend>Tags<\/legend>/);
    assert.match(
      html,
      /<input type="text" name="title" maxlength="100" required aria-describedby="id_title_helptext" id="id_title">/,
    );
  });

  it('creates a row with its many-to-many choices', async () => {
    const tags = await Tag.objects.orderBy('name');
    const form = await BookForm.bind(
      bookData(ada.id, { tags: tags.map((tag) => String(tag.id)), pages: '' }),
      {
        values: { createdBy: 'tester' },
      },
    );
    assert.deepEqual(form.errors, {});
    assert.equal(form.isValid(), true);
    assert.equal(form.cleanedData?.author?.id, ada.id);
    const book = await form.save();
    assert.equal(book.isNew, false);
    const stored = await Book.objects.get({ id: book.id });
    assert.equal(stored.title, 'Dune');
    assert.equal(stored.pages, null);
    assert.equal(stored.price, '9.99');
    assert.equal(stored.authorId, ada.id);
    assert.equal(stored.createdBy, 'tester');
    const names = (await stored.related('tags').all()).map((tag) => String(tag)).sort();
    assert.deepEqual(names, ['classic', 'sf']);
  });

  it('reports field errors, including a related row that does not exist', async () => {
    const form = await BookForm.bind({
      title: '',
      slug: 'not a slug',
      price: 'ten',
      status: 'x',
      author: '999999',
    });
    assert.equal(form.isValid(), false);
    assert.deepEqual(form.errors, {
      title: ['This field is required.'],
      slug: ['Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.'],
      status: ['Select a valid choice. x is not one of the available choices.'],
      price: ['Enter a number.'],
      author: ['Select a valid choice. 999999 is not one of the available choices.'],
    });
    await assert.rejects(form.save(), { code: 'CARAFE_FORMS_NOT_VALID' });
  });

  it('checks uniqueness through the model, and not against the row being edited', async () => {
    const first = await BookForm.bind(bookData(ada.id), { values: { createdBy: 'x' } });
    const book = await first.save();
    const duplicate = await BookForm.bind(bookData(ada.id, { title: 'Other' }), {
      values: { createdBy: 'x' },
    });
    assert.deepEqual(duplicate.errors, { slug: ['Book with this slug already exists.'] });
    const edit = await BookForm.bind(bookData(ada.id, { title: 'Dune Messiah' }), {
      instance: book,
    });
    assert.deepEqual(edit.errors, {});
    await edit.save();
    assert.equal((await Book.objects.get({ id: book.id })).title, 'Dune Messiah');
    assert.equal(await Book.objects.count(), 1);
  });

  it('fills an edit form from the row and updates only what the form shows', async () => {
    const tag = (await Tag.objects.filter({ name: 'sf' }))[0]!;
    const book = await Book.objects.create({
      title: 'Emma',
      slug: 'emma',
      summary: '',
      price: '5.00',
      author: ada,
      createdBy: 'jane',
    });
    await book.related('tags').add(tag);
    const form = await BookForm.unbound({ instance: book });
    assert.equal(form.field('title').value, 'Emma');
    assert.equal(form.field('author').value, String(ada.id));
    assert.deepEqual(form.field('tags').value, [String(tag.id)]);
    const bound = await BookForm.bind(
      bookData(ada.id, { title: 'Emma!', slug: 'emma', inPrint: '' }),
      { instance: book },
    );
    const saved = await bound.save();
    assert.equal(saved, book);
    const stored = await Book.objects.get({ id: book.id });
    assert.equal(stored.title, 'Emma!');
    assert.equal(stored.inPrint, false);
    assert.equal(stored.createdBy, 'jane');
    assert.deepEqual(await stored.related('tags').all(), []);
  });

  it('fails to save when a required field the form does not show was never given', async () => {
    const form = await BookForm.bind(bookData(ada.id));
    assert.equal(form.isValid(), true);
    await assert.rejects(form.save(), {
      code: 'CARAFE_DB_BAD_VALUE',
      message: /createdBy is required/,
    });
    const later = await form.save({ values: { createdBy: 'late' } });
    assert.equal((await Book.objects.get({ id: later.id })).createdBy, 'late');
  });
});
