// For operation and schema editor tests: apply operations forwards and backwards through a real
// schema editor, and read a table's actual shape back from the database's catalog.
import { type Database, database } from '../connection/index.js';
import type { Operation } from '../migrations/operations/operation.js';
import type { HistoricalModel } from '../migrations/operations/special.js';
import { createSchemaEditor } from '../migrations/schema-editor/index.js';
import { ProjectState } from '../migrations/state.js';

/** Replays operations like the executor: one editor run per call, states kept for going back. */
export class OperationRunner {
  readonly states: ProjectState[];
  readonly #operations: Operation[] = [];

  constructor(initial = new ProjectState()) {
    this.states = [initial];
  }

  get state(): ProjectState {
    return this.states.at(-1)!;
  }

  /** The current historical model labelled `label`, as data migrations get it. */
  model(label: string): HistoricalModel {
    return this.state.modelClass(label) as HistoricalModel;
  }

  /** Applies `operations` in one migration; returns the statements the editor ran. */
  async forwards(...operations: Operation[]): Promise<string[]> {
    const editor = createSchemaEditor(database());
    const states = [this.state];
    await editor.run(async () => {
      for (const operation of operations) {
        const next = states.at(-1)!.clone();
        operation.stateForwards(next);
        await operation.databaseForwards(editor, states.at(-1)!, next);
        states.push(next);
      }
    });
    this.states.push(...states.slice(1));
    this.#operations.push(...operations);
    return [...editor.statements];
  }

  /** Unapplies the last `count` operations in one migration. */
  async backwards(count = 1): Promise<string[]> {
    const editor = createSchemaEditor(database());
    await editor.run(async () => {
      for (let step = 0; step < count; step++) {
        const index = this.#operations.length - 1 - step;
        await this.#operations[index]!.databaseBackwards(
          editor,
          this.states[index + 1]!,
          this.states[index]!,
        );
      }
    });
    this.#operations.splice(-count);
    this.states.splice(-count);
    return [...editor.statements];
  }

  /** The SQL `operations` would run, collected without touching the database. */
  async collect(...operations: Operation[]): Promise<string[]> {
    const editor = createSchemaEditor(database(), { collect: true });
    let current = this.state;
    await editor.run(async () => {
      for (const operation of operations) {
        const next = current.clone();
        operation.stateForwards(next);
        await operation.databaseForwards(editor, current, next);
        current = next;
      }
    });
    return [...editor.statements];
  }
}

export interface ColumnShape {
  readonly notNull: boolean;
  /** The default as the catalog spells it, or null. */
  readonly default: string | null;
  readonly type: string;
}

export interface IndexShape {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

export interface TableShape {
  readonly exists: boolean;
  readonly columns: ReadonlyMap<string, ColumnShape>;
  /** Indexes and unique constraints, the primary key left out. */
  readonly indexes: readonly IndexShape[];
  /** Foreign keys: column → referenced `table.column`. */
  readonly foreignKeys: ReadonlyMap<string, string>;
  /** Names of check constraints (MariaDB's per-column JSON checks left out). */
  readonly checks: readonly string[];
}

async function sqliteShape(db: Database, table: string): Promise<TableShape> {
  const columns = await db.raw<{
    name: string;
    type: string;
    notnull: number;
    dflt_value: string | null;
    pk: number;
  }>('SELECT * FROM pragma_table_info(?)', [table]);
  const indexRows = await db.raw<{ name: string; unique: number; origin: string; col: string }>(
    `SELECT il.name AS name, il."unique" AS "unique", il.origin AS origin, ii.name AS col
     FROM pragma_index_list(?) AS il JOIN pragma_index_info(il.name) AS ii ORDER BY il.name, ii.seqno`,
    [table],
  );
  const keys = await db.raw<{ from: string; table: string; to: string }>(
    'SELECT * FROM pragma_foreign_key_list(?)',
    [table],
  );
  const [master] = await db.raw<{ sql: string }>(
    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
    [table],
  );
  const checks = [...(master?.sql ?? '').matchAll(/CONSTRAINT "([^"]+)" CHECK/g)].map((m) => m[1]!);
  return {
    exists: master !== undefined,
    columns: new Map(
      columns.map((c) => [
        c.name,
        { notNull: c.notnull === 1 || c.pk === 1, default: c.dflt_value, type: c.type },
      ]),
    ),
    indexes: groupIndexes(
      indexRows
        .filter((row) => row.origin !== 'pk')
        .map((row) => ({ ...row, unique: row.unique === 1 })),
    ),
    foreignKeys: new Map(keys.map((k) => [k.from, `${k.table}.${k.to}`])),
    checks: checks.sort(),
  };
}

function groupIndexes(
  rows: readonly { name: string; unique: boolean; col: string }[],
): IndexShape[] {
  const byName = new Map<string, { name: string; columns: string[]; unique: boolean }>();
  for (const row of rows) {
    let index = byName.get(row.name);
    if (index === undefined) {
      index = { name: row.name, columns: [], unique: row.unique };
      byName.set(row.name, index);
    }
    index.columns.push(row.col);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function postgresShape(db: Database, table: string): Promise<TableShape> {
  const [found] = await db.raw<{ oid: string | null }>(
    'SELECT to_regclass(quote_ident($1))::text AS oid',
    [table],
  );
  const columns = await db.raw<{
    column_name: string;
    is_nullable: string;
    column_default: string | null;
    data_type: string;
  }>(
    `SELECT column_name, is_nullable, column_default,
       data_type || coalesce('(' || character_maximum_length || ')', '') AS data_type
     FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  const indexRows = await db.raw<{
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
  }>(
    `SELECT i.relname AS name, ix.indisunique AS "unique", ix.indisprimary AS "primary",
       array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
     FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid WHERE ix.indrelid = to_regclass(quote_ident($1))`,
    [table],
  );
  const keys = await db.raw<{ col: string; target: string; target_col: string }>(
    `SELECT a.attname AS col, t.relname AS target, ta.attname AS target_col
     FROM pg_constraint c
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     JOIN pg_class t ON t.oid = c.confrelid
     JOIN pg_attribute ta ON ta.attrelid = c.confrelid AND ta.attnum = c.confkey[1]
     WHERE c.contype = 'f' AND c.conrelid = to_regclass(quote_ident($1))`,
    [table],
  );
  const checks = await db.raw<{ conname: string }>(
    `SELECT conname FROM pg_constraint WHERE contype = 'c' AND conrelid = to_regclass(quote_ident($1)) ORDER BY conname`,
    [table],
  );
  return {
    exists: found?.oid !== null && found !== undefined,
    columns: new Map(
      columns.map((c) => [
        c.column_name,
        { notNull: c.is_nullable === 'NO', default: c.column_default, type: c.data_type },
      ]),
    ),
    indexes: indexRows
      .filter((row) => !row.primary)
      .map(({ name, unique, columns: cols }) => ({ name, unique, columns: cols }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    foreignKeys: new Map(keys.map((k) => [k.col, `${k.target}.${k.target_col}`])),
    checks: checks.map((c) => c.conname),
  };
}

async function mysqlShape(db: Database, table: string): Promise<TableShape> {
  const columns = await db.raw<{
    name: string;
    nullable: string;
    dflt: string | null;
    type: string;
  }>(
    `SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, COLUMN_TYPE AS type
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [table],
  );
  const indexRows = await db.raw<{ name: string; non_unique: number | string; col: string }>(
    `SELECT INDEX_NAME AS name, NON_UNIQUE AS non_unique, COLUMN_NAME AS col FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [table],
  );
  const keys = await db.raw<{ col: string; target: string; target_col: string }>(
    `SELECT COLUMN_NAME AS col, REFERENCED_TABLE_NAME AS target, REFERENCED_COLUMN_NAME AS target_col
     FROM information_schema.KEY_COLUMN_USAGE
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL`,
    [table],
  );
  const checks = await db.raw<{ name: string }>(
    `SELECT CONSTRAINT_NAME AS name FROM information_schema.CHECK_CONSTRAINTS
     WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CHECK_CLAUSE NOT LIKE 'json_valid(%' ORDER BY CONSTRAINT_NAME`,
    [table],
  );
  return {
    exists: columns.length > 0,
    columns: new Map(
      columns.map((c) => [
        c.name,
        // MariaDB reports "no default" on a nullable column as the text NULL.
        { notNull: c.nullable === 'NO', default: c.dflt === 'NULL' ? null : c.dflt, type: c.type },
      ]),
    ),
    indexes: groupIndexes(
      indexRows.map((row) => ({ ...row, unique: Number(row.non_unique) === 0 })),
    ),
    foreignKeys: new Map(keys.map((k) => [k.col, `${k.target}.${k.target_col}`])),
    checks: checks.map((c) => c.name),
  };
}

/** The table as the database reports it. */
export function tableShape(table: string, db: Database = database()): Promise<TableShape> {
  switch (db.dialect) {
    case 'sqlite':
      return sqliteShape(db, table);
    case 'postgres':
      return postgresShape(db, table);
    case 'mysql':
      return mysqlShape(db, table);
  }
}

/** Index names aside, which indexes exist: `a,b` / `unique a` entries, sorted. */
export function indexSummary(shape: TableShape): string[] {
  return shape.indexes
    .map((index) => `${index.unique ? 'unique ' : ''}${index.columns.join(',')}`)
    .sort();
}
