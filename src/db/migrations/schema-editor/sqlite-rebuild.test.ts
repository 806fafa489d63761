import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../../../test/support/databases.js';
import { atomic, database, f } from '../../index.js';
import { indexSummary, OperationRunner, tableShape } from '../../test-support/schema-runner.js';
import { op } from '../operations/index.js';

const children = async () =>
  (
    await database().raw<Record<string, unknown>>(
      'SELECT id, name, parent_id, size FROM sr_child ORDER BY id',
    )
  ).map((row) => Object.values(row));

forEachDatabase(
  'SQLite table rebuilds',
  () => {
    const runner = new OperationRunner();

    before(async () => {
      await runner.forwards(
        op.createModel('sr.Parent', {
          table: 'sr_parent',
          fields: { id: f.auto(), name: f.string({ max: 10 }) },
        }),
        op.createModel('sr.Other', { table: 'sr_other', fields: { id: f.auto() } }),
        op.createModel('sr.Child', {
          table: 'sr_child',
          fields: {
            id: f.auto(),
            name: f.string({ max: 10, unique: true }),
            parent: f.foreignKey('sr.Parent', { onDelete: 'cascade' }),
            size: f.integer({ nullable: true }),
          },
          indexes: [{ name: 'sr_child_size', fields: ['-size'] }],
        }),
        op.createModel('sr.Toy', {
          table: 'sr_toy',
          fields: { id: f.auto(), child: f.foreignKey('sr.Child', { onDelete: 'cascade' }) },
        }),
      );
      await database().raw("INSERT INTO sr_parent (name) VALUES ('p1'), ('p2')");
      await database().raw(
        "INSERT INTO sr_child (name, parent_id, size) VALUES ('a', 1, 4), ('b', 2, NULL)",
      );
      await database().raw('INSERT INTO sr_toy (child_id) VALUES (1), (2)');
    });

    it('rebuilds a table keeping rows, indexes, unique, keys out and keys in', async () => {
      const statements = await runner.forwards(
        op.alterField('sr.Child', 'size', f.integer(), { fill: 0 }),
      );
      assert.ok(
        statements.some((s) => s.startsWith('CREATE TABLE "new__sr_child"')),
        statements.join('\n'),
      );
      assert.deepEqual(await children(), [
        [1, 'a', 1, 4],
        [2, 'b', 2, 0],
      ]);
      const shape = await tableShape('sr_child');
      assert.equal(shape.columns.get('size')!.notNull, true);
      assert.deepEqual(indexSummary(shape), ['parent_id', 'size', 'unique name']);
      assert.equal(shape.foreignKeys.get('parent_id'), 'sr_parent.id');
      assert.equal((await tableShape('sr_toy')).foreignKeys.get('child_id'), 'sr_child.id');
      const [keys] = await database().raw<{ foreign_keys: number }>('PRAGMA foreign_keys');
      assert.equal(keys!.foreign_keys, 1, 'enforcement is back on');
      await assert.rejects(() => database().raw('INSERT INTO sr_toy (child_id) VALUES (99)'));
      await assert.rejects(() =>
        database().raw("INSERT INTO sr_child (name, parent_id, size) VALUES ('c', 99, 1)"),
      );
      await runner.backwards();
      assert.equal((await tableShape('sr_child')).columns.get('size')!.notNull, false);
    });

    it('fails through PRAGMA foreign_key_check when the rebuilt table would break a key, changing nothing', async () => {
      await assert.rejects(
        () =>
          runner.forwards(
            op.alterField('sr.Child', 'parent', f.foreignKey('sr.Other', { onDelete: 'cascade' })),
          ),
        { code: 'CARAFE_MIGRATION_FOREIGN_KEY_CHECK', message: /sr_child row 1 → sr_other/ },
      );
      assert.equal((await tableShape('sr_child')).foreignKeys.get('parent_id'), 'sr_parent.id');
      // The NULL the first test filled stays filled: going back cannot tell which rows it was.
      assert.deepEqual(await children(), [
        [1, 'a', 1, 4],
        [2, 'b', 2, 0],
      ]);
      const [keys] = await database().raw<{ foreign_keys: number }>('PRAGMA foreign_keys');
      assert.equal(keys!.foreign_keys, 1);
    });

    it('refuses to rebuild inside a transaction that keeps key enforcement on', async () => {
      const editorRun = () =>
        atomic(() =>
          runner.forwards(
            op.alterField('sr.Child', 'size', f.integer({ nullable: true, dbDefault: 1 })),
          ),
        );
      await assert.rejects(editorRun, { code: 'CARAFE_MIGRATION_SQLITE_FOREIGN_KEYS' });
      assert.equal((await tableShape('sr_child')).columns.get('size')!.default, null);
    });

    it('renames and drops plain columns in place, without a rebuild', async () => {
      const renamed = await runner.forwards(op.renameField('sr.Child', 'size', 'height'));
      assert.deepEqual(renamed, ['ALTER TABLE "sr_child" RENAME COLUMN "size" TO "height"']);
      assert.deepEqual(indexSummary(await tableShape('sr_child')), [
        'height',
        'parent_id',
        'unique name',
      ]);
      await runner.backwards();
      await runner.forwards(op.addField('sr.Child', 'note', f.text({ nullable: true })));
      const dropped = await runner.forwards(op.removeField('sr.Child', 'note'));
      assert.deepEqual(dropped, ['ALTER TABLE "sr_child" DROP COLUMN "note"']);
    });
  },
  { dialects: ['sqlite'] },
);
