import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { forEachDatabase } from '../../../../test/support/databases.js';
import { defineApp } from '../../../index.js';
import { f, model } from '../../index.js';
import { migrationFile } from '../../test-support/migration-files.js';
import { scratchFolder } from '../../test-support/migration-folders.js';
import { makemigrations } from './makemigrations.js';
import { migrate } from './migrate.js';

const Author = model('mka.Author', { name: f.string({ max: 100 }) });
const Book = model(
  'mka.Book',
  {
    author: f.foreignKey(() => Author, { onDelete: 'cascade', relatedName: 'books' }),
    title: f.string({ max: 200 }),
    pages: f.integer(),
    published: f.date({ nullable: true }),
  },
  { indexes: [{ fields: ['title'], name: 'mka_book_title_idx' }] },
);
const Review = model('mkb.Review', {
  book: f.foreignKey(() => Book, { onDelete: 'cascade', relatedName: 'reviews' }),
  stars: f.smallInteger({ default: 3 }),
});

const scratch = scratchFolder();
after(() => scratch.remove());

let counter = 0;
/** A fresh folder, optionally holding `files` (name → source). */
function folder(files: Record<string, string> = {}): string {
  const name = `m${++counter}`;
  for (const [file, source] of Object.entries(files)) scratch.write(`${name}/${file}.ts`, source);
  return join(scratch.path, name);
}

const appA = (migrations: string) => defineApp({ name: 'mka', models: [Author, Book], migrations });
const appB = (migrations: string) => defineApp({ name: 'site.mkb', models: [Review], migrations });

function quiet(lines: string[] = []) {
  return (line: string) => {
    lines.push(line);
  };
}

const files = (path: string) => (existsSync(path) ? readdirSync(path).sort() : []);

let initialWritten: Promise<string> | undefined;
/** What makemigrations writes for mka from nothing: the base the variants below edit. */
function initialSource(): Promise<string> {
  initialWritten ??= (async () => {
    const path = folder();
    await makemigrations({ apps: [appA(path)], output: quiet() });
    return readFileSync(join(path, '0001_initial.ts'), 'utf8');
  })();
  return initialWritten;
}

describe('makemigrations', () => {
  let initial = '';
  before(async () => {
    initial = await initialSource();
  });

  it('writes the initial migrations of several apps, the dependent one depending on the other', async () => {
    const [a, b] = [folder(), folder()];
    const lines: string[] = [];
    const result = await makemigrations({ apps: [appA(a), appB(b)], output: quiet(lines) });
    assert.equal(result.exitCode, 0);
    assert.deepEqual(files(a), ['0001_initial.ts']);
    assert.deepEqual(files(b), ['0001_initial.ts']);
    const review = readFileSync(join(b, '0001_initial.ts'), 'utf8');
    assert.match(review, /initial: true,\n {2}dependencies: \[\['mka', '0001_initial'\]\],/);
    assert.match(
      review,
      /book: f\.foreignKey\('mka\.Book', \{ onDelete: 'cascade', relatedName: 'reviews' \}\)/,
    );
    assert.ok(lines.includes("Migrations for 'mka':"));
    assert.ok(lines.includes('    - Create model mkb.Review'));

    const again: string[] = [];
    assert.equal(
      (await makemigrations({ apps: [appA(a), appB(b)], output: quiet(again) })).exitCode,
      0,
    );
    assert.deepEqual(again, ['No changes detected.']);
    assert.deepEqual(files(a), ['0001_initial.ts']);
  });

  it('with check, exits 1 listing the unmigrated changes and writes nothing', async () => {
    const path = folder({
      '0001_initial': initial.replace(/\n\s*published: f\.date\(\{ nullable: true \}\),/, ''),
    });
    const lines: string[] = [];
    const result = await makemigrations({ apps: [appA(path)], check: true, output: quiet(lines) });
    assert.equal(result.exitCode, 1);
    assert.ok(lines.includes('    - Add field published to mka.Book'), lines.join('\n'));
    assert.deepEqual(files(path), ['0001_initial.ts']);
    assert.equal(
      (
        await makemigrations({
          apps: [appA(folder({ '0001_initial': initial }))],
          check: true,
          output: quiet(),
        })
      ).exitCode,
      0,
    );
  });

  it('with check, exits 1 too when the change needs an answer first', async () => {
    const path = folder({ '0001_initial': initial.replace(/\n\s*pages: f\.integer\(\),/, '') });
    const lines: string[] = [];
    const result = await makemigrations({ apps: [appA(path)], check: true, output: quiet(lines) });
    assert.equal(result.exitCode, 1);
    assert.match(lines.join('\n'), /--default mka\.Book\.pages=<value>/);
  });

  it('needs a one-off default for a new non-null field, and takes it from defaults', async () => {
    const path = folder({ '0001_initial': initial.replace(/\n\s*pages: f\.integer\(\),/, '') });
    await assert.rejects(makemigrations({ apps: [appA(path)], output: quiet() }), {
      code: 'CARAFE_MIGRATION_NEEDS_DEFAULT',
      message: /Pass --default mka\.Book\.pages=<value>/,
    });
    assert.deepEqual(files(path), ['0001_initial.ts']);
    const result = await makemigrations({
      apps: [appA(path)],
      defaults: { 'mka.Book.pages': '0' },
      output: quiet(),
    });
    assert.deepEqual(
      result.migrations.map((migration) => migration.name),
      ['0002_book_pages'],
    );
    assert.match(
      readFileSync(join(path, '0002_book_pages.ts'), 'utf8'),
      /op\.addField\('mka\.Book', 'pages', f\.integer\(\), \{ fill: 0 \}\)/,
    );
    assert.match(
      readFileSync(join(path, '0002_book_pages.ts'), 'utf8'),
      /dependencies: \[\['mka', '0001_initial'\]\]/,
    );
  });

  it('never guesses a rename: fails naming the flag, and renames when told', async () => {
    const old = initial
      .replaceAll('title', 'heading')
      .replace("name: 'mka_book_heading_idx'", "name: 'mka_book_title_idx'");
    const path = folder({ '0001_initial': old });
    await assert.rejects(makemigrations({ apps: [appA(path)], output: quiet() }), {
      code: 'CARAFE_MIGRATION_RENAME_AMBIGUOUS',
      message: /--rename mka\.Book\.heading=title/,
    });
    const lines: string[] = [];
    await makemigrations({
      apps: [appA(path)],
      renames: ['mka.Book.heading=title'],
      output: quiet(lines),
    });
    assert.ok(lines.includes('    - Rename field heading on mka.Book to title'), lines.join('\n'));
    const [, written] = files(path);
    assert.match(
      readFileSync(join(path, written!), 'utf8'),
      /op\.renameField\('mka\.Book', 'heading', 'title'\)/,
    );
  });

  it('asks about a rename at the terminal when interactive', async () => {
    const old = initial
      .replaceAll('title', 'heading')
      .replace("name: 'mka_book_heading_idx'", "name: 'mka_book_title_idx'");
    const path = folder({ '0001_initial': old });
    const input = new PassThrough();
    const output = new PassThrough();
    let asked = '';
    output.on('data', (chunk: Buffer) => (asked += chunk.toString()));
    input.end('y\n');
    await makemigrations({
      apps: [appA(path)],
      interactive: true,
      terminal: { input, output },
      output: quiet(),
    });
    assert.match(asked, /Did you rename mka\.Book\.heading to title/);
    const [, written] = files(path);
    assert.match(
      readFileSync(join(path, written!), 'utf8'),
      /op\.renameField\('mka\.Book', 'heading', 'title'\)/,
    );
  });

  it('prints instead of writing with dryRun, and takes a name', async () => {
    const path = folder({
      '0001_initial': initial.replace(/\n\s*published: f\.date\(\{ nullable: true \}\),/, ''),
    });
    const lines: string[] = [];
    const result = await makemigrations({
      apps: [appA(path)],
      dryRun: true,
      name: 'add_published',
      output: quiet(lines),
    });
    assert.equal(result.migrations[0]?.name, '0002_add_published');
    assert.ok(
      lines.includes("    op.addField('mka.Book', 'published', f.date({ nullable: true })),"),
      lines.join('\n'),
    );
    assert.deepEqual(files(path), ['0001_initial.ts']);
    await assert.rejects(
      makemigrations({ apps: [appA(path)], name: 'no spaces', output: quiet() }),
      {
        code: 'CARAFE_MIGRATION_NAME',
      },
    );
  });

  it('writes an empty migration with a data-migration example to fill in', async () => {
    const path = folder({ '0001_initial': initial });
    const result = await makemigrations({
      apps: [appA(path)],
      empty: true,
      appLabels: ['mka'],
      name: 'fill_titles',
      output: quiet(),
    });
    const source = readFileSync(join(path, '0002_fill_titles.ts'), 'utf8');
    assert.equal(result.migrations[0]?.file, join(path, '0002_fill_titles.ts'));
    assert.match(source, /import \{ migration, op \} from 'carafe\/db\/migrations';/);
    assert.match(
      source,
      /dependencies: \[\['mka', '0001_initial'\]\],\n {2}operations: \[\n {4}\/\/ A data migration/,
    );
    assert.match(source, /\/\/ op\.runCode\(/);
    // It loads: a later run sees it as the latest migration.
    const next = await makemigrations({
      apps: [appA(path)],
      empty: true,
      appLabels: ['mka'],
      output: quiet(),
    });
    assert.match(readFileSync(next.migrations[0]!.file, 'utf8'), /\['mka', '0002_fill_titles'\]/);
  });

  it('merges two latest migrations with merge, and refuses to write more until then', async () => {
    const path = folder({
      '0001_initial': initial,
      '0002_left': migrationFile([['mka', '0001_initial']], []),
      '0002_right': migrationFile([['mka', '0001_initial']], []),
    });
    await assert.rejects(makemigrations({ apps: [appA(path)], output: quiet() }), {
      code: 'CARAFE_MIGRATION_CONFLICT',
      message: /mka: 0002_left, 0002_right/,
    });
    const result = await makemigrations({ apps: [appA(path)], merge: true, output: quiet() });
    assert.deepEqual(
      result.migrations.map((migration) => migration.name),
      ['0003_merge_0002_left_0002_right'],
    );
    const source = readFileSync(join(path, '0003_merge_0002_left_0002_right.ts'), 'utf8');
    assert.match(
      source,
      /dependencies: \[\s*\['mka', '0002_left'\],\s*\['mka', '0002_right'\],?\s*\],\n {2}operations: \[\],/,
    );
    const after: string[] = [];
    await makemigrations({ apps: [appA(path)], merge: true, output: quiet(after) });
    assert.deepEqual(after, ['No conflicts detected to merge.']);
    assert.equal(
      (await makemigrations({ apps: [appA(path)], check: true, output: quiet() })).exitCode,
      0,
    );
  });

  it('limits itself to the apps asked for, plus those they need', async () => {
    const [a, b] = [folder(), folder()];
    await makemigrations({ apps: [appA(a), appB(b)], appLabels: ['mka'], output: quiet() });
    assert.deepEqual(files(a), ['0001_initial.ts']);
    assert.deepEqual(files(b), []);
    await assert.rejects(
      makemigrations({ apps: [appA(a)], appLabels: ['nope'], output: quiet() }),
      {
        code: 'CARAFE_MIGRATION_UNKNOWN_APP',
      },
    );
  });
});

forEachDatabase('makemigrations then migrate', (ctx) => {
  it('writes migrations the live models can use at once', async () => {
    const [a, b] = [folder(), folder()];
    const apps = [appA(a), appB(b)];
    await makemigrations({ apps, output: quiet() });
    const lines: string[] = [];
    const applied = await migrate({ apps, output: quiet(lines) });
    assert.ok(!lines.some((line) => line.includes('run makemigrations')), lines.join('\n'));
    assert.deepEqual(
      applied.steps.map((step) => step.migration),
      ['mka.0001_initial', 'mkb.0001_initial'],
    );
    const author = await Author.objects.create({ name: 'Le Guin' });
    const book = await Book.objects.create({ author, title: 'The Dispossessed', pages: 387 });
    await Review.objects.create({ book, stars: 5 });
    assert.equal(await Review.objects.filter({ book: { author: { name: 'Le Guin' } } }).count(), 1);
    assert.equal((await makemigrations({ apps, check: true, output: quiet() })).exitCode, 0);
    await migrate({ apps, app: 'mka', target: 'zero', output: quiet() });
    await assert.rejects(ctx.database.raw('SELECT 1 FROM mkb_review'));
  });

  it('reminds after migrating that the models have changes no migration makes', async () => {
    const initial = await initialSource();
    const path = folder({
      '0001_initial': initial.replace(/\n\s*published: f\.date\(\{ nullable: true \}\),/, ''),
    });
    const apps = [appA(path)];
    const lines: string[] = [];
    await migrate({ apps, output: quiet(lines) });
    assert.equal(
      lines.at(-1),
      'Your models have changes that no migration makes yet: run makemigrations, then migrate again.',
    );
    await migrate({ apps, app: 'mka', target: 'zero', output: quiet() });
  });
});
