// The change list's columns, from `listDisplay`: what each header says, what it sorts by, which
// foreign keys must be joined into the one query so that no cell queries on its own, and the
// cell of each row as plain data for the template (which escapes it).
import type { AnyModel, Field, ModelMeta, RelationField } from '../../db/index.js';
import { CarafeError } from '../../index.js';
import { isSafe } from '../../templates/index.js';
import type { ModelAdmin } from '../model-admin.js';
import type { ListColumn } from '../options.js';
import { read } from '../query-access.js';
import { capitalize, fieldLabel, modelTitle, words } from '../words.js';

export type Cell =
  | { readonly kind: 'empty' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'datetime'; readonly value: Date }
  | { readonly kind: 'text'; readonly value: unknown };

export interface Column {
  readonly label: string;
  /** The path to order by, when the header sorts. */
  readonly orderBy: string | undefined;
  /** A foreign key to join so the cell needs no query of its own. */
  readonly select: string | undefined;
  cell(row: object): Cell;
}

const empty: Cell = { kind: 'empty' };

/** A value as a cell: booleans as icons, dates kept for the template's `date` filter. */
export function cellFor(value: unknown, field?: Field): Cell {
  if (value === null || value === undefined || value === '') return empty;
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (value instanceof Date) return { kind: 'datetime', value };
  if (isSafe(value)) return { kind: 'text', value };
  const choice = field?.choices?.find(([candidate]) => candidate === value);
  if (choice !== undefined) return { kind: 'text', value: choice[1] };
  return { kind: 'text', value: String(value) };
}

function isRelation(field: Field): field is RelationField {
  return field.isRelation;
}

function fieldColumn(meta: ModelMeta, path: string): Column {
  const [head = '', tail] = path.split('.');
  const field = meta.fieldByName.get(head)!;
  if (tail !== undefined && isRelation(field)) {
    field.resolve();
    const target = field.target.fieldByName.get(tail);
    if (target === undefined) {
      throw new CarafeError(
        'CARAFE_ADMIN_OPTION',
        `admin.register(${meta.label}): listDisplay: ${field.target.label} has no field "${tail}" (in "${path}").`,
      );
    }
    return {
      label: `${fieldLabel(field)} ${words(target.name)}`,
      orderBy: path,
      select: head,
      cell(row) {
        const related = read(row, head);
        return related === null ? empty : cellFor(read(related as object, target.attname), target);
      },
    };
  }
  if (isRelation(field) && field.name === head) {
    return {
      label: fieldLabel(field),
      orderBy: head,
      select: head,
      cell: (row) => cellFor(read(row, head) ?? null),
    };
  }
  return {
    label: fieldLabel(field),
    orderBy: head,
    select: undefined,
    cell: (row) => cellFor(read(row, field.attname), field),
  };
}

function computedColumn(item: ListColumn<AnyModel>): Column {
  return {
    label: item.label,
    orderBy: item.orderBy === undefined ? undefined : String(item.orderBy),
    select: undefined,
    cell(row) {
      const value = item.value(row as never);
      return item.boolean === true ? { kind: 'boolean', value: Boolean(value) } : cellFor(value);
    },
  };
}

const built = new WeakMap<ModelAdmin, Column[]>();

export function columnsOf(admin: ModelAdmin): Column[] {
  let columns = built.get(admin);
  if (columns !== undefined) return columns;
  const meta = admin.meta;
  columns = admin.listDisplay.map((item): Column => {
    if (typeof item === 'string') return fieldColumn(meta, item);
    if (typeof item === 'function') {
      return computedColumn({ label: capitalize(words(item.name || 'value')), value: item });
    }
    return computedColumn(item);
  });
  if (columns.length === 0) {
    columns = [
      {
        label: modelTitle(meta),
        orderBy: undefined,
        select: undefined,
        cell: (row) => ({ kind: 'text', value: String(row) }),
      },
    ];
  }
  built.set(admin, columns);
  return columns;
}
