// What a rendered model asks of its table besides columns: indexes, unique groups and checks,
// each with a key, so two renderings of a model can be compared to see what to drop and add.
import type { Dialect } from '../../connection/index.js';
import type { Field } from '../../fields/field.js';
import type { RelationField } from '../../fields/relation.js';
import type { ModelMeta } from '../../meta.js';
import { checkSql, constraintName } from './sql-text.js';

export interface IndexDef {
  readonly kind: 'index';
  readonly name: string;
  /** The name is made from the table and columns (not chosen by the developer). */
  readonly computed: boolean;
  /** Column names; `desc` marks descending ones. */
  readonly columns: readonly { readonly column: string; readonly desc: boolean }[];
  readonly unique: boolean;
}

export interface UniqueDef {
  readonly kind: 'unique';
  readonly name: string;
  readonly computed: boolean;
  readonly columns: readonly string[];
}

export interface CheckDef {
  readonly kind: 'check';
  readonly name: string;
  readonly sql: string;
}

export type TableDef = IndexDef | UniqueDef | CheckDef;

/** A field that gets an index of its own: `index: true`, or a foreign key (not already unique). */
export function hasOwnIndex(field: Field): boolean {
  return !field.unique && !field.primaryKey && (field.index || field.isRelation);
}

export function indexDefs(meta: ModelMeta): IndexDef[] {
  const defs: IndexDef[] = [];
  for (const field of meta.concreteFields) {
    if (!hasOwnIndex(field)) continue;
    const columns = [{ column: field.column, desc: false }];
    defs.push({
      kind: 'index',
      name: constraintName(meta.table, [field.column], 'idx'),
      computed: true,
      columns,
      unique: false,
    });
  }
  for (const index of meta.indexes) {
    const columns = index.fields.map((name) => ({
      column: meta.fieldByName.get(name.replace(/^-/, ''))!.column,
      desc: name.startsWith('-'),
    }));
    defs.push({
      kind: 'index',
      name:
        index.name ??
        constraintName(
          meta.table,
          columns.map((c) => c.column),
          'idx',
        ),
      computed: index.name === undefined,
      columns,
      unique: index.unique === true,
    });
  }
  return defs;
}

export function uniqueDefs(meta: ModelMeta): UniqueDef[] {
  const column = (name: string) => meta.fieldByName.get(name)!.column;
  const defs: UniqueDef[] = meta.uniqueTogether.map((names) => {
    const columns = names.map(column);
    return {
      kind: 'unique',
      name: constraintName(meta.table, columns, 'uniq'),
      computed: true,
      columns,
    };
  });
  for (const constraint of meta.constraints) {
    if (constraint.kind !== 'unique') continue;
    const columns = constraint.fields.map(column);
    defs.push({
      kind: 'unique',
      name: constraint.name,
      computed: false,
      columns,
    });
  }
  return defs;
}

export function checkDefs(meta: ModelMeta, dialect: Dialect): CheckDef[] {
  const defs: CheckDef[] = [];
  for (const constraint of meta.constraints) {
    if (constraint.kind !== 'check') continue;
    const sql = checkSql(meta, constraint, dialect);
    defs.push({ kind: 'check', name: constraint.name, sql });
  }
  return defs;
}

/** Every index, unique group and check of the model's table. */
export function tableDefs(meta: ModelMeta, dialect: Dialect): TableDef[] {
  return [...uniqueDefs(meta), ...checkDefs(meta, dialect), ...indexDefs(meta)];
}

/** A column renamed by the change being compared: definitions on it count as unchanged. */
export interface ColumnRename {
  readonly from: string;
  readonly to: string;
}

/**
 * What makes a definition the same as another: computed names follow the table and columns,
 * so only chosen names count; columns are taken after `rename`.
 */
function defKey(def: TableDef, rename?: ColumnRename): string {
  if (def.kind === 'check') return `check|${def.name}|${def.sql}`;
  const name = def.computed ? '' : def.name;
  const column = (c: string) => (rename !== undefined && c === rename.from ? rename.to : c);
  if (def.kind === 'unique') return `unique|${name}|${def.columns.map(column).join(',')}`;
  const columns = def.columns.map((c) => `${column(c.column)}${c.desc ? ' desc' : ''}`).join(',');
  return `index|${name}|${def.unique ? 'unique ' : ''}${columns}`;
}

/** The definitions of `from` that `to` lacks; `rename` is applied to `from`'s columns first. */
export function missingFrom(
  from: readonly TableDef[],
  to: readonly TableDef[],
  rename?: ColumnRename,
): TableDef[] {
  const keys = new Set(to.map((def) => defKey(def)));
  return from.filter((def) => !keys.has(defKey(def, rename)));
}

/** The definitions of `to` that `from` lacks, `from`'s columns taken after `rename`. */
export function addedTo(
  from: readonly TableDef[],
  to: readonly TableDef[],
  rename?: ColumnRename,
): TableDef[] {
  const keys = new Set(from.map((def) => defKey(def, rename)));
  return to.filter((def) => !keys.has(defKey(def)));
}

/** The automatic join model of a many-to-many field, or `undefined` for an explicit `through`. */
export function autoJoin(field: RelationField): ModelMeta | undefined {
  const through = field.through;
  return through?.autoCreated ? through : undefined;
}
