import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { forEachDatabase } from '../../../test/support/databases.js';
import { Database, type Dialect } from './index.js';

/** The dialect's own placeholder for the i-th parameter (1-based). */
const placeholder = (dialect: Dialect, i: number) => (dialect === 'postgres' ? `$${i}` : '?');

const valueColumns: Record<Dialect, string> = {
  sqlite: 'id INTEGER PRIMARY KEY, big BIGINT, price TEXT, at TEXT, day TEXT, flag INTEGER',
  postgres:
    'id INTEGER PRIMARY KEY, big BIGINT, price NUMERIC(20,4), at TIMESTAMPTZ, day DATE, flag BOOLEAN',
  mysql:
    'id INTEGER PRIMARY KEY, big BIGINT, price DECIMAL(20,4), at DATETIME(3), day DATE, flag BOOLEAN',
};

forEachDatabase('Database', (ctx) => {
  const p = (i: number) => placeholder(ctx.dialect, i);

  it('runs raw SQL with bound parameters; an injection string stays a value', async () => {
    const db = ctx.database;
    await db.raw('CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(200))');
    const attack = "x'); DROP TABLE notes; --";
    await db.raw(`INSERT INTO notes (id, body) VALUES (${p(1)}, ${p(2)})`, [1, attack]);
    await db.raw(`INSERT INTO notes (id, body) VALUES (${p(1)}, ${p(2)})`, [2, 'plain']);
    assert.deepEqual(await db.raw(`SELECT id, body FROM notes WHERE body = ${p(1)}`, [attack]), [
      { id: 1, body: attack },
    ]);
    assert.deepEqual(
      await db.raw(`SELECT id FROM notes WHERE body = ${p(1)}`, ["' OR '1'='1"]),
      [],
    );
    assert.deepEqual(await db.raw('SELECT COUNT(*) AS n FROM notes'), [{ n: 2 }]);
  });

  it('round-trips 64-bit integers, decimals, instants and days exactly', async () => {
    const db = ctx.database;
    await db.raw(`CREATE TABLE vals (${valueColumns[ctx.dialect]})`);
    const at = new Date('2024-02-29T23:59:58.123Z');
    const insert = `INSERT INTO vals (id, big, price, at, day, flag) VALUES (${[1, 2, 3, 4, 5, 6].map(p).join(', ')})`;
    await db.raw(insert, [1, 9007199254740993n, '12345678901234.5678', at, '2024-02-29', true]);
    await db.raw(insert, [2, -9223372036854775808n, '-0.0001', at, '1999-12-31', false]);
    await db.raw(insert, [3, 42, '0.5000', at, '2000-01-01', true]);
    const rows = await db.raw<{
      big: unknown;
      price: unknown;
      at: unknown;
      day: unknown;
      flag: unknown;
    }>('SELECT big, price, at, day, flag FROM vals ORDER BY id');
    assert.deepEqual(
      rows.map((row) => row.big),
      [9007199254740993n, -9223372036854775808n, 42],
    );
    assert.deepEqual(
      rows.map((row) => row.day),
      ['2024-02-29', '1999-12-31', '2000-01-01'],
    );
    // Decimals come back as exact strings (SQLite has no exact decimal type: text columns there).
    assert.deepEqual(
      rows.map((row) => row.price),
      ['12345678901234.5678', '-0.0001', '0.5000'],
    );
    for (const row of rows) {
      if (ctx.dialect === 'sqlite') assert.equal(row.at, at.toISOString());
      else assert.deepEqual(row.at, at);
    }
    assert.deepEqual(
      rows.map((row) => row.flag),
      ctx.dialect === 'postgres' ? [true, false, true] : [1, 0, 1],
    );
    const [sum] = await db.raw<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM vals WHERE big > ${p(1)}`,
      [0],
    );
    assert.deepEqual(sum, { n: 2 });
  });

  if (ctx.dialect === 'postgres') {
    it('applies the same rules inside PostgreSQL arrays', async () => {
      const [row] = await ctx.database.raw(
        `SELECT '{{1,9007199254740993},{NULL,-2}}'::int8[] AS big, '{2024-02-29,NULL}'::date[] AS days,
        '{"2024-01-01 10:00:00.5"}'::timestamp[] AS ats`,
      );
      assert.deepEqual(row, {
        big: [
          [1, 9007199254740993n],
          [null, -2],
        ],
        days: ['2024-02-29', null],
        ats: [new Date('2024-01-01T10:00:00.500Z')],
      });
    });
  }

  it('stores instants as UTC whatever the process time zone', async () => {
    const db = ctx.database;
    const naive =
      ctx.dialect === 'postgres'
        ? 'TIMESTAMP(3)'
        : ctx.dialect === 'mysql'
          ? 'DATETIME(3)'
          : 'TEXT';
    await db.raw(`CREATE TABLE instants (id INTEGER PRIMARY KEY, at ${naive})`);
    const at = new Date('2024-07-01T12:00:00.000Z');
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      await db.raw(`INSERT INTO instants (id, at) VALUES (1, ${p(1)})`, [at]);
      const [row] = await db.raw<{ at: unknown; text: string }>(
        `SELECT at, CAST(at AS ${ctx.dialect === 'mysql' ? 'CHAR' : 'TEXT'}) AS text FROM instants`,
      );
      assert.match(String(row?.text), /^2024-07-01[ T]12:00:00/);
      if (ctx.dialect !== 'sqlite') assert.deepEqual(row?.at, at);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('runs Kysely builders and compiled queries through executor() and run()', async () => {
    const db = ctx.database;
    await db
      .executor()
      .schema.createTable('people')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'varchar(50)')
      .execute();
    await db
      .executor()
      .insertInto('people')
      .values([
        { id: 1, name: 'Ada' },
        { id: 2, name: 'Grace' },
      ])
      .execute();
    const names = await db
      .executor()
      .selectFrom('people')
      .select('name')
      .where('id', '>', 1)
      .execute();
    assert.deepEqual(names, [{ name: 'Grace' }]);
    const compiled = sql<{
      total: number;
    }>`SELECT COUNT(*) AS total FROM people WHERE name <> ${'Ada'}`.compile(db.executor());
    const result = await db.run(compiled);
    assert.deepEqual(result.rows, [{ total: 1 }]);
    const update = await db.run(
      db.executor().updateTable('people').set({ name: 'Grace H.' }).where('id', '=', 2).compile(),
    );
    assert.equal(update.numAffectedRows, 1n);
  });

  it('tells query listeners about every query until they unsubscribe', async () => {
    const db = ctx.database;
    const events: {
      sql: string;
      params: readonly unknown[];
      durationMs: number;
      database: string;
      error?: unknown;
    }[] = [];
    const stop = db.onQuery((event) => events.push(event));
    await db.raw(`SELECT ${p(1)} AS one`, [1]);
    await assert.rejects(db.raw('SELECT * FROM no_such_table'));
    stop();
    await db.raw('SELECT 2 AS two');
    assert.equal(events.length, 2);
    assert.equal(events[0]?.sql, `SELECT ${p(1)} AS one`);
    assert.deepEqual(events[0]?.params, [1]);
    assert.equal(events[0]?.database, 'default');
    assert.ok((events[0]?.durationMs ?? -1) >= 0);
    assert.equal(events[0]?.error, undefined);
    assert.ok(events[1]?.error instanceof Error);
  });

  it('fails with CARAFE_DB_CLOSED after close()', async () => {
    const own = new Database('own', ctx.url);
    assert.deepEqual(await own.raw('SELECT 1 AS one'), [{ one: 1 }]);
    await own.close();
    assert.equal(own.closed, true);
    await assert.rejects(own.raw('SELECT 1 AS one'), {
      code: 'CARAFE_DB_CLOSED',
      message: /Database "own" has been closed/,
    });
    await own.close();
  });

  it('reports an unreachable server as CARAFE_DB_CONNECTION without the password', async () => {
    if (ctx.dialect === 'sqlite') {
      const unopenable = new Database('broken', 'sqlite:///nonexistent-dir/x/y.sqlite3');
      await assert.rejects(unopenable.raw('SELECT 1'), {
        code: 'CARAFE_DB_CONNECTION',
        message: /nonexistent-dir/,
      });
      await unopenable.close();
      return;
    }
    const down = new Database(
      'down',
      `${ctx.dialect}://app:hunter2@127.0.0.1:1/nowhere?connectTimeoutMs=2000`,
    );
    await assert.rejects(down.raw('SELECT 1'), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(Reflect.get(error, 'code'), 'CARAFE_DB_CONNECTION');
      assert.match(
        error.message,
        /database "down" \((postgres|mysql):\/\/app@127\.0\.0\.1:1\/nowhere\) failed: .*ECONNREFUSED/,
      );
      assert.doesNotMatch(error.message, /hunter2/);
      assert.ok(error.cause instanceof Error);
      return true;
    });
    await down.close();
  });
});
