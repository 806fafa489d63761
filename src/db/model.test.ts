import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../index.js';
import { allModels, f, getModel, model } from './index.js';

function fails(code: string, pattern: RegExp, fn: () => unknown): void {
  assert.throws(
    fn,
    (error: unknown) =>
      error instanceof CarafeError && error.code === code && pattern.test(error.message),
  );
}

const Author = model('library.Author', {
  fullName: f.string({ max: 100, label: 'full name', helpText: 'As printed' }),
  email: f.email({ unique: true, nullable: true }),
});

const Book = model(
  'library.Book',
  {
    isbn: f.string({ max: 13, primaryKey: true }),
    author: f.foreignKey(() => Author, { onDelete: 'protect', relatedName: 'books' }),
    title: f.string({ max: 200, index: true }),
    pages: f.integer({ min: 1 }),
  },
  {
    table: 'books',
    ordering: ['title'],
    uniqueTogether: [['author', 'title']],
    verboseName: 'book',
    constraints: [{ name: 'pages_positive', check: { pages: { gte: 1 } } }],
  },
);

describe('model definitions', () => {
  it('names tables app_model_name and adds an id primary key', () => {
    assert.equal(Author.meta.table, 'library_author');
    assert.equal(Author.meta.pk.name, 'id');
    assert.equal(Author.meta.pk.kind, 'bigAuto');
    assert.deepEqual(
      Author.meta.fields.map((field) => [field.name, field.kind, field.column]),
      [
        ['id', 'bigAuto', 'id'],
        ['fullName', 'string', 'full_name'],
        ['email', 'email', 'email'],
      ],
    );
    assert.equal(Author.meta.verboseName, 'author');
    assert.equal(Author.meta.verboseNamePlural, 'authors');
  });

  it('keeps field metadata readable for forms, admin and migrations', () => {
    const fullName = Author.meta.fieldByName.get('fullName')!;
    assert.equal(fullName.label, 'full name');
    assert.equal(fullName.helpText, 'As printed');
    assert.equal(fullName.maxLength, 100);
    assert.equal(fullName.nullable, false);
    const email = Author.meta.fieldByName.get('email')!;
    assert.equal(email.unique, true);
    assert.equal(email.blank, true, 'nullable fields may be blank in forms');
    assert.equal(email.maxLength, 254);
  });

  it('uses a declared primary key and foreign key columns', () => {
    assert.equal(Book.meta.table, 'books');
    assert.equal(Book.meta.pk.name, 'isbn');
    assert.equal(
      Book.meta.fields.some((field) => field.name === 'id'),
      false,
    );
    const author = Book.meta.fieldByName.get('author')!;
    assert.equal(author.attname, 'authorId');
    assert.equal(author.column, 'author_id');
    assert.equal(Book.meta.fieldByName.get('authorId'), author);
  });

  it('registers models by label', () => {
    assert.equal(getModel('library.Book'), Book);
    assert.equal(getModel('library.Nope'), undefined);
    assert.ok(allModels().includes(Author));
  });

  it('shows instances with display or a default', () => {
    const Named = model(
      'library.Named',
      { name: f.string({ max: 5 }) },
      { display: (row) => `<${row.name}>` },
    );
    assert.equal(String(new Named({ name: 'x' })), '<x>');
    assert.equal(String(new Author({ fullName: 'A' })), 'Author object (unsaved)');
  });

  it('rejects bad definitions with the fix in the message', () => {
    fails('CARAFE_DB_MODEL_DEFINITION', /'app\.ModelName'/, () => model('nodot' as never, {}));
    fails('CARAFE_DB_DUPLICATE_MODEL', /library\.Author/, () => model('library.Author', {}));
    fails('CARAFE_DB_MODEL_DEFINITION', /reserved/, () =>
      model('library.R1', { save: f.integer() }),
    );
    fails('CARAFE_DB_MODEL_DEFINITION', /primaryKey: true/, () =>
      model('library.R2', { id: f.integer() }),
    );
    fails('CARAFE_DB_MODEL_DEFINITION', /only one/, () =>
      model('library.R3', {
        a: f.integer({ primaryKey: true }),
        b: f.integer({ primaryKey: true }),
      }),
    );
    fails('CARAFE_DB_MODEL_DEFINITION', /clashes/, () =>
      model('library.R4', {
        owner: f.foreignKey(() => Author, { onDelete: 'cascade' }),
        ownerId: f.integer(),
      }),
    );
    fails('CARAFE_DB_MODEL_DEFINITION', /no "__"/, () =>
      model('library.R5', { a__b: f.integer() }),
    );
    fails('CARAFE_DB_UNKNOWN_FIELD', /"nope".*ordering.*"title"/s, () =>
      model('library.R6', { title: f.string({ max: 5 }) }, { ordering: ['-nope' as never] }),
    );
  });

  it('rejects bad field options', () => {
    fails('CARAFE_DB_FIELD_OPTIONS', /max/, () => f.string({} as never));
    fails('CARAFE_DB_FIELD_OPTIONS', /decimalPlaces/, () =>
      f.decimal({ maxDigits: 4, decimalPlaces: 5 }),
    );
    fails('CARAFE_DB_FIELD_OPTIONS', /setNull.*nullable/, () =>
      f.foreignKey(() => Author, { onDelete: 'setNull' }),
    );
    fails('CARAFE_DB_FIELD_OPTIONS', /onDelete/, () =>
      f.foreignKey(() => Author, { onDelete: 'explode' as never }),
    );
    fails('CARAFE_DB_FIELD_OPTIONS', /nullable/, () =>
      f.integer({ primaryKey: true, nullable: true }),
    );
  });

  it('runs field validators without a database', async () => {
    const errors = await new Book({ isbn: '1', author: 1, title: 'T', pages: 0 }).errors({
      unique: false,
    });
    assert.deepEqual(errors, { pages: ['Ensure this value is greater than or equal to 1.'] });
  });
});
