import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { CarafeError } from '../../index.js';
import { forEachDatabase } from '../../testing/databases.js';
import { createTables, f, model, Now } from '../index.js';

const Sample = model('lab.Sample', {
  name: f.string({ max: 20 }),
  body: f.text({ nullable: true }),
  count: f.integer({ default: 0 }),
  small: f.smallInteger({ nullable: true }),
  big: f.bigInteger({ nullable: true }),
  ratio: f.float({ nullable: true }),
  price: f.decimal({ maxDigits: 12, decimalPlaces: 2, nullable: true }),
  active: f.boolean({ default: false }),
  day: f.date({ nullable: true }),
  at: f.datetime({ nullable: true }),
  clock: f.time({ nullable: true }),
  took: f.duration({ nullable: true }),
  token: f.uuid({ nullable: true }),
  data: f.json<{ tags: string[]; n?: number }>({ nullable: true }),
  email: f.email({ nullable: true }),
  site: f.url({ nullable: true }),
  slug: f.slug({ nullable: true }),
  blob: f.binary({ nullable: true }),
  status: f.string({ max: 10, choices: ['draft', 'published'], default: 'draft' }),
  level: f.choice(['low', 'high'], { nullable: true }),
  created: f.datetime({ dbDefault: Now() }),
  rank: f.integer({ dbDefault: 7 }),
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CarafeError ? error.code : String(error);
  }
  return undefined;
}

forEachDatabase('field values', () => {
  before(async () => {
    await createTables([Sample]);
  });

  it('round-trips every field kind exactly', async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const big = 9007199254740993n; // above 2^53: exact only as a bigint
    const created = await Sample.objects.create({
      name: 'all',
      body: 'long text ✓ ünïcode',
      count: 2147483647,
      small: -32768,
      big,
      ratio: 0.1 + 0.2,
      price: '1234567890.12',
      active: true,
      day: '2026-02-28',
      at,
      clock: '13:45:30.25',
      took: 90061001,
      token: '5F0C9D3A-4E4B-4C4B-9D6E-0123456789AB',
      data: { tags: ['a', 'b'], n: 1 },
      email: 'ada@example.com',
      site: 'https://example.com/x?y=1',
      slug: 'a-slug_1',
      blob: new Uint8Array([0, 1, 2, 255]),
      status: 'published',
      level: 'high',
    });
    const row = await Sample.objects.get({ id: created.id });
    assert.equal(row.name, 'all');
    assert.equal(row.body, 'long text ✓ ünïcode');
    assert.equal(row.count, 2147483647);
    assert.equal(row.small, -32768);
    assert.equal(row.big, big);
    assert.equal(row.ratio, 0.1 + 0.2);
    assert.equal(row.price, '1234567890.12');
    assert.equal(row.active, true);
    assert.equal(row.day, '2026-02-28');
    assert.deepEqual(row.at, at);
    assert.equal(row.clock, '13:45:30.25');
    assert.equal(row.took, 90061001);
    assert.equal(row.token, '5f0c9d3a-4e4b-4c4b-9d6e-0123456789ab');
    assert.deepEqual(row.data, { tags: ['a', 'b'], n: 1 });
    assert.deepEqual([...row.blob!], [0, 1, 2, 255]);
    assert.equal(row.status, 'published');
    assert.equal(row.level, 'high');
    assert.ok(row.created instanceof Date && Math.abs(row.created.getTime() - Date.now()) < 60_000);
    assert.equal(row.rank, 7);
    assert.equal(created.rank, 7, 'database defaults are read back on insert');
  });

  it('stores nulls and applies defaults', async () => {
    const created = await Sample.objects.create({ name: 'nulls' });
    const row = await Sample.objects.get({ id: created.id });
    assert.equal(row.count, 0);
    assert.equal(row.active, false);
    assert.equal(row.status, 'draft');
    for (const name of [
      'body',
      'small',
      'big',
      'ratio',
      'price',
      'day',
      'at',
      'clock',
      'took',
      'token',
      'data',
      'blob',
      'level',
    ] as const) {
      assert.equal(row[name], null, name);
    }
  });

  it('keeps decimals exact and pads them to their places', async () => {
    const created = await Sample.objects.create({ name: 'dec', price: '0.1' });
    const row = await Sample.objects.get({ id: created.id });
    assert.equal(row.price, '0.10');
    const sum = await Sample.objects
      .filter({ price: { gte: '0.10' } })
      .valuesList('price', { flat: true });
    assert.ok(sum.includes('0.10'));
  });

  it('compares datetimes as instants', async () => {
    const early = new Date('2020-01-01T00:00:00.000Z');
    const late = new Date('2030-01-01T00:00:00.000Z');
    await Sample.objects.create({ name: 'early', at: early });
    await Sample.objects.create({ name: 'late', at: late });
    const after = await Sample.objects
      .filter({ at: { gt: new Date('2025-01-01T00:00:00Z') } })
      .valuesList('name', { flat: true });
    assert.ok(after.includes('late') && !after.includes('early'));
    const exact = await Sample.objects.filter({ at: early }).count();
    assert.equal(exact, 1);
  });

  it('rejects values of the wrong type before any SQL, naming the field', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['count', { count: 'many' }],
      ['count', { count: 1.5 }],
      ['count', { count: 2 ** 31 }],
      ['big', { big: 1.5 }],
      ['ratio', { ratio: Number.NaN }],
      ['price', { price: 1.5 }],
      ['active', { active: 'yes' }],
      ['day', { day: '2026-02-30' }],
      ['at', { at: '2026-01-01' }],
      ['clock', { clock: '25:00' }],
      ['token', { token: 'not-a-uuid' }],
      ['blob', { blob: 'bytes' }],
      ['name', { name: 'x'.repeat(21) }],
      ['name', { name: null }],
    ];
    for (const [field, data] of cases) {
      await assert.rejects(
        () => Sample.objects.create({ name: 'bad', ...data } as never),
        (error: unknown) =>
          error instanceof CarafeError &&
          error.code === 'CARAFE_DB_BAD_VALUE' &&
          error.message.includes(`lab.Sample.${field}`),
        JSON.stringify(data),
      );
    }
    assert.equal(
      codeOf(() => new Sample({} as never)),
      'CARAFE_DB_BAD_VALUE',
    );
  });
});
