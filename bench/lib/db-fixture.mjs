// The tables the database servers read, created fresh before timing and removed after — a
// temporary SQLite file (WAL, so every server can open it; in memory-backed /dev/shm when the
// machine has it, because a disk's fsync stalls varied /updates by 2× between rounds and
// drowned the difference between servers), or a throwaway schema in
// PostgreSQL's `test` database: `world`, 10,000 rows of random numbers 1–10000, and
// `fortune`, TechEmpower's 12 fortunes.

import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';

export const WORLD_ROWS = 10_000;
const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const CONNECT_TIMEOUT_MS = 3_000;

/** TechEmpower's fortune rows: markup that must come out escaped, and non-ASCII text. */
export const FORTUNES = [
  { id: 1, message: 'fortune: No such file or directory' },
  { id: 2, message: "A computer scientist is someone who fixes things that aren't broken." },
  { id: 3, message: 'After enough decimal points, nobody gives a damn.' },
  { id: 4, message: 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1' },
  { id: 5, message: 'A computer program does what you tell it to do, not what you want it to do.' },
  { id: 6, message: 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen' },
  { id: 7, message: 'Any program that runs right is obsolete.' },
  { id: 8, message: 'A list is only as strong as its weakest link. — Donald Knuth' },
  { id: 9, message: 'Feature: A bug with seniority.' },
  { id: 10, message: 'Computers make very fast, very accurate mistakes.' },
  {
    id: 11,
    message: '<script>alert("This should not be displayed in a browser alert box.");</script>',
  },
  { id: 12, message: 'フレームワークのベンチマーク' },
];

const WORLD_TABLE = 'world (id integer PRIMARY KEY, randomnumber integer NOT NULL)';
const FORTUNE_TABLE = 'fortune (id integer PRIMARY KEY, message varchar(2048) NOT NULL)';

const randomNumber = () => 1 + Math.floor(Math.random() * WORLD_ROWS);

/** /dev/shm when it is there and writable, else the usual temporary folder. */
function sqliteParent() {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

async function sqliteFixture() {
  const dir = mkdtempSync(join(sqliteParent(), 'carafe-bench-db-'));
  const file = join(dir, 'world.sqlite3');
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE ${WORLD_TABLE}`);
  db.exec(`CREATE TABLE ${FORTUNE_TABLE}`);
  const insertWorld = db.prepare('INSERT INTO world (id, randomnumber) VALUES (?, ?)');
  const insertFortune = db.prepare('INSERT INTO fortune (id, message) VALUES (?, ?)');
  const rows = new Map();
  db.transaction(() => {
    for (let id = 1; id <= WORLD_ROWS; id++) {
      const value = randomNumber();
      insertWorld.run(id, value);
      rows.set(id, value);
    }
    for (const { id, message } of FORTUNES) insertFortune.run(id, message);
  })();
  db.close();
  let reader;
  return {
    url: `sqlite://${file}`,
    describe: `SQLite file ${file} (WAL)`,
    rows,
    async readWorlds(ids) {
      reader ??= new Sqlite(file, { readonly: true });
      const select = reader.prepare('SELECT id, randomnumber FROM world WHERE id = ?');
      return new Map(ids.map((id) => [id, select.get(id)?.randomnumber]));
    },
    tableStatistics: undefined,
    cleanup: async () => {
      reader?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const connectPostgres = async () => {
  const client = new pg.Client({
    connectionString: POSTGRES_URL,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
};

/**
 * Runs `work` on a connection of its own, closed right after: a backend reports its table
 * counters when it exits, so the fixture's own reads never land in a later count.
 */
async function onOwnConnection(work) {
  const client = await connectPostgres();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function fillPostgres(schema) {
  return onOwnConnection(async (client) => {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.${WORLD_TABLE}`);
    await client.query(
      `INSERT INTO ${schema}.world (id, randomnumber)
       SELECT i, 1 + floor(random() * ${WORLD_ROWS})::integer FROM generate_series(1, ${WORLD_ROWS}) AS i`,
    );
    await client.query(`ANALYZE ${schema}.world`);
    await client.query(`CREATE TABLE ${schema}.${FORTUNE_TABLE}`);
    await client.query(
      `INSERT INTO ${schema}.fortune (id, message) SELECT * FROM unnest($1::integer[], $2::varchar[])`,
      [FORTUNES.map((f) => f.id), FORTUNES.map((f) => f.message)],
    );
    const { rows } = await client.query(`SELECT id, randomnumber FROM ${schema}.world`);
    return new Map(rows.map((row) => [row.id, row.randomnumber]));
  });
}

async function postgresFixture() {
  let client;
  try {
    client = await connectPostgres();
  } catch (error) {
    return { skip: `PostgreSQL not reachable at ${POSTGRES_URL} (${error.message}): skipped` };
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  try {
    const rows = await fillPostgres(schema);
    return {
      url: `${POSTGRES_URL}?schema=${schema}`,
      describe: `PostgreSQL ${POSTGRES_URL}, schema ${schema}`,
      rows,
      readWorlds: (ids) =>
        onOwnConnection(async (reader) => {
          const { rows: found } = await reader.query(
            `SELECT id, randomnumber FROM ${schema}.world WHERE id = ANY($1::integer[])`,
            [ids],
          );
          return new Map(found.map((row) => [row.id, row.randomnumber]));
        }),
      async tableStatistics() {
        const { rows: tables } = await client.query(
          `SELECT relname, seq_scan, coalesce(idx_scan, 0) AS idx_scan, n_tup_upd
           FROM pg_stat_user_tables WHERE schemaname = $1`,
          [schema],
        );
        return Object.fromEntries(
          tables.map((t) => [
            t.relname,
            {
              seqScans: Number(t.seq_scan),
              indexScans: Number(t.idx_scan),
              rowsUpdated: Number(t.n_tup_upd),
            },
          ]),
        );
      },
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
 * Creates and fills the `world` and `fortune` tables for `kind` ('sqlite' or 'postgres').
 * Resolves to `{ url, describe, rows: Map<id, randomNumber>, readWorlds(ids), tableStatistics,
 * cleanup() }` (the fortunes are `FORTUNES`), or `{ skip: reason }` when PostgreSQL cannot be
 * reached. `readWorlds` reads rows as they are now; `tableStatistics()` (PostgreSQL only,
 * otherwise undefined) gives each table's scan and update counters from pg_stat_user_tables,
 * which a backend reports when it exits, and otherwise only every second or more.
 */
export function createFixture(kind) {
  return kind === 'sqlite' ? sqliteFixture() : postgresFixture();
}
