// Project states for autodetector and writer tests: models defined in a registry of their own,
// so "before" and "after" can both have a `polls.Question`, and states compared field by field.
import type { FieldMap } from '../fields/types.js';
import type { ModelMeta } from '../meta.js';
import { defineModel, type ModelOptions } from '../model.js';
import type { AnyModel } from '../model-types.js';
import { ModelRegistry } from '../registry.js';
import { canonical } from '../migrations/autodetector-plan.js';
import { oneLine } from '../migrations/code-layout.js';
import { type DbImport, valueCode } from '../migrations/code-values.js';
import { descriptionKey } from '../migrations/field-description.js';
import type { Operation } from '../migrations/operations/operation.js';
import { ProjectState } from '../migrations/state.js';

export type Definition = readonly [
  label: string,
  fields: FieldMap,
  options?: ModelOptions<AnyModel>,
];

/** The metas of models defined (and resolved) in a fresh registry. */
export function liveModels(...definitions: Definition[]): ModelMeta[] {
  const registry = new ModelRegistry();
  for (const [label, fields, options] of definitions) {
    defineModel(label, fields, options ?? {}, { registry, autoCreated: false });
  }
  registry.resolve();
  return registry.metas();
}

export function stateOf(...definitions: Definition[]): ProjectState {
  return ProjectState.fromModels(liveModels(...definitions));
}

/** `from` after every operation's state change. */
export function applied(from: ProjectState, operations: readonly Operation[]): ProjectState {
  const state = from.clone();
  for (const operation of operations) operation.stateForwards(state);
  return state;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A state as plain data, independent of field and option order, for `deepEqual`. */
export function normalized(state: ProjectState): unknown {
  return [...state.models.values()]
    .map((model) => ({
      label: model.label,
      table: model.table,
      fields: [...model.fields].map(([name, d]) => `${name} ${descriptionKey(d)}`).sort(byText),
      indexes: model.options.indexes.map(canonical).sort(byText),
      uniqueTogether: model.options.uniqueTogether.map(canonical).sort(byText),
      constraints: model.options.constraints.map(canonical).sort(byText),
    }))
    .sort((a, b) => byText(a.label, b.label));
}

/** An operation as the one-line call a migration file would hold. */
export function callText(operation: Operation): string {
  const { name, args } = operation.toCall();
  const context = { imports: new Set<DbImport>(), where: name };
  return `${name}(${args.map((arg) => oneLine(valueCode(arg, context))).join(', ')})`;
}
