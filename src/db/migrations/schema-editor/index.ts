// The schema editor for a database's dialect.
import type { Database } from '../../connection/index.js';
import type { BaseSchemaEditor } from './base.js';
import { MysqlSchemaEditor } from './mysql.js';
import { PostgresSchemaEditor } from './postgres.js';
import { SqliteSchemaEditor } from './sqlite.js';

export type { RunOptions } from './base.js';
export type { NamedIndex, SchemaEditor } from './editor.js';
export type { BaseSchemaEditor };

export interface SchemaEditorOptions {
  /** Record the statements (`editor.statements`) instead of running them: `sqlmigrate`. */
  readonly collect?: boolean;
}

/**
 * A schema editor for `db`. Run a migration's operations inside `editor.run(fn)`: it wraps
 * them in a transaction (unless `{ atomic: false }`), adds the deferred foreign keys at the end
 * and, on SQLite, turns key enforcement off around the transaction and checks the keys before
 * committing. Call it outside `atomic()` so SQLite can switch enforcement off for rebuilds.
 */
export function createSchemaEditor(
  db: Database,
  options: SchemaEditorOptions = {},
): BaseSchemaEditor {
  const collect = options.collect === true;
  switch (db.dialect) {
    case 'sqlite':
      return new SqliteSchemaEditor(db, collect);
    case 'postgres':
      return new PostgresSchemaEditor(db, collect);
    case 'mysql':
      return new MysqlSchemaEditor(db, collect);
  }
}
