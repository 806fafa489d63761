import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { forEachDatabase } from '../../../../test/support/databases.js';
import { defineApp } from '../../../index.js';
import { f } from '../../index.js';
import { migrationFile } from '../../test-support/migration-files.js';
import { scratchFolder } from '../../test-support/migration-folders.js';
import { op } from '../operations/index.js';
import { migrate } from './migrate.js';
import { showmigrations } from './showmigrations.js';
import { foldOperations, squashmigrations } from './squashmigrations.js';

const scratch = scratchFolder();
after(() => scratch.remove());

const quiet = () => () => {};

const history = {
  '0001_initial': migrationFile(
    [],
    ["op.createModel('sq.Thing', { table: 'sq_thing', fields: { name: f.string({ max: 40 }) } })"],
    'initial: true,\n  ',
  ),
  '0002_thing_size': migrationFile(
    [['sq', '0001_initial']],
    ["op.addField('sq.Thing', 'size', f.integer({ nullable: true }))"],
  ),
  '0003_thing_colour': migrationFile(
    [['sq', '0002_thing_size']],
    ["op.addField('sq.Thing', 'colour', f.string({ max: 10 }), { fill: 'grey' })"],
  ),
  '0004_seed': migrationFile(
    [['sq', '0003_thing_colour']],
    [
      "op.runSql({ forward: \"INSERT INTO sq_thing (name, colour) VALUES ('seed', 'red')\", reverse: \"DELETE FROM sq_thing WHERE name = 'seed'\" })",
    ],
  ),
};

function app(name: string, files: Record<string, string>) {
  for (const [file, source] of Object.entries(files)) scratch.write(`${name}/${file}.ts`, source);
  return defineApp({ name: `project.${name.split('-')[0]}`, migrations: join(scratch.path, name) });
}

describe('foldOperations', () => {
  it('folds added fields into the model creation before them', () => {
    const folded = foldOperations([
      op.createModel('x.A', { table: 'x_a', fields: { name: f.string({ max: 5 }) } }),
      op.createModel('x.B', { table: 'x_b', fields: {} }),
      op.addField('x.A', 'size', f.integer(), { fill: 1 }),
      op.addField('x.A', 'b', f.foreignKey('x.B', { onDelete: 'cascade' })),
      op.addField('x.B', 'a', f.foreignKey('x.A', { onDelete: 'cascade' })),
    ]);
    assert.deepEqual(
      folded.map((operation) => operation.describe()),
      ['Create model x.A', 'Create model x.B', 'Add field b to x.A'],
    );
    const [first, second] = folded.map((operation) => operation.toCall());
    assert.deepEqual(Object.keys((first!.args[1] as { fields: object }).fields), [
      'id',
      'name',
      'size',
    ]);
    // x.B's key to x.A folds into x.B; x.A's key to x.B stays after x.B exists.
    assert.deepEqual(Object.keys((second!.args[1] as { fields: object }).fields), ['id', 'a']);
  });

  it('folds nothing across raw SQL', () => {
    const folded = foldOperations([
      op.createModel('x.A', { table: 'x_a', fields: {} }),
      op.runSql({ forward: 'INSERT INTO x_a DEFAULT VALUES' }),
      op.addField('x.A', 'size', f.integer(), { fill: 1 }),
    ]);
    assert.equal(folded.length, 3);
  });
});

forEachDatabase('squashmigrations', (ctx) => {
  it('replaces a run of migrations on new databases, and leaves half-way ones on the originals', async () => {
    const db = ctx.database;
    const apps = [app(`sq-${ctx.dialect}`, history)];
    // This database is half-way through what will be squashed.
    await migrate({ apps, app: 'sq', target: '0002', output: quiet() });

    const result = await squashmigrations({ apps, app: 'sq', upTo: '0003', output: quiet() });
    assert.equal(
      result.file,
      join(scratch.path, `sq-${ctx.dialect}`, '0001_initial_squashed_0003_thing_colour.ts'),
    );
    const source = readFileSync(result.file, 'utf8');
    assert.match(
      source,
      /replaces: \[\s*\['sq', '0001_initial'\],\s*\['sq', '0002_thing_size'\],\s*\['sq', '0003_thing_colour'\],?\s*\]/,
    );
    assert.match(source, /colour: f\.string\(\{ max: 10 \}\)/);
    assert.doesNotMatch(source, /addField/);

    // The half-way database finishes on the original files.
    const finish = await migrate({ apps, output: quiet() });
    assert.deepEqual(
      finish.steps.map((step) => step.migration),
      ['sq.0003_thing_colour', 'sq.0004_seed'],
    );
    const shown = await showmigrations({ apps, output: quiet() });
    assert.deepEqual(
      shown.apps[0]?.migrations.map((m) => [m.name, m.applied, m.replaces]),
      [
        ['0001_initial_squashed_0003_thing_colour', true, 3],
        ['0004_seed', true, 0],
      ],
    );

    // Back to zero and up again: now the squashed migration does the work.
    const down = await migrate({ apps, app: 'sq', target: 'zero', output: quiet() });
    assert.deepEqual(
      down.steps.map((step) => step.migration),
      ['sq.0004_seed', 'sq.0001_initial_squashed_0003_thing_colour'],
    );
    await assert.rejects(db.raw('SELECT 1 FROM sq_thing'));
    const up = await migrate({ apps, output: quiet() });
    assert.deepEqual(
      up.steps.map((step) => step.migration),
      ['sq.0001_initial_squashed_0003_thing_colour', 'sq.0004_seed'],
    );
    assert.deepEqual(await db.raw('SELECT name, size, colour FROM sq_thing'), [
      { name: 'seed', size: null, colour: 'red' },
    ]);
  });

  it('refuses to copy code steps', async () => {
    const apps = [
      app(`sqc-${ctx.dialect}`, {
        '0001_initial': history['0001_initial'].replaceAll("'sq", "'sqc"),
        '0002_code': migrationFile(
          [['sqc', '0001_initial']],
          ['op.runCode(async function fixNames() {})'],
        ),
      }),
    ];
    await assert.rejects(squashmigrations({ apps, app: 'sqc', upTo: '0002', output: quiet() }), {
      code: 'CARAFE_MIGRATION_SQUASH',
      message: /sqc\.0002_code has a code step \("Run code fixNames"\)/,
    });
  });
});
