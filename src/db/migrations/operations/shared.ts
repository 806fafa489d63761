// Pieces the operation families share: the option shapes migration files spell, their
// conversion to and from model-state options, and the edits a field rename or removal makes
// to the indexes and constraints that name the field.
import type { ConstraintSpec } from '../../meta.js';
import type { FieldDescription } from '../field-description.js';
import { columnOf, type ModelState, type ModelStateOptions, type ProjectState } from '../state.js';

/** An index as a migration writes it: always named. */
export interface IndexInput {
  readonly name: string;
  /** Field names; a leading `-` makes that column descending. */
  readonly fields: readonly string[];
  readonly unique?: boolean;
}

/** A constraint as a migration (and `model()` options) writes it. */
export type ConstraintInput =
  | { readonly name: string; readonly check: string | Readonly<Record<string, unknown>> }
  | { readonly name: string; readonly unique: readonly string[] };

export function constraintSpec(input: ConstraintInput): ConstraintSpec {
  return 'check' in input
    ? { kind: 'check', name: input.name, check: input.check }
    : { kind: 'unique', name: input.name, fields: input.unique };
}

export function constraintInput(spec: ConstraintSpec): ConstraintInput {
  return spec.kind === 'check'
    ? { name: spec.name, check: spec.check }
    : { name: spec.name, unique: spec.fields };
}

export function indexInput(index: ModelStateOptions['indexes'][number]): IndexInput {
  return {
    name: index.name,
    fields: index.fields,
    ...(index.unique === true && { unique: true }),
  };
}

/** A copy of `state` with some parts replaced. */
export function withChanges(
  state: ModelState,
  changes: {
    readonly label?: string;
    readonly table?: string;
    readonly fields?: ReadonlyMap<string, FieldDescription>;
    readonly options?: Partial<ModelStateOptions>;
  },
): ModelState {
  return {
    label: changes.label ?? state.label,
    table: changes.table ?? state.table,
    fields: changes.fields ?? state.fields,
    options: { ...state.options, ...changes.options },
  };
}

const bare = (name: string): string => name.replace(/^-/, '');

function renameIn(name: string, from: string, to: string): string {
  if (bare(name) !== from) return name;
  return name.startsWith('-') ? `-${to}` : to;
}

const wholeWord = (word: string): RegExp =>
  new RegExp(
    `(^|[^A-Za-z0-9_])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[^A-Za-z0-9_]|$)`,
    'g',
  );

/** Renamed columns of a field: SQL text checks name the column, filter objects the field. */
export interface ColumnChange {
  readonly from: string;
  readonly to: string;
}

function renameInCheck(
  check: string | Readonly<Record<string, unknown>>,
  from: string,
  to: string,
  column: ColumnChange | undefined,
): string | Readonly<Record<string, unknown>> {
  if (typeof check === 'string') {
    if (column === undefined || column.from === column.to) return check;
    return check.replace(wholeWord(column.from), `$1${column.to}`);
  }
  return Object.fromEntries(
    Object.entries(check).map(([key, value]) => [key === from ? to : key, value]),
  );
}

/** Options with every mention of field `from` renamed to `to` (its column `column.from` to `column.to`). */
export function renameFieldInOptions(
  options: ModelStateOptions,
  from: string,
  to: string,
  column?: ColumnChange,
): ModelStateOptions {
  return {
    indexes: options.indexes.map((index) => ({
      ...index,
      fields: index.fields.map((name) => renameIn(name, from, to)),
    })),
    uniqueTogether: options.uniqueTogether.map((group) =>
      group.map((name) => renameIn(name, from, to)),
    ),
    constraints: options.constraints.map((constraint) =>
      constraint.kind === 'unique'
        ? { ...constraint, fields: constraint.fields.map((name) => renameIn(name, from, to)) }
        : { ...constraint, check: renameInCheck(constraint.check, from, to, column) },
    ),
  };
}

/** Whether a check constraint depends on field `name` (stored in `column`). */
export function checkMentions(
  check: string | Readonly<Record<string, unknown>>,
  name: string,
  column: string,
): boolean {
  if (typeof check !== 'string') return Object.hasOwn(check, name);
  // SQL text is opaque; a whole-word mention of the column is what the database sees too.
  return wholeWord(column).test(check);
}

/**
 * Options without the indexes, unique groups and constraints that involve field `name`: the
 * database drops them with the column (PostgreSQL) or would quietly shrink them (MySQL), so a
 * removed field takes them along everywhere.
 */
export function dropFieldFromOptions(state: ModelState, name: string): ModelStateOptions {
  const description = state.fields.get(name);
  const column = description === undefined ? name : columnOf(name, description);
  const { options } = state;
  return {
    indexes: options.indexes.filter((index) => !index.fields.some((field) => bare(field) === name)),
    uniqueTogether: options.uniqueTogether.filter((group) => !group.includes(name)),
    constraints: options.constraints.filter((constraint) =>
      constraint.kind === 'unique'
        ? !constraint.fields.includes(name)
        : !checkMentions(constraint.check, name, column),
    ),
  };
}

/** Replaces the description of field `name` in `label`'s state. */
export function putField(
  project: ProjectState,
  label: string,
  name: string,
  description: FieldDescription,
): void {
  const state = project.model(label);
  const fields = new Map(state.fields);
  fields.set(name, description);
  project.put(withChanges(state, { fields }));
}

/** The tables of a state's models: what the database has while the state is current. */
export function tablesOf(state: ProjectState): ReadonlySet<string> {
  return new Set([...state.models.values()].map((model) => model.table));
}
