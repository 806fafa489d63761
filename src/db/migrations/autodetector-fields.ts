// Changes inside a model that exists on both sides: renamed, removed, added and altered fields,
// and its indexes, constraints and unique groups.
import {
  canonical,
  type DetectorContext,
  fillFor,
  needsFill,
  relabel,
  Step,
} from './autodetector-plan.js';
import { descriptionKey, type FieldDescription } from './field-description.js';
import {
  AddConstraint,
  AddField,
  AddIndex,
  AlterField,
  AlterUniqueTogether,
  op,
} from './operations/index.js';
import { renameFieldInOptions } from './operations/shared.js';
import { columnOf, type ModelState, type ModelStateOptions } from './state.js';

/** A model on both sides: its old state (relations read through renamed models) and its new one. */
export type KeptModel = readonly [old: ModelState, current: ModelState];

/** Old field name → new field name, for one model. */
export type FieldRenames = Map<string, string>;

/**
 * Whether `current` can be `old` renamed: the same definition, or the same one pinned to the old
 * column (`column: 'text'` on the new field keeps the data where it was).
 */
function renameCandidate(
  oldName: string,
  old: FieldDescription,
  current: FieldDescription,
): 'same' | 'column' | undefined {
  if (descriptionKey(old) === descriptionKey(current)) return 'same';
  if (
    old.column === undefined &&
    current.column !== undefined &&
    current.column === columnOf(oldName, old) &&
    descriptionKey({ ...old, column: current.column }) === descriptionKey(current)
  ) {
    return 'column';
  }
  return undefined;
}

/** Asks about each removed field that an added field of the same model could be, renamed. */
export async function detectFieldRenames(
  context: DetectorContext,
  kept: readonly KeptModel[],
): Promise<Map<string, FieldRenames>> {
  const all = new Map<string, FieldRenames>();
  for (const [old, current] of kept) {
    const renames: FieldRenames = new Map();
    const label = current.label;
    const removed = [...old.fields.keys()].filter((name) => !current.fields.has(name));
    for (const [name, d] of current.fields) {
      if (old.fields.has(name)) continue;
      for (const oldName of removed) {
        if (renames.has(oldName)) continue;
        const oldD = relabel(old.fields.get(oldName)!, context.renamedModels);
        const kind = renameCandidate(oldName, oldD, d);
        if (kind === undefined) continue;
        if (!(await context.questioner.askRenameField(label, oldName, name, d))) continue;
        renames.set(oldName, name);
        context.plan.add(Step.renameField, label, op.renameField(label, oldName, name));
        if (kind === 'column')
          context.plan.add(Step.renameField, label, new AlterField(label, name, d));
        break;
      }
    }
    all.set(label, renames);
  }
  return all;
}

/** A many-to-many cannot become a column (or the reverse), nor change its join table in place. */
function mustReplace(old: FieldDescription, current: FieldDescription): boolean {
  const oldM2m = old.kind === 'manyToMany';
  if (oldM2m !== (current.kind === 'manyToMany')) return true;
  return oldM2m && (old.to !== current.to || old.through !== current.through);
}

async function addField(
  context: DetectorContext,
  label: string,
  name: string,
  d: FieldDescription,
): Promise<void> {
  const fill = needsFill(d) ? await fillFor(context, label, name, d, 'add') : undefined;
  context.plan.add(Step.addField, label, new AddField(label, name, d, fill), [d]);
}

/**
 * The value for rows holding NULL when a field becomes non-nullable. A database default does not
 * reach rows that exist, so a literal one is written as the fill; `Now()` cannot be, so it is asked.
 */
async function nullFill(
  context: DetectorContext,
  label: string,
  name: string,
  d: FieldDescription,
): Promise<unknown> {
  if (d.nullable === true || d.primaryKey === true || d.kind === 'manyToMany') return undefined;
  if (d.dbDefault !== undefined && 'value' in d.dbDefault) return d.dbDefault.value;
  return fillFor(context, label, name, d, 'notNull');
}

export async function planFieldChanges(
  context: DetectorContext,
  [old, current]: KeptModel,
  renames: FieldRenames,
): Promise<void> {
  const { plan } = context;
  const label = current.label;
  const oldNameOf = new Map([...renames].map(([from, to]) => [to, from]));
  let oldOptions = old.options;
  for (const [from, to] of renames) oldOptions = renameFieldInOptions(oldOptions, from, to);
  planRemovedOptions(context, label, oldOptions, current.options);

  for (const name of old.fields.keys()) {
    if (!current.fields.has(name) && !renames.has(name))
      plan.add(Step.removeField, label, op.removeField(label, name));
  }
  for (const [name, d] of current.fields) {
    const oldName = old.fields.has(name) ? name : oldNameOf.get(name);
    if (oldName === undefined) {
      await addField(context, label, name, d);
      continue;
    }
    const oldD = relabel(old.fields.get(oldName)!, context.renamedModels);
    // A rename onto the old column was followed by its alteration already.
    if (oldName !== name && descriptionKey(oldD) !== descriptionKey(d)) continue;
    if (descriptionKey(oldD) === descriptionKey(d)) continue;
    if (mustReplace(oldD, d)) {
      plan.add(Step.removeField, label, op.removeField(label, name));
      await addField(context, label, name, d);
      continue;
    }
    const fill = oldD.nullable === true ? await nullFill(context, label, name, d) : undefined;
    plan.add(Step.alterField, label, new AlterField(label, name, d, fill), [d]);
  }
  planAddedOptions(context, label, oldOptions, current.options);
}

const indexKey = (index: ModelStateOptions['indexes'][number]): string =>
  canonical({ name: index.name, fields: index.fields, unique: index.unique === true });

function missingFrom<T>(items: readonly T[], others: readonly T[], key: (item: T) => string): T[] {
  const keys = new Set(others.map(key));
  return items.filter((item) => !keys.has(key(item)));
}

/** Removals first, before the fields they name go: indexes, constraints, unique groups. */
function planRemovedOptions(
  context: DetectorContext,
  label: string,
  old: ModelStateOptions,
  current: ModelStateOptions,
): void {
  const { plan } = context;
  for (const index of missingFrom(old.indexes, current.indexes, indexKey)) {
    plan.add(Step.removeOption, label, op.removeIndex(label, index.name));
  }
  for (const constraint of missingFrom(old.constraints, current.constraints, canonical)) {
    plan.add(Step.removeOption, label, op.removeConstraint(label, constraint.name));
  }
  const removedGroups = missingFrom(old.uniqueTogether, current.uniqueTogether, canonical);
  if (removedGroups.length === 0) return;
  const addedGroups = missingFrom(current.uniqueTogether, old.uniqueTogether, canonical);
  // Groups naming new fields wait for them (planAddedOptions); the rest can be set now.
  const groups =
    addedGroups.length === 0
      ? current.uniqueTogether
      : missingFrom(old.uniqueTogether, removedGroups, canonical);
  plan.add(Step.removeOption, label, new AlterUniqueTogether(label, groups));
}

function planAddedOptions(
  context: DetectorContext,
  label: string,
  old: ModelStateOptions,
  current: ModelStateOptions,
): void {
  const { plan } = context;
  for (const index of missingFrom(current.indexes, old.indexes, indexKey)) {
    plan.add(Step.addOption, label, new AddIndex(label, index));
  }
  for (const constraint of missingFrom(current.constraints, old.constraints, canonical)) {
    plan.add(Step.addOption, label, new AddConstraint(label, constraint));
  }
  if (missingFrom(current.uniqueTogether, old.uniqueTogether, canonical).length > 0) {
    plan.add(Step.addOption, label, new AlterUniqueTogether(label, current.uniqueTogether));
  }
}
