// admin.register's options are checked against the model's fields at compile time.
import { type Equal, expectTrue } from '../../test/support/type-assert.js';
import { f, model, type QuerySet } from '../db/index.js';
import { adminSite, inline } from './index.js';

const Shelf = model('admintypes.Shelf', { name: f.string({ max: 50 }) });
const Genre = model('admintypes.Genre', { name: f.string({ max: 50 }) });
const Book = model('admintypes.Book', {
  title: f.string({ max: 100 }),
  inPrint: f.boolean({ default: true }),
  published: f.date({ nullable: true }),
  shelf: f.foreignKey(() => Shelf, { onDelete: 'cascade', relatedName: 'books' }),
  genres: f.manyToMany(() => Genre, { relatedName: 'books', blank: true }),
});
const Note = model('admintypes.Note', {
  book: f.foreignKey(() => Book, { onDelete: 'cascade' }),
  text: f.text(),
});

const site = adminSite();

site.register(Book, {
  listDisplay: [
    'title',
    'shelf',
    'shelf.name',
    (book) => book.title.length,
    {
      label: 'Long title',
      value: (book) => {
        expectTrue<Equal<typeof book.title, string>>();
        return book.title.length > 20;
      },
      boolean: true,
      orderBy: '-title',
    },
  ],
  listFilter: ['inPrint', 'published', 'shelf'],
  searchFields: ['title', 'shelf.name'],
  ordering: ['-published', 'title'],
  readonlyFields: ['published'],
  fieldsets: [
    { title: 'Book', fields: ['title', 'shelf'] },
    { fields: ['inPrint'], collapsed: true },
  ],
  inlines: [inline(Note, { fields: ['text'], extra: 1 })],
  autocompleteFields: ['shelf', 'genres'],
  actions: [
    async function reprint(_req, books) {
      expectTrue<Equal<typeof books, QuerySet<typeof Book>>>();
      await books.update({ inPrint: true });
    },
    {
      name: 'archive',
      label: 'Archive',
      permission: 'delete',
      run: (_req, books) => books.delete().then(() => undefined),
    },
  ],
});

site.register(Shelf, {
  // @ts-expect-error not a field of Shelf
  listDisplay: ['title'],
});
site.register(Shelf, {
  // @ts-expect-error not a field of Shelf
  searchFields: ['nmae'],
});
site.register(Book, {
  // @ts-expect-error not a field of Book
  listFilter: ['isPrinted'],
});
site.register(Book, {
  // @ts-expect-error one hop through a foreign key, to a field that does not exist
  listDisplay: ['shelf.title'],
});
site.register(Book, {
  // @ts-expect-error ordering names fields
  ordering: ['-pages'],
});
site.register(Book, {
  // @ts-expect-error fieldsets name editable fields
  fieldsets: [{ fields: ['subtitle'] }],
});
site.register(Book, {
  // @ts-expect-error autocomplete is for foreign keys and many-to-many fields
  autocompleteFields: ['title'],
});
site.register(Shelf, {
  // @ts-expect-error a reverse relation is not a field of the form
  autocompleteFields: ['books'],
});
// @ts-expect-error an inline's fields are the child's
inline(Note, { fields: ['title'] });
