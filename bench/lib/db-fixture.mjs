// The `world` table the database servers read: 10,000 rows of random numbers 1–10000,
// created fresh before timing and removed after — a temporary SQLite file (WAL, so both
// servers can open it), or a throwaway schema in PostgreSQL's `test` database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import pg from 'pg';

export const WORLD_ROWS = 10_000;
const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const CONNECT_TIMEOUT_MS = 3_000;

const randomNumber = () => 1 + Math.floor(Math.random() * WORLD_ROWS);

async function sqliteWorld() {
  const dir = mkdtempSync(join(tmpdir(), 'carafe-bench-db-'));
  const file = join(dir, 'world.sqlite3');
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE world (id integer PRIMARY KEY, randomnumber integer NOT NULL)');
  const insert = db.prepare('INSERT INTO world (id, randomnumber) VALUES (?, ?)');
  const rows = new Map();
  db.transaction(() => {
    for (let id = 1; id <= WORLD_ROWS; id++) {
      const value = randomNumber();
      insert.run(id, value);
      rows.set(id, value);
    }
  })();
  db.close();
  return {
    url: `sqlite://${file}`,
    describe: `SQLite file ${file} (WAL)`,
    rows,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresWorld() {
  const client = new pg.Client({
    connectionString: POSTGRES_URL,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    return { skip: `PostgreSQL not reachable at ${POSTGRES_URL} (${error.message}): skipped` };
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(
      `CREATE TABLE ${schema}.world (id integer PRIMARY KEY, randomnumber integer NOT NULL)`,
    );
    await client.query(
      `INSERT INTO ${schema}.world (id, randomnumber)
       SELECT i, 1 + floor(random() * ${WORLD_ROWS})::integer FROM generate_series(1, ${WORLD_ROWS}) AS i`,
    );
    await client.query(`ANALYZE ${schema}.world`);
    const { rows } = await client.query(`SELECT id, randomnumber FROM ${schema}.world`);
    return {
      url: `${POSTGRES_URL}?schema=${schema}`,
      describe: `PostgreSQL ${POSTGRES_URL}, schema ${schema}`,
      rows: new Map(rows.map((row) => [row.id, row.randomnumber])),
      cleanup: async () => {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      },
    };
  } catch (error) {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await client.end().catch(() => {});
    throw error;
  }
}

/**
 * Creates and fills the `world` table for `kind` ('sqlite' or 'postgres'). Resolves to
 * `{ url, describe, rows: Map<id, randomNumber>, cleanup() }`, or `{ skip: reason }` when
 * PostgreSQL cannot be reached.
 */
export function createWorld(kind) {
  return kind === 'sqlite' ? sqliteWorld() : postgresWorld();
}
