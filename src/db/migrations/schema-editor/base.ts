// The dialect-independent half of the schema editor: statement collection, deferred foreign keys,
// and the Django-style algorithms for altering a table in place on servers that can (PostgreSQL
// and MariaDB/MySQL). SQLite overrides what it cannot do in place with a table rebuild.
import { CarafeError } from '../../../index.js';
import type { Database, Dialect } from '../../connection/index.js';
import type { Field } from '../../fields/field.js';
import type { RelationField } from '../../fields/relation.js';
import type { ConstraintSpec, ModelMeta } from '../../meta.js';
import { columnSqlType } from '../../schema-types.js';
import { throughKeys } from '../../through.js';
import { atomic } from '../../transaction.js';
import {
  addedTo,
  autoJoin,
  type ColumnRename,
  checkDefs,
  hasOwnIndex,
  type IndexDef,
  indexDefs,
  missingFrom,
  type TableDef,
  tableDefs,
  uniqueDefs,
} from './definitions.js';
import type { NamedIndex, SchemaEditor } from './editor.js';
import { constraintName, defaultSql, fieldLiteral, quoteName } from './sql-text.js';

/** An index (or the index behind a unique or primary key constraint) as the database reports it. */
export interface IndexInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly primary: boolean;
}

export interface ForeignKeyInfo {
  readonly name: string;
  readonly column: string;
}

/** A foreign key constraint to add once the migration's tables all exist (Django's deferred SQL). */
interface DeferredForeignKey {
  table: string;
  column: string;
  targetTable: string;
  targetColumn: string;
}

export interface ColumnOptions {
  /** SQLite: the REFERENCES clause goes inside the column. */
  readonly inlineReference?: boolean;
  /** False when the unique constraint exists already (MODIFY on MySQL). */
  readonly unique?: boolean;
  /** False when the primary key exists already (MODIFY on MySQL). */
  readonly primaryKey?: boolean;
  /** A default other than the field's: SQL text, or `null` for none. */
  readonly defaultSql?: string | null;
}

export interface RunOptions {
  /** Run everything in one transaction (the default); `false` for migrations with `atomic: false`. */
  readonly atomic?: boolean;
  /** SQLite: run PRAGMA foreign_key_check before committing (the default). */
  readonly checkForeignKeys?: boolean;
}

export function unsupported(message: string): CarafeError {
  return new CarafeError('CARAFE_MIGRATION_UNSUPPORTED', message);
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((column, index) => column === b[index]);
}

export abstract class BaseSchemaEditor implements SchemaEditor {
  readonly db: Database;
  readonly collectOnly: boolean;
  readonly statements: string[] = [];
  protected deferred: DeferredForeignKey[] = [];
  /** Tables this editor created: foreign keys to them need not wait. */
  readonly #created = new Set<string>();

  constructor(db: Database, collectOnly: boolean) {
    this.db = db;
    this.collectOnly = collectOnly;
  }

  get dialect(): Dialect {
    return this.db.dialect;
  }

  protected q(name: string): string {
    return quoteName(name, this.dialect);
  }

  async execute(sqlText: string, params: readonly unknown[] = []): Promise<void> {
    this.statements.push(params.length === 0 ? sqlText : `${sqlText} -- ${JSON.stringify(params)}`);
    if (!this.collectOnly) await this.db.raw(sqlText, params);
  }

  note(text: string): void {
    if (this.collectOnly) this.statements.push(`-- ${text}`);
  }

  /**
   * Runs `fn` (the operations of one migration) with this editor, then the deferred foreign
   * keys, in one transaction unless `atomic: false`. In collect mode nothing runs: the
   * statements end up in `statements`.
   */
  async run<T>(fn: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    const body = async (): Promise<T> => {
      const result = await fn();
      await this.finish();
      return result;
    };
    if (this.collectOnly || options.atomic === false) return body();
    return atomic(body, { using: this.db.name });
  }

  /** Adds the foreign keys still waiting for a table; `run()` calls it, other callers call it last. */
  async finish(): Promise<void> {
    const pending = this.deferred;
    this.deferred = [];
    for (const key of pending)
      await this.addForeignKey(key.table, key.column, key.targetTable, key.targetColumn);
  }

  // ── SQL text ────────────────────────────────────────────────────────────────────────────────

  protected columnSql(field: Field, options: ColumnOptions = {}): string {
    const parts = [this.q(field.column), columnSqlType(field, this.dialect)];
    if (field.primaryKey) {
      parts.push(...this.#primaryKeySql(field, options.primaryKey !== false));
    } else if (!field.nullable) {
      parts.push('NOT NULL');
    }
    const fallback = field.hasDbDefault ? defaultSql(field, this.dialect) : null;
    const given = options.defaultSql === undefined ? fallback : options.defaultSql;
    if (given !== null) parts.push(`DEFAULT ${given}`);
    if (field.unique && !field.primaryKey && options.unique !== false) parts.push('UNIQUE');
    if (this.dialect === 'mysql' && field.family === 'json') {
      parts.push(`CHECK (json_valid(${this.q(field.column)}))`);
    }
    if (options.inlineReference === true && field.isRelation) {
      const target = (field as RelationField).target;
      parts.push(
        `REFERENCES ${this.q(target.table)} (${this.q(target.pk.column)}) DEFERRABLE INITIALLY DEFERRED`,
      );
    }
    return parts.join(' ');
  }

  /** What follows a primary key's type: identity or auto-increment, and the key unless it exists. */
  #primaryKeySql(field: Field, declare: boolean): string[] {
    const generated = field.generated;
    switch (this.dialect) {
      case 'postgres':
        return [
          ...(generated ? ['GENERATED BY DEFAULT AS IDENTITY'] : []),
          declare ? 'PRIMARY KEY' : 'NOT NULL',
        ];
      case 'mysql':
        return [
          'NOT NULL',
          ...(generated ? ['AUTO_INCREMENT'] : []),
          ...(declare ? ['PRIMARY KEY'] : []),
        ];
      case 'sqlite':
        if (!declare) return ['NOT NULL'];
        return [generated ? 'PRIMARY KEY AUTOINCREMENT' : 'PRIMARY KEY'];
    }
  }

  protected tableSuffix(): string {
    return '';
  }

  /** CREATE TABLE for `meta` (named `table`, for SQLite's rebuild), without its indexes. */
  protected createTableSql(meta: ModelMeta, table = meta.table): string {
    const inlineReference = this.dialect === 'sqlite';
    const parts = meta.concreteFields.map((field) => this.columnSql(field, { inlineReference }));
    for (const def of uniqueDefs(meta)) {
      parts.push(
        `CONSTRAINT ${this.q(def.name)} UNIQUE (${def.columns.map((c) => this.q(c)).join(', ')})`,
      );
    }
    for (const def of checkDefs(meta, this.dialect)) {
      parts.push(`CONSTRAINT ${this.q(def.name)} CHECK (${def.sql})`);
    }
    return `CREATE TABLE ${this.q(table)} (${parts.join(', ')})${this.tableSuffix()}`;
  }

  protected createIndexSql(table: string, def: IndexDef): string {
    const columns = def.columns
      .map((c) => `${this.q(c.column)}${c.desc ? ' DESC' : ''}`)
      .join(', ');
    return `CREATE ${def.unique ? 'UNIQUE ' : ''}INDEX ${this.q(def.name)} ON ${this.q(table)} (${columns})`;
  }

  protected renameTableSql(from: string, to: string): string {
    return `ALTER TABLE ${this.q(from)} RENAME TO ${this.q(to)}`;
  }

  protected renameColumnSql(table: string, from: string, to: string): string {
    return `ALTER TABLE ${this.q(table)} RENAME COLUMN ${this.q(from)} TO ${this.q(to)}`;
  }

  protected dropIndexSql(_table: string, name: string): string {
    return `DROP INDEX ${this.q(name)}`;
  }

  protected dropConstraintSql(table: string, name: string, _kind: 'unique' | 'check'): string {
    return `ALTER TABLE ${this.q(table)} DROP CONSTRAINT ${this.q(name)}`;
  }

  /** The name the database gives an unnamed UNIQUE column constraint. */
  protected uniqueName(table: string, column: string): string {
    return `${table}_${column}_key`;
  }

  protected abstract dropForeignKeySql(table: string, name: string): string[];

  /** Statements changing a column's type, nullability or default in place. */
  protected abstract alterColumnSql(
    table: string,
    old: Field,
    next: Field,
    changes: { readonly type: boolean; readonly nullable: boolean; readonly default: boolean },
  ): string[];

  // ── Introspection (read-only; used in collect mode too when the table exists) ──────────────

  protected abstract indexesOf(table: string): Promise<IndexInfo[]>;

  protected abstract foreignKeysOf(table: string): Promise<ForeignKeyInfo[]>;

  /** The real name of the index (or unique constraint) on exactly `columns`; `fallback` if none is found. */
  protected async indexName(
    table: string,
    columns: readonly string[],
    unique: boolean,
    fallback: string,
  ): Promise<string | undefined> {
    const found = (await this.indexesOf(table)).find(
      (index) => !index.primary && index.unique === unique && sameColumns(index.columns, columns),
    );
    if (found !== undefined) return found.name;
    return this.collectOnly ? fallback : undefined;
  }

  protected async foreignKeyNames(table: string, column: string): Promise<string[]> {
    const found = (await this.foreignKeysOf(table)).filter((key) => key.column === column);
    if (found.length > 0 || !this.collectOnly) return found.map((key) => key.name);
    return [constraintName(table, [column], 'fk')];
  }

  // ── Building blocks ─────────────────────────────────────────────────────────────────────────

  protected async addForeignKey(
    table: string,
    column: string,
    targetTable: string,
    targetColumn: string,
  ): Promise<void> {
    const name = constraintName(table, [column], 'fk');
    const deferrable = this.dialect === 'postgres' ? ' DEFERRABLE INITIALLY DEFERRED' : '';
    await this.execute(
      `ALTER TABLE ${this.q(table)} ADD CONSTRAINT ${this.q(name)} FOREIGN KEY (${this.q(column)}) ` +
        `REFERENCES ${this.q(targetTable)} (${this.q(targetColumn)})${deferrable}`,
    );
  }

  protected async dropForeignKeys(table: string, column: string): Promise<void> {
    for (const name of await this.foreignKeyNames(table, column)) {
      for (const statement of this.dropForeignKeySql(table, name)) await this.execute(statement);
    }
    this.deferred = this.deferred.filter((key) => key.table !== table || key.column !== column);
  }

  protected async dropDef(table: string, def: TableDef): Promise<void> {
    if (def.kind === 'check') {
      await this.execute(this.dropConstraintSql(table, def.name, 'check'));
      return;
    }
    const columns = def.kind === 'index' ? def.columns.map((c) => c.column) : def.columns;
    const unique = def.kind === 'unique' || def.unique;
    const name = def.computed ? await this.indexName(table, columns, unique, def.name) : def.name;
    if (name === undefined) return;
    await this.execute(
      def.kind === 'index'
        ? this.dropIndexSql(table, name)
        : this.dropConstraintSql(table, name, 'unique'),
    );
  }

  protected async addDef(table: string, def: TableDef): Promise<void> {
    if (def.kind === 'index') {
      await this.execute(this.createIndexSql(table, def));
    } else if (def.kind === 'unique') {
      const columns = def.columns.map((c) => this.q(c)).join(', ');
      await this.execute(
        `ALTER TABLE ${this.q(table)} ADD CONSTRAINT ${this.q(def.name)} UNIQUE (${columns})`,
      );
    } else {
      await this.execute(
        `ALTER TABLE ${this.q(table)} ADD CONSTRAINT ${this.q(def.name)} CHECK (${def.sql})`,
      );
    }
  }

  /** Drops what `before` has and `after` lacks (indexes, unique groups, checks). */
  protected async dropStaleDefs(
    before: ModelMeta,
    after: ModelMeta,
    rename?: ColumnRename,
  ): Promise<void> {
    const stale = missingFrom(
      tableDefs(before, this.dialect),
      tableDefs(after, this.dialect),
      rename,
    );
    for (const def of stale) await this.dropDef(before.table, def);
  }

  /** Adds what `after` has and `before` lacks. */
  protected async addNewDefs(
    before: ModelMeta,
    after: ModelMeta,
    rename?: ColumnRename,
  ): Promise<void> {
    const fresh = addedTo(tableDefs(before, this.dialect), tableDefs(after, this.dialect), rename);
    for (const def of fresh) await this.addDef(after.table, def);
  }

  protected async renameColumn(table: string, from: string, to: string): Promise<void> {
    await this.execute(this.renameColumnSql(table, from, to));
    for (const key of this.deferred) {
      if (key.table === table && key.column === from) key.column = to;
      if (key.targetTable === table && key.targetColumn === from) key.targetColumn = to;
    }
  }

  protected async renameTable(from: string, to: string): Promise<void> {
    await this.execute(this.renameTableSql(from, to));
    if (this.#created.delete(from)) this.#created.add(to);
    for (const key of this.deferred) {
      if (key.table === from) key.table = to;
      if (key.targetTable === from) key.targetTable = to;
    }
  }

  protected async dropTable(table: string, ifExists = false): Promise<void> {
    await this.execute(`DROP TABLE ${ifExists ? 'IF EXISTS ' : ''}${this.q(table)}`);
  }

  /** Brings an automatic join table in line with its field's new rendering (table and column names). */
  protected async alterJoin(oldField: RelationField, newField: RelationField): Promise<void> {
    const old = throughKeys(oldField);
    const next = throughKeys(newField);
    if (old.through.table !== next.through.table)
      await this.renameTable(old.through.table, next.through.table);
    for (const [from, to] of [
      [old.source, next.source],
      [old.target, next.target],
    ] as const) {
      if (from.column !== to.column)
        await this.renameColumn(next.through.table, from.column, to.column);
    }
  }

  // ── Operations ──────────────────────────────────────────────────────────────────────────────

  async createModel(meta: ModelMeta, existingTables?: ReadonlySet<string>): Promise<void> {
    await this.execute(this.createTableSql(meta));
    for (const def of indexDefs(meta)) await this.execute(this.createIndexSql(meta.table, def));
    this.#created.add(meta.table);
    if (this.dialect !== 'sqlite') {
      for (const field of meta.forwardRelations) {
        const key = {
          table: meta.table,
          column: field.column,
          targetTable: field.target.table,
          targetColumn: field.target.pk.column,
        };
        const ready =
          existingTables === undefined ||
          existingTables.has(key.targetTable) ||
          this.#created.has(key.targetTable);
        if (ready)
          await this.addForeignKey(key.table, key.column, key.targetTable, key.targetColumn);
        else this.deferred.push(key);
      }
      // Keys that were waiting for this table.
      const waiting = this.deferred.filter((key) => key.targetTable === meta.table);
      this.deferred = this.deferred.filter((key) => key.targetTable !== meta.table);
      for (const key of waiting)
        await this.addForeignKey(key.table, key.column, key.targetTable, key.targetColumn);
    }
    for (const field of meta.manyToMany) {
      const join = autoJoin(field);
      if (join !== undefined) await this.createModel(join, existingTables);
    }
  }

  /** `ifExists` (for `dropTables()`): no error for tables that are not there. */
  async deleteModel(meta: ModelMeta, options: { readonly ifExists?: boolean } = {}): Promise<void> {
    for (const field of meta.manyToMany) {
      const join = autoJoin(field);
      if (join !== undefined) await this.deleteModel(join, options);
    }
    await this.dropTable(meta.table, options.ifExists === true);
    this.deferred = this.deferred.filter(
      (key) => key.table !== meta.table && key.targetTable !== meta.table,
    );
  }

  async alterModelTable(before: ModelMeta, after: ModelMeta): Promise<void> {
    if (before.table !== after.table) await this.renameTable(before.table, after.table);
    for (const field of before.manyToMany) {
      const next = after.fieldByName.get(field.name);
      if (next === undefined || !next.isRelation || next.concrete) continue;
      if (autoJoin(field) !== undefined && autoJoin(next as RelationField) !== undefined) {
        await this.alterJoin(field, next as RelationField);
      }
    }
  }

  /** The column of `field` added to the table; `fill` goes into the existing rows. */
  protected async addColumn(table: string, field: Field, fill: unknown): Promise<void> {
    if (fill === undefined) {
      await this.execute(`ALTER TABLE ${this.q(table)} ADD COLUMN ${this.columnSql(field)}`);
      return;
    }
    // The fill is the column's default for as long as it takes to add it.
    const definition = this.columnSql(field, {
      defaultSql: fieldLiteral(field, fill, this.dialect),
    });
    await this.execute(`ALTER TABLE ${this.q(table)} ADD COLUMN ${definition}`);
    const column = `ALTER TABLE ${this.q(table)} ALTER COLUMN ${this.q(field.column)}`;
    await this.execute(
      field.hasDbDefault
        ? `${column} SET DEFAULT ${defaultSql(field, this.dialect)}`
        : `${column} DROP DEFAULT`,
    );
  }

  async addField(before: ModelMeta, after: ModelMeta, name: string, fill?: unknown): Promise<void> {
    const field = after.fieldByName.get(name)!;
    if (!field.concrete) {
      const join = autoJoin(field as RelationField);
      if (join !== undefined) await this.createModel(join);
      return;
    }
    await this.addColumn(after.table, field, fill);
    await this.addNewDefs(before, after);
    if (field.isRelation) {
      const target = (field as RelationField).target;
      await this.addForeignKey(after.table, field.column, target.table, target.pk.column);
    }
  }

  async removeField(before: ModelMeta, after: ModelMeta, name: string): Promise<void> {
    const field = before.fieldByName.get(name)!;
    if (!field.concrete) {
      const join = autoJoin(field as RelationField);
      if (join !== undefined) await this.deleteModel(join);
      return;
    }
    if (field.isRelation) await this.dropForeignKeys(before.table, field.column);
    await this.dropStaleDefs(before, after);
    await this.execute(`ALTER TABLE ${this.q(before.table)} DROP COLUMN ${this.q(field.column)}`);
  }

  /** Checks the parts of a field change every dialect refuses; returns whether both are many-to-many. */
  protected async alterManyToMany(old: Field, next: Field, label: string): Promise<boolean> {
    if (old.concrete && next.concrete) return false;
    if (old.concrete !== next.concrete) {
      throw unsupported(
        `${label}.${next.name}: a field cannot turn into or out of a many-to-many field in place; remove it and add a new one.`,
      );
    }
    const from = old as RelationField;
    const to = next as RelationField;
    if (from.target.label !== to.target.label && autoJoin(from) !== undefined) {
      throw unsupported(
        `${label}.${next.name}: a many-to-many field cannot change its target in place; remove it and add a new one.`,
      );
    }
    const fromJoin = autoJoin(from);
    const toJoin = autoJoin(to);
    if ((fromJoin === undefined) !== (toJoin === undefined)) {
      throw unsupported(
        `${label}.${next.name}: switching between an automatic join table and a through model is not supported; remove the field and add a new one.`,
      );
    }
    if (fromJoin !== undefined) await this.alterJoin(from, to);
    return true;
  }

  protected checkPrimaryKeyUnchanged(old: Field, next: Field, label: string): void {
    if (old.primaryKey !== next.primaryKey) {
      throw unsupported(
        `${label}.${next.name}: changing which field is the primary key is not supported by migrations; ` +
          'create a new model and copy the rows with op.runCode().',
      );
    }
  }

  async alterField(
    before: ModelMeta,
    after: ModelMeta,
    oldName: string,
    newName: string,
    fill?: unknown,
  ): Promise<void> {
    const old = before.fieldByName.get(oldName)!;
    const next = after.fieldByName.get(newName)!;
    if (await this.alterManyToMany(old, next, after.label)) return;
    this.checkPrimaryKeyUnchanged(old, next, after.label);
    const table = after.table;
    const oldType = columnSqlType(old, this.dialect);
    const newType = columnSqlType(next, this.dialect);
    const typeChanged = oldType !== newType;
    const oldTarget = old.isRelation ? (old as RelationField).target : undefined;
    const newTarget = next.isRelation ? (next as RelationField).target : undefined;
    const keyChanged =
      oldTarget !== undefined &&
      (newTarget === undefined ||
        oldTarget.table !== newTarget.table ||
        oldTarget.pk.column !== newTarget.pk.column ||
        typeChanged ||
        old.column !== next.column ||
        // MySQL refuses to drop the index a foreign key uses while the key exists.
        hasOwnIndex(old) !== hasOwnIndex(next));
    // Foreign keys pointing at a primary key whose type changes must follow it.
    const incoming =
      typeChanged && old.primaryKey ? before.incoming.filter((field) => field.concrete) : [];
    const rename = old.column === next.column ? undefined : { from: old.column, to: next.column };

    if (keyChanged) await this.dropForeignKeys(table, old.column);
    for (const field of incoming) await this.dropForeignKeys(field.model.table, field.column);
    await this.dropStaleDefs(before, after, rename);
    if (old.unique && !old.primaryKey && !(next.unique && !next.primaryKey)) {
      const name = await this.indexName(
        table,
        [old.column],
        true,
        this.uniqueName(table, old.column),
      );
      if (name !== undefined) await this.execute(this.dropConstraintSql(table, name, 'unique'));
    }
    if (old.column !== next.column) await this.renameColumn(table, old.column, next.column);
    if (!next.nullable && old.nullable && fill !== undefined) {
      await this.execute(
        `UPDATE ${this.q(table)} SET ${this.q(next.column)} = ${fieldLiteral(next, fill, this.dialect)} ` +
          `WHERE ${this.q(next.column)} IS NULL`,
      );
    }
    const changes = {
      type: typeChanged,
      nullable: old.nullable !== next.nullable,
      default:
        (old.hasDbDefault ? defaultSql(old, this.dialect) : null) !==
        (next.hasDbDefault ? defaultSql(next, this.dialect) : null),
    };
    for (const statement of this.alterColumnSql(table, old, next, changes))
      await this.execute(statement);
    if (next.unique && !next.primaryKey && !(old.unique && !old.primaryKey)) {
      const name = constraintName(table, [next.column], 'key');
      await this.execute(
        `ALTER TABLE ${this.q(table)} ADD CONSTRAINT ${this.q(name)} UNIQUE (${this.q(next.column)})`,
      );
    }
    await this.addNewDefs(before, after, rename);
    if (newTarget !== undefined && (keyChanged || oldTarget === undefined)) {
      await this.addForeignKey(table, next.column, newTarget.table, newTarget.pk.column);
    }
    for (const field of incoming) await this.followPrimaryKey(after, field);
  }

  /** Re-types a foreign key column after its target's primary key changed type, and re-adds the key. */
  protected async followPrimaryKey(after: ModelMeta, field: RelationField): Promise<void> {
    const current = after.registry.meta(field.model.label)?.fieldByName.get(field.name);
    if (current === undefined) return;
    const changes = { type: true, nullable: false, default: false };
    for (const statement of this.alterColumnSql(field.model.table, field, current, changes)) {
      await this.execute(statement);
    }
    await this.addForeignKey(field.model.table, current.column, after.table, after.pk.column);
  }

  async addIndex(_before: ModelMeta, after: ModelMeta, index: NamedIndex): Promise<void> {
    await this.addDef(after.table, this.#indexDef(after, index));
  }

  async removeIndex(before: ModelMeta, _after: ModelMeta, index: NamedIndex): Promise<void> {
    await this.dropDef(before.table, this.#indexDef(before, index));
  }

  #indexDef(meta: ModelMeta, index: NamedIndex): IndexDef {
    return indexDefs(meta).find((def) => !def.computed && def.name === index.name)!;
  }

  #constraintDef(meta: ModelMeta, constraint: ConstraintSpec): TableDef {
    const defs = constraint.kind === 'unique' ? uniqueDefs(meta) : checkDefs(meta, this.dialect);
    return defs.find((def) => def.name === constraint.name)!;
  }

  async addConstraint(
    _before: ModelMeta,
    after: ModelMeta,
    constraint: ConstraintSpec,
  ): Promise<void> {
    await this.addDef(after.table, this.#constraintDef(after, constraint));
  }

  async removeConstraint(
    before: ModelMeta,
    _after: ModelMeta,
    constraint: ConstraintSpec,
  ): Promise<void> {
    await this.dropDef(before.table, this.#constraintDef(before, constraint));
  }

  async alterUniqueTogether(before: ModelMeta, after: ModelMeta): Promise<void> {
    await this.dropStaleDefs(before, after);
    await this.addNewDefs(before, after);
  }
}
