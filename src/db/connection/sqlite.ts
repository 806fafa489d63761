// SQLite through better-sqlite3: pragmas on open, a prepared-statement LRU, and value
// conversions so SQLite hands back the same JavaScript values as the server databases.
import type BetterSqlite3 from 'better-sqlite3';
import { type QueryResult, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import type { SqliteSpec } from './settings.js';
import { exactInteger } from './values.js';

export interface StatementCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
  readonly capacity: number;
}

type Row = Record<string, unknown>;

/** better-sqlite3 binds neither booleans nor dates; store them the way the other dialects read them back. */
function bindable(parameters: readonly unknown[]): readonly unknown[] {
  let converted: unknown[] | undefined;
  for (let i = 0; i < parameters.length; i++) {
    const value = parameters[i];
    const replacement =
      typeof value === 'boolean'
        ? value
          ? 1
          : 0
        : value instanceof Date
          ? value.toISOString()
          : undefined;
    if (replacement === undefined) continue;
    converted ??= [...parameters];
    converted[i] = replacement;
  }
  return converted ?? parameters;
}

// Statements run with safeIntegers so no 64-bit value is ever rounded; integers that fit
// a double come back as numbers, like the server dialects do.
function exactRow(row: unknown): unknown {
  if (row === null || typeof row !== 'object') return row;
  const values = row as Row;
  for (const key in values) {
    const value = values[key];
    if (typeof value === 'bigint') values[key] = exactInteger(value);
  }
  return values;
}

/** What the ORM knows about a read before running it, which lets SQLite take cheaper paths. */
export interface ReadShape {
  /** The query pins a unique column: at most one row can match, so the first row is all of them. */
  readonly single: boolean;
  /** Every integer it reads fits a double exactly (no bigInteger or decimal column), so no BigInt round trip. */
  readonly plainIntegers: boolean;
  /**
   * The caller can take rows as arrays in SELECT order, which SQLite builds cheaper than
   * objects keyed by column name. Only with `plainIntegers`.
   */
  readonly positional: boolean;
}

/** Kysely's statement, plus the single-row read the ORM's fast path uses. */
interface CachedStatement extends SqliteStatement {
  get(parameters: readonly unknown[]): unknown;
}

function wrapStatement(
  statement: BetterSqlite3.Statement,
  exact: boolean,
  positional = false,
): CachedStatement {
  statement.safeIntegers(exact);
  // better-sqlite3 refuses raw mode on statements that return no rows.
  if (positional && statement.reader) statement.raw(true);
  const convert = exact ? exactRow : (row: unknown) => row;
  return {
    reader: statement.reader,
    get: (parameters) => {
      // A lone number or string (a lookup by key) binds faster bare than inside an array.
      const only = parameters.length === 1 ? parameters[0] : undefined;
      const row =
        typeof only === 'number' || typeof only === 'string'
          ? statement.get(only)
          : statement.get(bindable(parameters));
      return row === undefined ? undefined : convert(row);
    },
    all: (parameters) =>
      exact
        ? statement.all(bindable(parameters)).map(exactRow)
        : statement.all(bindable(parameters)),
    run: (parameters) => statement.run(bindable(parameters)),
    *iterate(parameters) {
      for (const row of statement.iterate(bindable(parameters))) yield exactRow(row);
    },
  };
}

class CachingDatabase implements SqliteDatabase {
  readonly #db: BetterSqlite3.Database;
  readonly #capacity: number;
  readonly #cache = new Map<string, CachedStatement>();
  // Statements that hand back plain numbers, for reads known to hold no 64-bit integers.
  readonly #plainCache = new Map<string, CachedStatement>();
  // The same, with rows as arrays.
  readonly #positionalCache = new Map<string, CachedStatement>();
  #newest: CachedStatement | undefined;
  hits = 0;
  misses = 0;

  constructor(db: BetterSqlite3.Database, capacity: number) {
    this.#db = db;
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#cache.size + this.#plainCache.size + this.#positionalCache.size;
  }

  prepare(sql: string): CachedStatement {
    return this.#prepareIn(this.#cache, sql, true);
  }

  /** A statement whose integers come back as numbers; only for reads of bounded integer columns. */
  preparePlain(sql: string): CachedStatement {
    return this.#prepareIn(this.#plainCache, sql, false);
  }

  /** Like `preparePlain`, with rows as arrays in SELECT order. */
  preparePositional(sql: string): CachedStatement {
    return this.#prepareIn(this.#positionalCache, sql, false, true);
  }

  #prepareIn(
    cache: Map<string, CachedStatement>,
    sql: string,
    exact: boolean,
    positional = false,
  ): CachedStatement {
    const cached = cache.get(sql);
    if (cached !== undefined) {
      this.hits++;
      // Moved to the back only when it is not already there: the common case of one hot
      // query repeated costs a lookup, not a delete and a re-insert.
      if (this.#newest !== cached) {
        cache.delete(sql);
        cache.set(sql, cached);
        this.#newest = cached;
      }
      return cached;
    }
    this.misses++;
    const statement = wrapStatement(this.#db.prepare(sql), exact, positional);
    if (this.#capacity > 0) {
      cache.set(sql, statement);
      this.#newest = statement;
      if (cache.size > this.#capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    return statement;
  }

  close(): void {
    this.#cache.clear();
    this.#plainCache.clear();
    this.#positionalCache.clear();
    this.#db.close();
  }
}

async function open(spec: SqliteSpec): Promise<BetterSqlite3.Database> {
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(spec.filename);
  // WAL lets readers in other processes work while one writes; it does not apply to :memory:.
  if (spec.filename !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.function('regexp', { deterministic: true }, regexp);
  return db;
}

const compiledPatterns = new Map<string, RegExp>();

/**
 * SQLite has no REGEXP of its own; the regex lookups call `regexp(pattern, value)`, with a
 * leading `(?i)` for the case-insensitive one (the form MariaDB understands too).
 */
function regexp(pattern: unknown, value: unknown): number | null {
  if (pattern === null || value === null || pattern === undefined || value === undefined)
    return null;
  const source = String(pattern);
  let compiled = compiledPatterns.get(source);
  if (compiled === undefined) {
    compiled = source.startsWith('(?i)')
      ? new RegExp(source.slice(4), 'iu')
      : new RegExp(source, 'u');
    if (compiledPatterns.size >= 256) compiledPatterns.clear();
    compiledPatterns.set(source, compiled);
  }
  return compiled.test(String(value)) ? 1 : 0;
}

export interface SqliteConnection {
  readonly dialect: SqliteDialect;
  statementCacheStats(): StatementCacheStats;
  /**
   * Runs a read at once, without Kysely's connection hand-off, and returns its rows — or
   * `undefined` when the file is not open yet or the statement writes. The caller makes sure
   * the one connection is idle (no transaction or query holds it).
   */
  readNow(
    sqlText: string,
    parameters: readonly unknown[],
    shape?: ReadShape,
  ): unknown[] | undefined;
  /**
   * Runs any statement at once, without the connection hand-off, and returns what Kysely's
   * driver would — or `undefined` when the file is not open yet. The same idle rule applies.
   */
  runNow(sqlText: string, parameters: readonly unknown[]): QueryResult<unknown> | undefined;
}

/**
 * SQLite runs on one connection per database (Kysely serializes its use), opened on the
 * first query; better-sqlite3 is loaded then too.
 */
export function createSqlite(spec: SqliteSpec): SqliteConnection {
  let database: CachingDatabase | undefined;
  const dialect = new SqliteDialect({
    database: async () => {
      database = new CachingDatabase(await open(spec), spec.statementCache);
      return database;
    },
  });
  return {
    dialect,
    readNow: (sqlText, parameters, shape) => {
      if (database === undefined) return undefined;
      const statement =
        shape?.positional === true
          ? database.preparePositional(sqlText)
          : shape?.plainIntegers === true
            ? database.preparePlain(sqlText)
            : database.prepare(sqlText);
      if (!statement.reader) return undefined;
      if (shape?.single !== true) return statement.all(parameters) as unknown[];
      const row = statement.get(parameters);
      return row === undefined ? [] : [row];
    },
    runNow: (sqlText, parameters) => {
      if (database === undefined) return undefined;
      const statement = database.prepare(sqlText);
      if (statement.reader) return { rows: statement.all(parameters) as unknown[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    },
    statementCacheStats: () => ({
      hits: database?.hits ?? 0,
      misses: database?.misses ?? 0,
      size: database?.size ?? 0,
      capacity: spec.statementCache,
    }),
  };
}
