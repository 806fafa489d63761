import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '../testing/databases.js';
import { createTables, database, dropTables, f, model } from './index.js';

const Maker = model('schema.Maker', { name: f.string({ max: 30, unique: true }) });
const Part = model(
  'schema.Part',
  {
    maker: f.foreignKey(() => Maker, { onDelete: 'cascade', relatedName: 'parts' }),
    code: f.string({ max: 10, index: true }),
    weight: f.integer(),
    size: f.integer({ default: 1 }),
    kinds: f.manyToMany(() => Kind, { relatedName: 'parts' }),
  },
  {
    uniqueTogether: [['maker', 'code']],
    indexes: [{ fields: ['weight', '-size'], name: 'part_weight_size' }],
    constraints: [
      { name: 'part_weight_positive', check: { weight: { gt: 0 } } },
      { name: 'part_size_small', check: 'size < 100' },
      { name: 'part_code_weight', unique: ['code', 'weight'] },
    ],
  },
);
const Kind = model('schema.Kind', { label: f.string({ max: 10 }) });

async function indexNames(table: string): Promise<string[]> {
  const db = database();
  if (db.dialect === 'sqlite') {
    return (
      await db.raw<{ name: string }>(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`,
        [table],
      )
    ).map((r) => r.name);
  }
  if (db.dialect === 'postgres') {
    return (
      await db.raw<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE tablename = $1', [
        table,
      ])
    ).map((r) => r.indexname);
  }
  return (await db.raw<{ Key_name: string }>(`SHOW INDEX FROM \`${table}\``)).map(
    (r) => r.Key_name,
  );
}

async function tableExists(table: string): Promise<boolean> {
  const db = database();
  try {
    await db.raw(
      `SELECT 1 FROM ${db.dialect === 'mysql' ? `\`${table}\`` : `"${table}"`} WHERE 1 = 0`,
    );
    return true;
  } catch {
    return false;
  }
}

forEachDatabase('createTables', () => {
  it('creates tables, join tables and indexes', async () => {
    await createTables([Maker, Part, Kind]);
    for (const table of ['schema_maker', 'schema_part', 'schema_kind', 'schema_part_kinds'])
      assert.ok(await tableExists(table), table);
    const names = await indexNames('schema_part');
    assert.ok(names.includes('part_weight_size'), names.join());
    assert.ok(
      names.some((name) => name.startsWith('schema_part_code_idx')),
      names.join(),
    );
    assert.ok(
      names.some((name) => name.startsWith('schema_part_maker_id_idx')),
      names.join(),
    );
  });

  it('enforces unique, foreign keys and checks', async () => {
    const maker = await Maker.objects.create({ name: 'acme' });
    await Part.objects.create({ maker, code: 'a', weight: 1 });
    await assert.rejects(() => Maker.objects.create({ name: 'acme' }), 'unique field');
    await assert.rejects(
      () => Part.objects.create({ maker, code: 'a', weight: 2 }),
      'uniqueTogether',
    );
    await assert.rejects(() => Part.objects.create({ maker, code: 'b', weight: 0 }), 'typed check');
    await assert.rejects(
      () => Part.objects.create({ maker, code: 'c', weight: 1, size: 100 }),
      'SQL check',
    );
    const other = await Maker.objects.create({ name: 'other' });
    await assert.rejects(
      () => Part.objects.create({ maker: other, code: 'a', weight: 1 }),
      'unique constraint',
    );
    await assert.rejects(
      () => Part.objects.create({ maker: 999_999, code: 'z', weight: 5 }),
      'foreign key',
    );
    assert.equal(await Part.objects.count(), 1);
  });

  it('drops the tables again', async () => {
    await dropTables([Maker, Part, Kind]);
    for (const table of ['schema_maker', 'schema_part', 'schema_kind', 'schema_part_kinds'])
      assert.equal(await tableExists(table), false, table);
    await dropTables([Maker]);
  });
});
