import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../../../test/support/databases.js';
import { database, f } from '../../index.js';
import { indexSummary, OperationRunner, tableShape } from '../../test-support/schema-runner.js';
import { op } from './index.js';

async function rows(sqlText: string): Promise<unknown[][]> {
  const found = await database().raw<Record<string, unknown>>(sqlText);
  return found.map((row) =>
    Object.values(row).map((value) => (typeof value === 'bigint' ? Number(value) : value)),
  );
}

const items = () => rows('SELECT id, name, qty FROM of_item ORDER BY id');
const itemRows = [
  [1, 'a', 1],
  [2, 'b', null],
  [3, 'c', 3],
];

forEachDatabase('addField / removeField / alterField / renameField', ({ dialect }) => {
  const runner = new OperationRunner();

  before(async () => {
    await runner.forwards(
      op.createModel('of.Shelf', {
        table: 'of_shelf',
        fields: { id: f.auto(), label: f.string({ max: 10 }) },
      }),
      op.createModel('of.Rack', {
        table: 'of_rack',
        fields: { id: f.auto(), label: f.string({ max: 10 }) },
      }),
      op.createModel('of.Item', {
        table: 'of_item',
        fields: {
          id: f.bigAuto(),
          name: f.string({ max: 20 }),
          qty: f.integer({ nullable: true }),
        },
      }),
    );
    await database().raw("INSERT INTO of_shelf (label) VALUES ('s1'), ('s2')");
    await database().raw("INSERT INTO of_rack (label) VALUES ('r1'), ('r2'), ('r3')");
    await database().raw("INSERT INTO of_item (name, qty) VALUES ('a', 1), ('b', NULL), ('c', 3)");
  });

  it('adds a NOT NULL field, filling existing rows without keeping the fill as a default', async () => {
    await runner.forwards(op.addField('of.Item', 'code', f.string({ max: 5 }), { fill: "x'y" }));
    const shape = await tableShape('of_item');
    assert.equal(shape.columns.get('code')!.notNull, true);
    assert.equal(shape.columns.get('code')!.default, null);
    assert.deepEqual(await rows('SELECT code FROM of_item'), [["x'y"], ["x'y"], ["x'y"]]);
    await runner.backwards();
    assert.equal((await tableShape('of_item')).columns.has('code'), false);
    assert.deepEqual(await items(), itemRows);
  });

  it('adds a field with a database default, which existing rows take and the column keeps', async () => {
    await runner.forwards(op.addField('of.Item', 'stock', f.integer({ dbDefault: 7 })));
    assert.match(String((await tableShape('of_item')).columns.get('stock')!.default), /7/);
    assert.deepEqual(await rows('SELECT stock FROM of_item'), [[7], [7], [7]]);
    await runner.backwards();
    assert.deepEqual(await items(), itemRows);
  });

  it('adds foreign keys (nullable, and NOT NULL with a fill) with their index; removes them again', async () => {
    await runner.forwards(
      op.addField(
        'of.Item',
        'shelf',
        f.foreignKey('of.Shelf', { onDelete: 'setNull', nullable: true }),
      ),
      op.addField('of.Item', 'rack', f.foreignKey('of.Rack', { onDelete: 'cascade' }), { fill: 2 }),
    );
    const shape = await tableShape('of_item');
    assert.equal(shape.foreignKeys.get('shelf_id'), 'of_shelf.id');
    assert.equal(shape.foreignKeys.get('rack_id'), 'of_rack.id');
    assert.deepEqual(indexSummary(shape), ['rack_id', 'shelf_id']);
    assert.deepEqual(await rows('SELECT rack_id, shelf_id FROM of_item'), [
      [2, null],
      [2, null],
      [2, null],
    ]);
    await assert.rejects(() => database().raw('UPDATE of_item SET rack_id = 99'));
    await runner.backwards(2);
    const after = await tableShape('of_item');
    assert.deepEqual([...after.columns.keys()], ['id', 'name', 'qty']);
    assert.equal(after.foreignKeys.size, 0);
    assert.deepEqual(await items(), itemRows);
  });

  it('adds a many-to-many field as a join table and removes it', async () => {
    await runner.forwards(
      op.addField('of.Item', 'racks', f.manyToMany('of.Rack', { relatedName: 'items' })),
    );
    const join = await tableShape('of_item_racks');
    assert.equal(join.foreignKeys.get('item_id'), 'of_item.id');
    assert.equal(join.foreignKeys.get('rack_id'), 'of_rack.id');
    await runner.forwards(op.removeField('of.Item', 'racks'));
    assert.equal((await tableShape('of_item_racks')).exists, false);
    await runner.backwards();
    assert.equal((await tableShape('of_item_racks')).exists, true);
    await runner.backwards();
    assert.equal((await tableShape('of_item_racks')).exists, false);
  });

  it('removes a field with the index, unique group and check that use it; backwards restores all', async () => {
    await runner.forwards(
      op.addField('of.Item', 'size', f.integer({ nullable: true, index: true })),
      op.addIndex('of.Item', { name: 'of_item_size_name', fields: ['size', 'name'] }),
      op.alterUniqueTogether('of.Item', [['name', 'size']]),
      op.addConstraint('of.Item', { name: 'of_item_size_small', check: { size: { lt: 100 } } }),
    );
    await database().raw('UPDATE of_item SET size = id * 10');
    assert.deepEqual(indexSummary(await tableShape('of_item')), [
      'size',
      'size,name',
      'unique name,size',
    ]);
    await runner.forwards(op.removeField('of.Item', 'size'));
    const options = runner.state.model('of.Item').options;
    assert.deepEqual([options.indexes, options.uniqueTogether, options.constraints], [[], [], []]);
    const removed = await tableShape('of_item');
    assert.deepEqual([...removed.columns.keys()], ['id', 'name', 'qty']);
    assert.deepEqual(indexSummary(removed), []);
    assert.deepEqual(removed.checks, []);
    assert.deepEqual(await items(), itemRows);
    await runner.backwards();
    const restored = await tableShape('of_item');
    assert.deepEqual(indexSummary(restored), ['size', 'size,name', 'unique name,size']);
    assert.deepEqual(restored.checks, ['of_item_size_small']);
    assert.deepEqual(await rows('SELECT size FROM of_item'), [[null], [null], [null]]);
    await runner.backwards(4);
    assert.deepEqual(indexSummary(await tableShape('of_item')), []);
    assert.deepEqual(await items(), itemRows);
  });

  it('alters type, nullability (filling NULLs), unique, index and default; backwards undoes each', async () => {
    await runner.forwards(
      op.alterField('of.Item', 'name', f.string({ max: 60, unique: true })),
      op.alterField('of.Item', 'qty', f.bigInteger({ dbDefault: 5n, index: true }), { fill: 0 }),
    );
    const shape = await tableShape('of_item');
    assert.equal(shape.columns.get('qty')!.notNull, true);
    assert.match(String(shape.columns.get('qty')!.default), /5/);
    assert.match(shape.columns.get('qty')!.type, /bigint/i);
    assert.match(shape.columns.get('name')!.type, /60/);
    assert.deepEqual(indexSummary(shape), ['qty', 'unique name']);
    assert.deepEqual(await items(), [
      [1, 'a', 1],
      [2, 'b', 0],
      [3, 'c', 3],
    ]);
    await database().raw("INSERT INTO of_item (name) VALUES ('this name is longer than twenty')");
    await assert.rejects(() => database().raw("INSERT INTO of_item (name) VALUES ('a')"), 'unique');
    await database().raw('DELETE FROM of_item WHERE id > 3');
    await runner.backwards(2);
    const back = await tableShape('of_item');
    assert.equal(back.columns.get('qty')!.notNull, false);
    assert.equal(back.columns.get('qty')!.default, null);
    assert.match(back.columns.get('qty')!.type, /^int/i);
    assert.match(back.columns.get('name')!.type, /20/);
    assert.deepEqual(indexSummary(back), []);
    assert.deepEqual(await items(), [
      [1, 'a', 1],
      [2, 'b', 0],
      [3, 'c', 3],
    ]);
    await database().raw('UPDATE of_item SET qty = NULL WHERE id = 2');
  });

  it('changes onDelete without touching the table', async () => {
    await runner.forwards(
      op.addField(
        'of.Item',
        'shelf',
        f.foreignKey('of.Shelf', { onDelete: 'cascade', nullable: true }),
      ),
    );
    const statements = await runner.forwards(
      op.alterField(
        'of.Item',
        'shelf',
        f.foreignKey('of.Shelf', { onDelete: 'setNull', nullable: true }),
      ),
    );
    assert.deepEqual(statements, []);
    assert.equal(runner.state.model('of.Item').fields.get('shelf')!.onDelete, 'setNull');
    await runner.backwards(2);
  });

  it('moves a foreign key to another table and back', async () => {
    await runner.forwards(
      op.addField('of.Item', 'place', f.foreignKey('of.Shelf', { onDelete: 'cascade' }), {
        fill: 1,
      }),
    );
    await runner.forwards(
      op.alterField('of.Item', 'place', f.foreignKey('of.Rack', { onDelete: 'protect' })),
    );
    let shape = await tableShape('of_item');
    assert.equal(shape.foreignKeys.get('place_id'), 'of_rack.id');
    assert.deepEqual(indexSummary(shape), ['place_id']);
    await database().raw('UPDATE of_item SET place_id = 3');
    await assert.rejects(() => database().raw('UPDATE of_item SET place_id = 99'));
    await database().raw('UPDATE of_item SET place_id = 2');
    await runner.backwards();
    shape = await tableShape('of_item');
    assert.equal(shape.foreignKeys.get('place_id'), 'of_shelf.id');
    await runner.backwards();
    assert.equal((await tableShape('of_item')).columns.has('place_id'), false);
  });

  it('renames fields: columns follow, with their indexes, unique groups, checks and keys', async () => {
    await runner.forwards(
      op.addField(
        'of.Item',
        'shelf',
        f.foreignKey('of.Shelf', { onDelete: 'cascade', nullable: true }),
      ),
      op.addIndex('of.Item', { name: 'of_item_qty_idx', fields: ['-qty'] }),
      op.alterUniqueTogether('of.Item', [['name', 'qty']]),
      op.addConstraint('of.Item', { name: 'of_item_qty_small', check: { qty: { lt: 100 } } }),
      op.addConstraint('of.Item', { name: 'of_item_qty_sql', check: 'qty <> 42' }),
    );
    await database().raw('UPDATE of_item SET shelf_id = 2 WHERE id = 1');
    await runner.forwards(
      op.renameField('of.Item', 'qty', 'amount'),
      op.renameField('of.Item', 'shelf', 'box'),
    );
    const options = runner.state.model('of.Item').options;
    assert.deepEqual(options.indexes[0]!.fields, ['-amount']);
    assert.deepEqual(options.uniqueTogether, [['name', 'amount']]);
    assert.deepEqual(
      options.constraints.map((c) => (c.kind === 'check' ? c.check : c.fields)),
      [{ amount: { lt: 100 } }, 'amount <> 42'],
    );
    const shape = await tableShape('of_item');
    assert.deepEqual([...shape.columns.keys()], ['id', 'name', 'amount', 'box_id']);
    assert.deepEqual(indexSummary(shape), ['amount', 'box_id', 'unique name,amount']);
    assert.equal(shape.foreignKeys.get('box_id'), 'of_shelf.id');
    assert.deepEqual(shape.checks, ['of_item_qty_small', 'of_item_qty_sql']);
    assert.deepEqual(await rows('SELECT id, name, amount, box_id FROM of_item ORDER BY id'), [
      [1, 'a', 1, 2],
      [2, 'b', null, null],
      [3, 'c', 3, null],
    ]);
    await assert.rejects(
      () => database().raw('UPDATE of_item SET amount = 500'),
      'check follows the column',
    );
    await assert.rejects(
      () => database().raw('UPDATE of_item SET amount = 42'),
      'SQL check follows the column',
    );
    // A rebuild re-creates the checks from the state, which must name the new column.
    await runner.forwards(op.alterField('of.Item', 'name', f.string({ max: 21 })));
    assert.deepEqual((await tableShape('of_item')).checks, [
      'of_item_qty_small',
      'of_item_qty_sql',
    ]);
    await runner.backwards(3);
    const back = await tableShape('of_item');
    assert.deepEqual([...back.columns.keys()], ['id', 'name', 'qty', 'shelf_id']);
    assert.equal(back.foreignKeys.get('shelf_id'), 'of_shelf.id');
    assert.deepEqual(indexSummary(back), ['qty', 'shelf_id', 'unique name,qty']);
    await runner.backwards(5);
    assert.deepEqual(await items(), itemRows);
  });

  it('changes a primary key type; foreign keys pointing at it follow', async () => {
    await runner.forwards(
      op.addField('of.Item', 'shelf', f.foreignKey('of.Shelf', { onDelete: 'cascade' }), {
        fill: 1,
      }),
    );
    await runner.forwards(op.alterField('of.Shelf', 'id', f.bigAuto()));
    const shelf = await tableShape('of_shelf');
    const item = await tableShape('of_item');
    if (dialect !== 'sqlite') {
      assert.match(shelf.columns.get('id')!.type, /bigint/i);
      assert.match(item.columns.get('shelf_id')!.type, /bigint/i);
    }
    assert.equal(item.foreignKeys.get('shelf_id'), 'of_shelf.id');
    await database().raw("INSERT INTO of_shelf (label) VALUES ('s3')");
    assert.deepEqual(await rows('SELECT id, label FROM of_shelf ORDER BY id'), [
      [1, 's1'],
      [2, 's2'],
      [3, 's3'],
    ]);
    await runner.backwards(2);
    assert.equal((await tableShape('of_item')).foreignKeys.size, 0);
  });
});
