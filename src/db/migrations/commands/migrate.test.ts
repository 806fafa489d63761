import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { forEachDatabase } from '../../../../test/support/databases.js';
import { defineApp } from '../../../index.js';
import type { Database } from '../../connection/index.js';
import { migrationFile } from '../../test-support/migration-files.js';
import { scratchFolder } from '../../test-support/migration-folders.js';
import { MigrationRecorder } from '../recorder.js';
import { migrate } from './migrate.js';
import { showmigrations } from './showmigrations.js';
import { sqlmigrate } from './sqlmigrate.js';

const scratch = scratchFolder();
after(() => scratch.remove());

/** An app named `label` whose migrations folder holds `files` (name → source). */
function appWith(label: string, files: Record<string, string>) {
  const folder = `${scratch.path}/${label}-${Math.random().toString(36).slice(2, 8)}`;
  for (const [name, source] of Object.entries(files))
    scratch.write(`${folder.slice(scratch.path.length + 1)}/${name}.ts`, source);
  return defineApp({ name: `project.${label}`, migrations: folder });
}

function quiet(lines: string[] = []) {
  return (line: string) => {
    lines.push(line);
  };
}

async function rows(db: Database, sql: string): Promise<unknown[]> {
  // Numbers come back as numbers on every dialect; normalise bigint-like strings just in case.
  return (await db.raw(sql)).map((row) => ({ ...row }));
}

async function recorded(db: Database, app: string): Promise<string[]> {
  return [...(await new MigrationRecorder(db).applied())]
    .filter((key) => key.startsWith(`${app}.`))
    .map((key) => key.slice(app.length + 1))
    .sort();
}

// A model evolving through every kind of change, each step its own migration.
const roundTrip = {
  '0001_initial': migrationFile(
    [],
    [
      "op.createModel('rt.Product', { table: 'rt_product', fields: { name: f.string({ max: 50 }) } })",
    ],
    'initial: true,\n  ',
  ),
  '0002_product_price': migrationFile(
    [['rt', '0001_initial']],
    ["op.addField('rt.Product', 'price', f.integer(), { fill: 7 })"],
  ),
  '0003_alter_product_name': migrationFile(
    [['rt', '0002_product_price']],
    ["op.alterField('rt.Product', 'name', f.string({ max: 200, index: true }))"],
  ),
  '0004_rename_name_product_title': migrationFile(
    [['rt', '0003_alter_product_name']],
    ["op.renameField('rt.Product', 'name', 'title')"],
  ),
  '0005_rename_product_item': migrationFile(
    [['rt', '0004_rename_name_product_title']],
    ["op.renameModel('rt.Product', 'rt.Item', { table: 'rt_item' })"],
  ),
  '0006_item_constraints': migrationFile(
    [['rt', '0005_rename_product_item']],
    [
      "op.addIndex('rt.Item', { name: 'rt_item_price_title_idx', fields: ['price', '-title'] })",
      "op.addConstraint('rt.Item', { name: 'rt_item_price_gte_0', check: { price: { gte: 0 } } })",
      "op.addConstraint('rt.Item', { name: 'rt_item_title_uniq', unique: ['title'] })",
    ],
  ),
  '0007_tag_review': migrationFile(
    [['rt', '0006_item_constraints']],
    [
      "op.createModel('rt.Tag', { table: 'rt_tag', fields: { label: f.string({ max: 30 }) } })",
      "op.addField('rt.Item', 'tags', f.manyToMany('rt.Tag'))",
      "op.createModel('rt.Review', { table: 'rt_review', fields: { item: f.foreignKey('rt.Item', { onDelete: 'cascade' }), stars: f.smallInteger() } })",
    ],
  ),
  '0008_item_category': migrationFile(
    [['rt', '0007_tag_review']],
    [
      "op.createModel('rt.Category', { table: 'rt_category', fields: { name: f.string({ max: 30 }) } })",
      "op.addField('rt.Item', 'category', f.foreignKey('rt.Category', { onDelete: 'setNull', nullable: true }))",
    ],
  ),
};

forEachDatabase('migrate', (ctx) => {
  it('applies a model evolving over eight migrations, keeps its rows through each step both ways, and goes to zero and back', async () => {
    const db = ctx.database;
    const apps = [appWith('rt', roundTrip)];
    const to = (target: string) => migrate({ apps, app: 'rt', target, output: quiet() });

    await to('0001');
    await db.raw("INSERT INTO rt_product (name) VALUES ('apple'), ('pear')");
    const fruit = (table: string, name: string) =>
      rows(db, `SELECT ${name} AS name, price FROM ${table} ORDER BY ${name}`);
    const expected = [
      { name: 'apple', price: 7 },
      { name: 'pear', price: 7 },
    ];

    await to('0002');
    assert.deepEqual(await fruit('rt_product', 'name'), expected);
    await to('0003');
    assert.deepEqual(await fruit('rt_product', 'name'), expected);
    await db.raw(`INSERT INTO rt_product (name, price) VALUES ('${'x'.repeat(120)}', 1)`);
    await db.raw('DELETE FROM rt_product WHERE price = 1');
    await to('0004');
    assert.deepEqual(await fruit('rt_product', 'title'), expected);
    await to('0005');
    assert.deepEqual(await fruit('rt_item', 'title'), expected);
    await to('0006');
    assert.deepEqual(await fruit('rt_item', 'title'), expected);
    await assert.rejects(db.raw("INSERT INTO rt_item (title, price) VALUES ('plum', -1)"));
    await assert.rejects(db.raw("INSERT INTO rt_item (title, price) VALUES ('apple', 3)"));
    await to('0007');
    assert.deepEqual(await fruit('rt_item', 'title'), expected);
    await db.raw("INSERT INTO rt_tag (label) VALUES ('red')");
    await db.raw(
      "INSERT INTO rt_review (item_id, stars) SELECT id, 5 FROM rt_item WHERE title = 'apple'",
    );
    await db.raw(
      'INSERT INTO rt_item_tags (item_id, tag_id) SELECT rt_item.id, rt_tag.id FROM rt_item, rt_tag',
    );
    const links = () =>
      rows(
        db,
        'SELECT title, label FROM rt_item_tags JOIN rt_item ON rt_item.id = item_id JOIN rt_tag ON rt_tag.id = tag_id ORDER BY title',
      );
    const linked = [
      { title: 'apple', label: 'red' },
      { title: 'pear', label: 'red' },
    ];
    // A foreign key column added to a table other tables point at (a rebuild on SQLite).
    await to('0008');
    assert.deepEqual(await fruit('rt_item', 'title'), expected);
    assert.deepEqual(await rows(db, 'SELECT stars FROM rt_review'), [{ stars: 5 }]);
    assert.deepEqual(await links(), linked);
    assert.deepEqual(await rows(db, 'SELECT category_id FROM rt_item'), [
      { category_id: null },
      { category_id: null },
    ]);

    // Backwards, one step at a time: every reverse keeps the rows the earlier shape can hold.
    await to('0007');
    assert.deepEqual(await rows(db, 'SELECT stars FROM rt_review'), [{ stars: 5 }]);
    assert.deepEqual(await links(), linked);
    await to('0006');
    await assert.rejects(db.raw('SELECT 1 FROM rt_item_tags'));
    await assert.rejects(db.raw('SELECT 1 FROM rt_review'));
    assert.deepEqual(await fruit('rt_item', 'title'), expected);
    await to('0005');
    await db.raw("INSERT INTO rt_item (title, price) VALUES ('plum', -1)");
    await db.raw("DELETE FROM rt_item WHERE title = 'plum'");
    await to('0004');
    assert.deepEqual(await fruit('rt_product', 'title'), expected);
    await to('0003');
    assert.deepEqual(await fruit('rt_product', 'name'), expected);
    await to('0002');
    assert.deepEqual(await fruit('rt_product', 'name'), expected);
    await to('0001');
    assert.deepEqual(await rows(db, 'SELECT name FROM rt_product ORDER BY name'), [
      { name: 'apple' },
      { name: 'pear' },
    ]);

    const lines: string[] = [];
    await migrate({ apps, app: 'rt', target: 'zero', output: quiet(lines) });
    assert.deepEqual(lines, ['  Unapplying rt.0001_initial... OK']);
    await assert.rejects(db.raw('SELECT 1 FROM rt_product'));
    assert.deepEqual(await recorded(db, 'rt'), []);

    const all = await migrate({ apps, output: quiet() });
    assert.equal(all.steps.length, 8);
    assert.deepEqual(await recorded(db, 'rt'), Object.keys(roundTrip));
    assert.deepEqual(await rows(db, 'SELECT title, price, category_id FROM rt_item'), []);

    // And all the way back down from the top in one run.
    const down = await migrate({ apps, app: 'rt', target: 'zero', output: quiet() });
    assert.deepEqual(
      down.steps.map((step) => step.migration),
      Object.keys(roundTrip)
        .reverse()
        .map((name) => `rt.${name}`),
    );
    for (const table of ['rt_item', 'rt_tag', 'rt_review', 'rt_category']) {
      await assert.rejects(db.raw(`SELECT 1 FROM ${table}`));
    }
  });

  it('prints the plan without running it, and fakes what it is told to', async () => {
    const db = ctx.database;
    const apps = [
      appWith('fk', {
        '0001_initial': migrationFile(
          [],
          ["op.createModel('fk.Box', { table: 'fk_box', fields: { size: f.integer() } })"],
        ),
        '0002_data': migrationFile(
          [['fk', '0001_initial']],
          ["op.runSql({ forward: 'UPDATE fk_box SET size = 1', reverse: [] })"],
        ),
      }),
    ];
    const lines: string[] = [];
    const planned = await migrate({ apps, plan: true, output: quiet(lines) });
    assert.deepEqual(lines, [
      'Planned operations:',
      'fk.0001_initial',
      '    Create model fk.Box',
      'fk.0002_data',
      '    Raw SQL: UPDATE fk_box SET size = 1',
    ]);
    assert.deepEqual(
      planned.steps.map((step) => step.outcome),
      [undefined, undefined],
    );
    assert.deepEqual(await recorded(db, 'fk'), []);

    const faked = await migrate({ apps, fake: true, output: quiet() });
    assert.deepEqual(
      faked.steps.map((step) => step.outcome),
      ['faked', 'faked'],
    );
    assert.deepEqual(await recorded(db, 'fk'), ['0001_initial', '0002_data']);
    await assert.rejects(db.raw('SELECT 1 FROM fk_box'));

    const back: string[] = [];
    await migrate({ apps, app: 'fk', target: 'zero', plan: true, output: quiet(back) });
    assert.deepEqual(back.slice(1), [
      'fk.0002_data (unapply)',
      '    Undo Raw SQL: UPDATE fk_box SET size = 1',
      'fk.0001_initial (unapply)',
      '    Undo Create model fk.Box',
    ]);
    await migrate({ apps, app: 'fk', target: 'zero', fake: true, output: quiet() });
    assert.deepEqual(await recorded(db, 'fk'), []);
  });

  it('refuses to go back past an irreversible step, changing nothing', async () => {
    const db = ctx.database;
    const apps = [
      appWith('irr', {
        '0001_initial': migrationFile(
          [],
          ["op.createModel('irr.Note', { table: 'irr_note', fields: { body: f.text() } })"],
        ),
        '0002_seed': migrationFile(
          [['irr', '0001_initial']],
          ['op.runSql({ forward: "INSERT INTO irr_note (body) VALUES (\'hi\')" })'],
        ),
      }),
    ];
    await migrate({ apps, output: quiet() });
    await assert.rejects(migrate({ apps, app: 'irr', target: 'zero', output: quiet() }), {
      code: 'CARAFE_MIGRATION_IRREVERSIBLE',
      message: /irr\.0002_seed cannot be unapplied: "Raw SQL: INSERT INTO irr_note/,
    });
    assert.deepEqual(await recorded(db, 'irr'), ['0001_initial', '0002_seed']);
    assert.deepEqual(await rows(db, 'SELECT body FROM irr_note'), [{ body: 'hi' }]);
  });

  it('refuses to run when an app has two latest migrations', async () => {
    const apps = [
      appWith('split', {
        '0001_initial': migrationFile([], []),
        '0002_left': migrationFile([['split', '0001_initial']], []),
        '0002_right': migrationFile([['split', '0001_initial']], []),
      }),
    ];
    await assert.rejects(migrate({ apps, output: quiet() }), {
      code: 'CARAFE_MIGRATION_CONFLICT',
      message: /split: 0002_left, 0002_right[\s\S]*merge: true \(--merge\)/,
    });
  });

  it('rolls a failing migration back entirely where DDL is transactional, and resumes it on MariaDB', async () => {
    const db = ctx.database;
    const failing = migrationFile(
      [['bad', '0001_initial']],
      [
        "op.createModel('bad.Second', { table: 'bad_second', fields: { n: f.integer() } })",
        "op.runSql({ forward: 'THIS IS NOT SQL', reverse: [] })",
      ],
    );
    const app = appWith('bad', {
      '0001_initial': migrationFile(
        [],
        ["op.createModel('bad.First', { table: 'bad_first', fields: { n: f.integer() } })"],
      ),
      '0002_second': failing,
    });
    const apps = [app];
    const lines: string[] = [];
    await assert.rejects(migrate({ apps, output: quiet(lines) }));
    assert.deepEqual(lines, ['  Applying bad.0001_initial... OK']);
    assert.deepEqual(await recorded(db, 'bad'), ['0001_initial']);
    const shown = await showmigrations({ apps, output: quiet() });
    const second = shown.apps[0]?.migrations[1];
    if (ctx.dialect === 'mysql') {
      // CREATE TABLE committed on its own; the progress table says so.
      await db.raw('SELECT 1 FROM bad_second');
      assert.deepEqual(second, {
        name: '0002_second',
        applied: false,
        partial: { done: 1, of: 2 },
        replaces: 0,
      });
    } else {
      await assert.rejects(db.raw('SELECT 1 FROM bad_second'));
      assert.deepEqual(second, {
        name: '0002_second',
        applied: false,
        partial: undefined,
        replaces: 0,
      });
    }

    // Fixed: the same migration with valid SQL. On MariaDB the table exists, so running the
    // first operation again would fail; the run resumes after it instead.
    scratch.write(
      `${String(app.migrations).slice(scratch.path.length + 1)}/0002_second.ts`,
      failing.replace('THIS IS NOT SQL', 'UPDATE bad_second SET n = 1'),
    );
    const fixed = await migrate({ apps, output: quiet() });
    assert.deepEqual(
      fixed.steps.map((step) => step.outcome),
      ['applied'],
    );
    assert.deepEqual(await recorded(db, 'bad'), ['0001_initial', '0002_second']);
    assert.deepEqual(
      (await new MigrationRecorder(db).unfinished()).filter((entry) => entry.app === 'bad'),
      [],
    );
    await db.raw('SELECT 1 FROM bad_second');
  });

  it('runs data migrations with historical models, inside the migration', async () => {
    const db = ctx.database;
    const fill = `op.runCode(
      async function fillSlugs({ models }) {
        const Question = models.get('dm.Question');
        for await (const question of Question.objects.filter({ slug: '' }).iterate()) {
          question.slug = String(question.text).toLowerCase().replace(/\\W+/g, '-');
          await question.save();
        }
      },
      async function clearSlugs({ models }) {
        await models.get('dm.Question').objects.all().update({ slug: '' });
      },
    )`;
    const apps = [
      appWith('dm', {
        '0001_initial': migrationFile(
          [],
          [
            "op.createModel('dm.Question', { table: 'dm_question', fields: { text: f.string({ max: 50 }) } })",
          ],
        ),
        '0002_question_slug': migrationFile(
          [['dm', '0001_initial']],
          ["op.addField('dm.Question', 'slug', f.string({ max: 50 }), { fill: '' })", fill],
        ),
      }),
    ];
    await migrate({ apps, app: 'dm', target: '0001', output: quiet() });
    await db.raw("INSERT INTO dm_question (text) VALUES ('Hello World'), ('Why not')");
    const lines: string[] = [];
    await migrate({ apps, plan: true, output: quiet(lines) });
    assert.ok(lines.includes('    Run code fillSlugs'), lines.join('\n'));
    await migrate({ apps, output: quiet() });
    assert.deepEqual(await rows(db, 'SELECT slug FROM dm_question ORDER BY slug'), [
      { slug: 'hello-world' },
      { slug: 'why-not' },
    ]);
    await migrate({ apps, app: 'dm', target: '0001', output: quiet() });
    assert.deepEqual(await rows(db, 'SELECT text FROM dm_question ORDER BY text'), [
      { text: 'Hello World' },
      { text: 'Why not' },
    ]);
  });

  it('lists migrations with showmigrations', async () => {
    const apps = [
      appWith('shown', {
        '0001_initial': migrationFile([], []),
        '0002_more': migrationFile([['shown', '0001_initial']], []),
      }),
      defineApp({ name: 'empty', models: [] }),
    ];
    await migrate({ apps, app: 'shown', target: '0001', output: quiet() });
    const lines: string[] = [];
    const result = await showmigrations({ apps, output: quiet(lines) });
    assert.deepEqual(lines, [
      'shown',
      ' [X] 0001_initial',
      ' [ ] 0002_more',
      'empty',
      ' (no migrations)',
    ]);
    assert.equal(result.exitCode, 0);
  });

  it('prints the SQL of a migration for the dialect with sqlmigrate', async () => {
    const apps = [
      appWith('sqlm', {
        '0001_initial': migrationFile(
          [],
          [
            "op.createModel('sqlm.Entry', { table: 'sqlm_entry', fields: { title: f.string({ max: 80 }) } })",
          ],
        ),
      }),
    ];
    const lines: string[] = [];
    const forwards = await sqlmigrate({ apps, app: 'sqlm', name: '0001', output: quiet(lines) });
    const quoted = ctx.dialect === 'mysql' ? '`sqlm_entry`' : '"sqlm_entry"';
    const create =
      forwards.statements.find((statement) => statement.startsWith('CREATE TABLE')) ?? '';
    assert.ok(create.startsWith(`CREATE TABLE ${quoted}`), create);
    assert.match(
      create,
      ctx.dialect === 'postgres'
        ? /GENERATED BY DEFAULT AS IDENTITY/
        : ctx.dialect === 'mysql'
          ? /AUTO_INCREMENT/
          : /AUTOINCREMENT/,
    );
    assert.equal(lines[0], ctx.dialect === 'mysql' ? '-- Create model sqlm.Entry' : 'BEGIN;');
    const backwards = await sqlmigrate({
      apps,
      app: 'sqlm',
      name: '0001_initial',
      backwards: true,
      output: quiet(),
    });
    assert.ok(
      backwards.statements.some((statement) => statement.startsWith(`DROP TABLE ${quoted}`)),
    );
    // Nothing ran.
    await assert.rejects(ctx.database.raw('SELECT 1 FROM sqlm_entry'));
  });
});
