// SQLite: what ALTER TABLE cannot do is done by rebuilding the table (Django's _remake_table):
// create the new shape, copy the rows, drop the old table, rename, recreate the indexes — with
// foreign key enforcement off, and PRAGMA foreign_key_check before the transaction commits.
import { CarafeError } from '../../../index.js';
import { currentTransaction } from '../../connection/index.js';
import type { Field } from '../../fields/field.js';
import type { ConstraintSpec, ModelMeta } from '../../meta.js';
import { isExpression } from '../../query/expressions.js';
import { describeField, descriptionKey } from '../field-description.js';
import { BaseSchemaEditor, type ForeignKeyInfo, type IndexInfo, type RunOptions } from './base.js';
import { addedTo, indexDefs, missingFrom, tableDefs } from './definitions.js';
import { fieldLiteral } from './sql-text.js';

interface RebuildChanges {
  /** New field name → the old field it takes its values from. */
  readonly renames?: ReadonlyMap<string, string>;
  /** New field name → a value for rows that have none (new column, or NULL in the old one). */
  readonly fills?: ReadonlyMap<string, unknown>;
}

/**
 * What a field means to the table, apart from its column name and own index. `onDelete` is
 * left out too: the ORM applies it, the table's key does not carry it.
 */
function shapeKey(field: Field): string {
  const {
    column: _column,
    index: _index,
    relatedName: _relatedName,
    onDelete: _onDelete,
    ...shape
  } = describeField(field);
  return descriptionKey(shape);
}

export class SqliteSchemaEditor extends BaseSchemaEditor {
  /** Whether key checks were off while this editor changed things: check them before commit. */
  #unchecked = false;

  override async run<T>(fn: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    // The pragma is a no-op inside a transaction, so it is switched outside of it.
    const switchKeys = !this.collectOnly && currentTransaction(this.db) === undefined;
    if (switchKeys) {
      await this.db.raw('PRAGMA foreign_keys = OFF');
      this.#unchecked = options.checkForeignKeys !== false;
    }
    try {
      return await super.run(fn, options);
    } finally {
      if (switchKeys) await this.db.raw('PRAGMA foreign_keys = ON');
    }
  }

  override async finish(): Promise<void> {
    await super.finish();
    if (this.#unchecked && !this.collectOnly) await this.#checkForeignKeys();
  }

  async #checkForeignKeys(): Promise<void> {
    const rows = await this.db.raw<{ table: string; rowid: number | null; parent: string }>(
      'PRAGMA foreign_key_check',
    );
    if (rows.length === 0) return;
    const examples = rows
      .slice(0, 5)
      .map((row) => `${row.table} row ${row.rowid ?? '?'} → ${row.parent}`)
      .join(', ');
    throw new CarafeError(
      'CARAFE_MIGRATION_FOREIGN_KEY_CHECK',
      `The migration would leave ${rows.length} row(s) pointing at rows that do not exist (${examples}); ` +
        'nothing was committed. Fix or delete those rows first (op.runCode() in an earlier migration), or make the change in steps.',
    );
  }

  async #requireKeysOff(table: string): Promise<void> {
    if (this.collectOnly) return;
    const [row] = await this.db.raw<{ foreign_keys: number }>('PRAGMA foreign_keys');
    if (row !== undefined && Number(row.foreign_keys) === 1) {
      throw new CarafeError(
        'CARAFE_MIGRATION_SQLITE_FOREIGN_KEYS',
        `Rebuilding table "${table}" on SQLite needs foreign key enforcement off, which SQLite only allows ` +
          'outside a transaction. Run the schema editor with editor.run() outside atomic().',
      );
    }
    this.#unchecked = true;
  }

  /** Django's _remake_table: the table in its `after` shape with the rows of its `before` shape. */
  protected async rebuild(
    before: ModelMeta,
    after: ModelMeta,
    changes: RebuildChanges = {},
  ): Promise<void> {
    await this.#requireKeysOff(before.table);
    const table = after.table;
    const temporary = `new__${table}`;
    await this.execute(this.createTableSql(after, temporary));
    const targets: string[] = [];
    const sources: string[] = [];
    for (const field of after.concreteFields) {
      const old = before.fieldByName.get(changes.renames?.get(field.name) ?? field.name);
      const fill = changes.fills?.get(field.name);
      const fillSql = fill === undefined ? undefined : fieldLiteral(field, fill, 'sqlite');
      if (old?.concrete) {
        targets.push(this.q(field.column));
        const column = this.q(old.column);
        sources.push(fillSql === undefined ? column : `COALESCE(${column}, ${fillSql})`);
      } else if (fillSql !== undefined) {
        targets.push(this.q(field.column));
        sources.push(fillSql);
      }
    }
    await this.execute(
      `INSERT INTO ${this.q(temporary)} (${targets.join(', ')}) SELECT ${sources.join(', ')} FROM ${this.q(before.table)}`,
    );
    await this.execute(`DROP TABLE ${this.q(before.table)}`);
    await this.execute(this.renameTableSql(temporary, table));
    for (const def of indexDefs(after)) await this.execute(this.createIndexSql(table, def));
  }

  protected dropForeignKeySql(): string[] {
    // Foreign keys are part of the column definition; only a rebuild removes them.
    return [];
  }

  protected alterColumnSql(): string[] {
    return [];
  }

  override async addField(
    before: ModelMeta,
    after: ModelMeta,
    name: string,
    fill?: unknown,
  ): Promise<void> {
    const field = after.fieldByName.get(name)!;
    if (!field.concrete) return super.addField(before, after, name, fill);
    const constantDefault = !field.hasDbDefault || !isExpression(field.dbDefault);
    const fresh = addedTo(tableDefs(before, 'sqlite'), tableDefs(after, 'sqlite'));
    const inPlace =
      fill === undefined &&
      !field.primaryKey &&
      !field.unique &&
      (field.nullable || (field.hasDbDefault && constantDefault && !field.isRelation)) &&
      fresh.every((def) => def.kind === 'index');
    if (!inPlace) {
      await this.rebuild(
        before,
        after,
        fill === undefined ? {} : { fills: new Map([[name, fill]]) },
      );
      return;
    }
    const definition = this.columnSql(field, { inlineReference: true });
    await this.execute(`ALTER TABLE ${this.q(after.table)} ADD COLUMN ${definition}`);
    for (const def of fresh) await this.addDef(after.table, def);
  }

  override async removeField(before: ModelMeta, after: ModelMeta, name: string): Promise<void> {
    const field = before.fieldByName.get(name)!;
    if (!field.concrete) return super.removeField(before, after, name);
    const stale = missingFrom(tableDefs(before, 'sqlite'), tableDefs(after, 'sqlite'));
    const inPlace =
      !field.primaryKey &&
      !field.unique &&
      !field.isRelation &&
      stale.every((def) => def.kind === 'index');
    if (!inPlace) {
      await this.rebuild(before, after);
      return;
    }
    for (const def of stale) await this.dropDef(before.table, def);
    await this.execute(`ALTER TABLE ${this.q(before.table)} DROP COLUMN ${this.q(field.column)}`);
  }

  override async alterField(
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
    const rename = old.column === next.column ? undefined : { from: old.column, to: next.column };
    const beforeDefs = tableDefs(before, 'sqlite');
    const afterDefs = tableDefs(after, 'sqlite');
    const stale = missingFrom(beforeDefs, afterDefs, rename);
    const fresh = addedTo(beforeDefs, afterDefs, rename);
    const inPlace =
      fill === undefined &&
      shapeKey(old) === shapeKey(next) &&
      [...stale, ...fresh].every((def) => def.kind === 'index');
    if (inPlace) {
      for (const def of stale) await this.dropDef(before.table, def);
      if (old.column !== next.column) await this.renameColumn(after.table, old.column, next.column);
      for (const def of fresh) await this.addDef(after.table, def);
      return;
    }
    await this.rebuild(before, after, {
      renames: new Map([[newName, oldName]]),
      ...(fill !== undefined && { fills: new Map([[newName, fill]]) }),
    });
  }

  override async addConstraint(
    before: ModelMeta,
    after: ModelMeta,
    _constraint: ConstraintSpec,
  ): Promise<void> {
    await this.rebuild(before, after);
  }

  override async removeConstraint(
    before: ModelMeta,
    after: ModelMeta,
    _constraint: ConstraintSpec,
  ): Promise<void> {
    await this.rebuild(before, after);
  }

  override async alterUniqueTogether(before: ModelMeta, after: ModelMeta): Promise<void> {
    await this.rebuild(before, after);
  }

  protected async indexesOf(table: string): Promise<IndexInfo[]> {
    const rows = await this.db.raw<{ name: string; unique: number; origin: string; col: string }>(
      `SELECT il.name AS name, il."unique" AS "unique", il.origin AS origin, ii.name AS col
       FROM pragma_index_list(?) AS il JOIN pragma_index_info(il.name) AS ii
       ORDER BY il.name, ii.seqno`,
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
          unique: Number(row.unique) === 1,
          primary: row.origin !== 'c',
        };
        byName.set(row.name, index);
      }
      index.columns.push(row.col);
    }
    return [...byName.values()];
  }

  protected async foreignKeysOf(): Promise<ForeignKeyInfo[]> {
    return [];
  }
}
