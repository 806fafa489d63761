// MariaDB/MySQL: DDL is not transactional; a column changes by restating it whole (MODIFY).
import type { Field } from '../../fields/field.js';
import { BaseSchemaEditor, type ForeignKeyInfo, type IndexInfo } from './base.js';
import { fieldLiteral } from './sql-text.js';

export class MysqlSchemaEditor extends BaseSchemaEditor {
  protected override tableSuffix(): string {
    // Binary collation: = and LIKE compare case-sensitively, as on PostgreSQL and SQLite.
    return ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';
  }

  protected override renameTableSql(from: string, to: string): string {
    return `RENAME TABLE ${this.q(from)} TO ${this.q(to)}`;
  }

  protected override dropIndexSql(table: string, name: string): string {
    return `DROP INDEX ${this.q(name)} ON ${this.q(table)}`;
  }

  protected override dropConstraintSql(
    table: string,
    name: string,
    kind: 'unique' | 'check',
  ): string {
    return kind === 'unique'
      ? `ALTER TABLE ${this.q(table)} DROP INDEX ${this.q(name)}`
      : `ALTER TABLE ${this.q(table)} DROP CONSTRAINT ${this.q(name)}`;
  }

  protected override uniqueName(_table: string, column: string): string {
    return column;
  }

  protected dropForeignKeySql(table: string, name: string): string[] {
    return [`ALTER TABLE ${this.q(table)} DROP FOREIGN KEY ${this.q(name)}`];
  }

  #modify(table: string, field: Field): string {
    return `ALTER TABLE ${this.q(table)} MODIFY ${this.columnSql(field, { unique: false, primaryKey: false })}`;
  }

  protected alterColumnSql(
    table: string,
    _old: Field,
    next: Field,
    changes: { readonly type: boolean; readonly nullable: boolean; readonly default: boolean },
  ): string[] {
    return changes.type || changes.nullable || changes.default ? [this.#modify(table, next)] : [];
  }

  protected override async addColumn(table: string, field: Field, fill: unknown): Promise<void> {
    if (fill === undefined) {
      await super.addColumn(table, field, fill);
      return;
    }
    const definition = this.columnSql(field, { defaultSql: fieldLiteral(field, fill, 'mysql') });
    await this.execute(`ALTER TABLE ${this.q(table)} ADD COLUMN ${definition}`);
    await this.execute(this.#modify(table, field));
  }

  /** MySQL cannot drop a table other tables' foreign keys point at: drop those keys first. */
  protected override async dropTable(table: string, ifExists = false): Promise<void> {
    const keys = await this.db.raw<{ table_name: string; name: string }>(
      `SELECT DISTINCT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name
       FROM information_schema.KEY_COLUMN_USAGE
       WHERE REFERENCED_TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME = ? AND TABLE_NAME <> ?`,
      [table, table],
    );
    for (const key of keys) {
      for (const statement of this.dropForeignKeySql(key.table_name, key.name))
        await this.execute(statement);
    }
    await super.dropTable(table, ifExists);
  }

  protected async indexesOf(table: string): Promise<IndexInfo[]> {
    const rows = await this.db.raw<{ name: string; non_unique: number | string; col: string }>(
      `SELECT INDEX_NAME AS name, NON_UNIQUE AS non_unique, COLUMN_NAME AS col
       FROM information_schema.STATISTICS
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
       ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
      [table],
    );
    const byName = new Map<
      string,
      { name: string; columns: string[]; unique: boolean; primary: boolean }
    >();
    for (const row of rows) {
      let index = byName.get(row.name);
      if (index === undefined) {
        index = {
          name: row.name,
          columns: [],
          unique: Number(row.non_unique) === 0,
          primary: row.name === 'PRIMARY',
        };
        byName.set(row.name, index);
      }
      index.columns.push(row.col);
    }
    return [...byName.values()];
  }

  protected async foreignKeysOf(table: string): Promise<ForeignKeyInfo[]> {
    return this.db.raw<ForeignKeyInfo>(
      `SELECT CONSTRAINT_NAME AS name, COLUMN_NAME AS \`column\`
       FROM information_schema.KEY_COLUMN_USAGE
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY CONSTRAINT_NAME`,
      [table],
    );
  }
}
