import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../../../test/support/databases.js';
import { database, f } from '../../index.js';
import { OperationRunner, tableShape } from '../../test-support/schema-runner.js';
import { op } from './index.js';

forEachDatabase('runSql / runCode', () => {
  const runner = new OperationRunner();

  before(async () => {
    await runner.forwards(
      op.createModel('os.Note', {
        table: 'os_note',
        fields: { id: f.bigAuto(), text: f.string({ max: 20 }) },
      }),
    );
  });

  it('runs SQL forwards and its reverse backwards', async () => {
    const forward = [
      "INSERT INTO os_note (text) VALUES ('one')",
      "INSERT INTO os_note (text) VALUES ('two')",
    ];
    await runner.forwards(
      op.runSql({ forward, reverse: "DELETE FROM os_note WHERE text IN ('one', 'two')" }),
    );
    assert.equal((await database().raw('SELECT id FROM os_note')).length, 2);
    await runner.backwards();
    assert.equal((await database().raw('SELECT id FROM os_note')).length, 0);
  });

  it('refuses to reverse SQL or code given without a reverse', async () => {
    const sqlStep = op.runSql({ forward: 'CREATE TABLE os_plain (id integer)' });
    assert.equal(sqlStep.reversible, false);
    await runner.forwards(sqlStep);
    assert.equal((await tableShape('os_plain')).exists, true);
    await assert.rejects(() => runner.backwards(), {
      code: 'CARAFE_MIGRATION_IRREVERSIBLE',
      message: /Raw SQL: CREATE TABLE os_plain/,
    });
    await database().raw('DROP TABLE os_plain');
    const codeStep = op.runCode(async function seed() {});
    assert.equal(codeStep.reversible, false);
    await assert.rejects(() => codeStep.databaseBackwards(undefined as never, runner.state), {
      code: 'CARAFE_MIGRATION_IRREVERSIBLE',
      message: /Run code seed/,
    });
  });

  it('runs code with the historical models of that point, and its reverse', async () => {
    const seen: string[] = [];
    const step = op.runCode(
      async ({ models }) => {
        const Note = models.get('os.Note');
        seen.push(...Note.meta.concreteFields.map((field) => field.name));
        await Note.objects.create({ text: 'hello', stars: 2 });
      },
      async ({ models, db }) => {
        await models.get('os.Note').objects.filter({ text: 'hello' }).delete();
        assert.equal(db, database());
      },
    );
    await runner.forwards(op.addField('os.Note', 'stars', f.integer({ dbDefault: 0 })), step);
    assert.deepEqual(seen, ['id', 'text', 'stars'], 'the code sees the field added before it');
    const rows = await database().raw<{ stars: number }>('SELECT stars FROM os_note');
    assert.deepEqual(
      rows.map((row) => Number(row.stars)),
      [2],
    );
    await runner.backwards();
    assert.equal((await database().raw('SELECT id FROM os_note')).length, 0);
  });

  it('rolls the migration back when its code fails', async () => {
    const failing = op.runCode(async ({ models }) => {
      await models.get('os.Note').objects.create({ text: 'kept?', stars: 1 });
      throw new Error('boom');
    });
    await assert.rejects(() => runner.forwards(failing), /boom/);
    assert.equal((await database().raw('SELECT id FROM os_note')).length, 0);
  });

  it('lets schema changes follow rows that code wrote earlier in the same migration', async () => {
    // On PostgreSQL those rows leave deferred key checks pending, which blocks ALTER TABLE.
    await runner.forwards(
      op.createModel('os.Tag', {
        table: 'os_tag',
        fields: { id: f.auto(), note: f.foreignKey('os.Note', { onDelete: 'cascade' }) },
      }),
      op.runCode(async ({ models }) => {
        const note = await models.get('os.Note').objects.create({ text: 'tagged', stars: 1 });
        await models.get('os.Tag').objects.create({ note });
      }),
      op.addField('os.Tag', 'weight', f.integer(), { fill: 1 }),
      op.alterField('os.Tag', 'weight', f.bigInteger()),
      op.removeField('os.Tag', 'note'),
    );
    assert.deepEqual(
      (await database().raw<{ weight: number }>('SELECT weight FROM os_tag')).map((row) =>
        Number(row.weight),
      ),
      [1],
    );
  });

  it('describes itself and writes itself back as a call', () => {
    const step = op.runSql({ forward: 'SELECT 1', reverse: ['SELECT 2', 'SELECT 3'] });
    assert.deepEqual(step.toCall(), {
      name: 'runSql',
      args: [{ forward: 'SELECT 1', reverse: ['SELECT 2', 'SELECT 3'] }],
    });
    assert.equal(step.describe(), 'Raw SQL: SELECT 1');
  });
});
