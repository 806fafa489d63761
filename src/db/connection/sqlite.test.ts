import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Database } from './index.js';

describe('SQLite connections', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carafe-sqlite-'));
  const opened: Database[] = [];
  const open = (url: string) => {
    const db = new Database('default', url);
    opened.push(db);
    return db;
  };
  after(async () => {
    await Promise.all(opened.map((db) => db.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const pragma = async (db: Database, name: string) => {
    const [row] = await db.raw<Record<string, unknown>>(`PRAGMA ${name}`);
    return row === undefined ? undefined : Object.values(row)[0];
  };

  it('opens files in WAL mode with foreign keys on and a busy timeout', async () => {
    const db = open(`sqlite://${join(dir, 'app.sqlite3')}`);
    assert.equal(await pragma(db, 'journal_mode'), 'wal');
    assert.equal(await pragma(db, 'foreign_keys'), 1);
    assert.equal(await pragma(db, 'busy_timeout'), 5000);
  });

  it('keeps :memory: databases out of WAL mode', async () => {
    const db = open('sqlite://:memory:');
    assert.equal(await pragma(db, 'journal_mode'), 'memory');
    assert.equal(await pragma(db, 'foreign_keys'), 1);
  });

  it('enforces foreign keys', async () => {
    const db = open('sqlite://:memory:');
    await db.raw('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    await db.raw(
      'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id))',
    );
    await assert.rejects(
      db.raw('INSERT INTO child (id, parent_id) VALUES (1, 99)'),
      /FOREIGN KEY constraint failed/,
    );
  });

  it('reuses prepared statements for repeated SQL', async () => {
    const db = open('sqlite://:memory:');
    await db.raw('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const before = db.statementCacheStats();
    for (let id = 1; id <= 5; id++) await db.raw('INSERT INTO t (id) VALUES (?)', [id]);
    const afterwards = db.statementCacheStats();
    assert.ok(before !== undefined && afterwards !== undefined);
    assert.equal(afterwards.misses - before.misses, 1);
    assert.equal(afterwards.hits - before.hits, 4);
    assert.equal(afterwards.capacity, 200);
    assert.deepEqual(await db.raw('SELECT COUNT(*) AS n FROM t'), [{ n: 5 }]);
  });

  it('evicts the least recently used statement when the cache is full', async () => {
    const db = open('sqlite://:memory:?statementCache=2');
    const run = (sqlText: string) => db.raw(sqlText);
    await run('SELECT 1'); // miss: [1]
    await run('SELECT 2'); // miss: [1, 2]
    await run('SELECT 1'); // hit:  [2, 1]
    await run('SELECT 3'); // miss, evicts 2: [1, 3]
    await run('SELECT 1'); // hit
    await run('SELECT 2'); // miss again
    assert.deepEqual(db.statementCacheStats(), { hits: 2, misses: 4, size: 2, capacity: 2 });
  });

  it('can run without a statement cache', async () => {
    const uncached = new Database('uncached', { url: 'sqlite://:memory:', statementCache: 0 });
    opened.push(uncached);
    await uncached.raw('SELECT 1');
    await uncached.raw('SELECT 1');
    assert.deepEqual(uncached.statementCacheStats(), { hits: 0, misses: 2, size: 0, capacity: 0 });
  });

  it('binds booleans as 1/0 and dates as ISO-8601 UTC text', async () => {
    const db = open('sqlite://:memory:');
    const [row] = await db.raw('SELECT ? AS yes, ? AS no, ? AS at', [
      true,
      false,
      new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
    ]);
    assert.deepEqual(row, { yes: 1, no: 0, at: '2030-01-02T03:04:05.000Z' });
  });

  it('has no statement cache statistics on server dialects', () => {
    const server = new Database('pg', 'postgres://127.0.0.1/x');
    opened.push(server);
    assert.equal(server.statementCacheStats(), undefined);
  });
});
