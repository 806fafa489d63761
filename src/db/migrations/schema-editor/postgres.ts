// PostgreSQL: transactional DDL, in-place column changes, foreign keys deferred to commit.
import { currentTransaction } from '../../connection/index.js';
import type { Field } from '../../fields/field.js';
import { columnSqlType } from '../../schema-types.js';
import { BaseSchemaEditor, type ForeignKeyInfo, type IndexInfo } from './base.js';
import { defaultSql } from './sql-text.js';

export class PostgresSchemaEditor extends BaseSchemaEditor {
  /**
   * PostgreSQL refuses to alter, drop or index a table with deferred key checks still pending
   * (rows a data migration wrote earlier in the transaction): run those checks first.
   */
  override async execute(sqlText: string, params: readonly unknown[] = []): Promise<void> {
    const pending =
      !this.collectOnly &&
      /^(ALTER|DROP|CREATE)\b/i.test(sqlText) &&
      currentTransaction(this.db) !== undefined;
    if (pending) await this.db.raw('SET CONSTRAINTS ALL IMMEDIATE');
    await super.execute(sqlText, params);
    if (pending) await this.db.raw('SET CONSTRAINTS ALL DEFERRED');
  }

  protected dropForeignKeySql(table: string, name: string): string[] {
    // Pending deferred checks on the constraint would otherwise block dropping it in this transaction.
    return [
      `SET CONSTRAINTS ${this.q(name)} IMMEDIATE`,
      `ALTER TABLE ${this.q(table)} DROP CONSTRAINT ${this.q(name)}`,
    ];
  }

  protected override async dropTable(table: string, ifExists = false): Promise<void> {
    await this.execute(`DROP TABLE ${ifExists ? 'IF EXISTS ' : ''}${this.q(table)} CASCADE`);
  }

  protected alterColumnSql(
    table: string,
    old: Field,
    next: Field,
    changes: { readonly type: boolean; readonly nullable: boolean; readonly default: boolean },
  ): string[] {
    const column = `ALTER TABLE ${this.q(table)} ALTER COLUMN ${this.q(next.column)}`;
    const statements: string[] = [];
    // An old default may not cast to the new type: drop it first, set the new one after.
    const resetDefault = changes.default || (changes.type && old.hasDbDefault);
    if (resetDefault && old.hasDbDefault) statements.push(`${column} DROP DEFAULT`);
    if (changes.type) {
      const type = columnSqlType(next, 'postgres');
      statements.push(`${column} TYPE ${type} USING ${this.q(next.column)}::${type}`);
    }
    if (resetDefault && next.hasDbDefault) {
      statements.push(`${column} SET DEFAULT ${defaultSql(next, 'postgres')}`);
    }
    if (changes.nullable) statements.push(`${column} ${next.nullable ? 'DROP' : 'SET'} NOT NULL`);
    return statements;
  }

  protected async indexesOf(table: string): Promise<IndexInfo[]> {
    const rows = await this.db.raw<{
      name: string;
      unique: boolean;
      primary: boolean;
      columns: string[];
    }>(
      `SELECT i.relname AS name, ix.indisunique AS "unique", ix.indisprimary AS "primary",
         array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
               ORDER BY k.ord) AS columns
       FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
       WHERE ix.indrelid = to_regclass(quote_ident($1))
       ORDER BY i.relname`,
      [table],
    );
    return rows;
  }

  protected async foreignKeysOf(table: string): Promise<ForeignKeyInfo[]> {
    return this.db.raw<ForeignKeyInfo>(
      `SELECT c.conname AS name, a.attname AS "column"
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND c.conrelid = to_regclass(quote_ident($1))
       ORDER BY c.conname`,
      [table],
    );
  }
}
