// Models that appear, disappear or are renamed. New models are created after the models of their
// app they point at; a cycle between new models is broken by adding one relation afterwards.
// Deleted models go once nothing points at them any more.
import { type DetectorContext, relabel, relatedLabels, Step } from './autodetector-plan.js';
import { descriptionKey, type FieldDescription } from './field-description.js';
import {
  AddConstraint,
  AddField,
  AddIndex,
  AlterUniqueTogether,
  CreateModel,
  op,
} from './operations/index.js';
import { checkMentions } from './operations/shared.js';
import { appOf, columnOf, type ModelState } from './state.js';

const sorted = (labels: Iterable<string>): string[] => [...labels].sort();

/** Same field names and definitions, relations read through `renamed`. */
function sameFields(
  old: ModelState,
  current: ModelState,
  renamed: ReadonlyMap<string, string>,
): boolean {
  if (old.fields.size !== current.fields.size) return false;
  for (const [name, description] of old.fields) {
    const other = current.fields.get(name);
    if (other === undefined) return false;
    if (descriptionKey(relabel(description, renamed)) !== descriptionKey(other)) return false;
  }
  return true;
}

/** Asks about every deleted model that has the same fields as a new one of the same app. */
export async function detectModelRenames(context: DetectorContext): Promise<void> {
  const { from, to, renamedModels } = context;
  const added = sorted([...to.models.keys()].filter((label) => !from.models.has(label)));
  const removed = sorted([...from.models.keys()].filter((label) => !to.models.has(label)));
  for (const label of added) {
    const current = to.model(label);
    for (const oldLabel of removed) {
      if (renamedModels.has(oldLabel) || appOf(oldLabel) !== appOf(label)) continue;
      const candidate = new Map(renamedModels).set(oldLabel, label);
      if (!sameFields(from.model(oldLabel), current, candidate)) continue;
      if (!(await context.questioner.askRenameModel(oldLabel, label))) continue;
      renamedModels.set(oldLabel, label);
      const table = from.model(oldLabel).table;
      context.plan.add(
        Step.renameModel,
        label,
        op.renameModel(oldLabel, label, table === current.table ? {} : { table: current.table }),
      );
      break;
    }
  }
}

/** Labels of the models created by this change (new, and not renamed from an old one). */
export function createdModels(context: DetectorContext): string[] {
  const renamedTo = new Set(context.renamedModels.values());
  return sorted(
    [...context.to.models.keys()].filter(
      (label) => !context.from.models.has(label) && !renamedTo.has(label),
    ),
  );
}

export function deletedModels(context: DetectorContext): string[] {
  return sorted(
    [...context.from.models.keys()].filter(
      (label) => !context.to.models.has(label) && !context.renamedModels.has(label),
    ),
  );
}

/** Splits a new model's options between those its first fields allow and those that must wait. */
function splitOptions(state: ModelState, present: ReadonlySet<string>) {
  const has = (names: readonly string[]) =>
    names.every((name) => present.has(name.replace(/^-/, '')));
  const missing = [...state.fields.keys()].filter((name) => !present.has(name));
  const checkOk = (check: string | Readonly<Record<string, unknown>>) =>
    missing.every((name) => !checkMentions(check, name, columnOf(name, state.fields.get(name)!)));
  const { indexes, uniqueTogether, constraints } = state.options;
  const constraintOk = (c: (typeof constraints)[number]) =>
    c.kind === 'unique' ? has(c.fields) : checkOk(c.check);
  return {
    now: {
      indexes: indexes.filter((index) => has(index.fields)),
      uniqueTogether: uniqueTogether.filter(has),
      constraints: constraints.filter(constraintOk),
    },
    later: {
      indexes: indexes.filter((index) => !has(index.fields)),
      uniqueTogether: uniqueTogether.some((group) => !has(group)) ? uniqueTogether : undefined,
      constraints: constraints.filter((c) => !constraintOk(c)),
    },
  };
}

export function planCreatedModels(context: DetectorContext, created: readonly string[]): void {
  const { to, plan } = context;
  const createdSet = new Set(created);
  const done = new Set<string>();
  // A relation to a model of the same app created in this migration, not created yet.
  const waitsFor = (label: string, target: string | undefined): boolean =>
    target !== undefined &&
    target !== label &&
    createdSet.has(target) &&
    appOf(target) === appOf(label) &&
    !done.has(target);
  // An explicit join model points back at this one: the field is always added after it.
  const deferred = (label: string, d: FieldDescription): boolean =>
    waitsFor(label, d.to) || waitsFor(label, d.through);
  const blocked = (label: string): boolean =>
    [...to.model(label).fields.values()].some(
      (d) => d.through === undefined && waitsFor(label, d.to),
    );

  const pending = [...created];
  const later: (() => void)[] = [];
  while (pending.length > 0) {
    // The first model whose targets exist; in a cycle, the first one (its relations wait).
    const ready = Math.max(
      pending.findIndex((label) => !blocked(label)),
      0,
    );
    const [label] = pending.splice(ready, 1) as [string];
    const state = to.model(label);
    const fields = new Map<string, FieldDescription>();
    const postponed: [string, FieldDescription][] = [];
    for (const [name, d] of state.fields) {
      if (deferred(label, d)) postponed.push([name, d]);
      else fields.set(name, d);
    }
    const options = splitOptions(state, new Set(fields.keys()));
    const created = new CreateModel({ ...state, fields, options: options.now });
    plan.add(Step.createModel, label, created, fields.values());
    done.add(label);
    if (postponed.length > 0) {
      later.push(() => {
        for (const [name, d] of postponed) {
          plan.add(Step.createModel, label, new AddField(label, name, d), [d]);
        }
        for (const index of options.later.indexes)
          plan.add(Step.createModel, label, new AddIndex(label, index));
        if (options.later.uniqueTogether !== undefined) {
          plan.add(
            Step.createModel,
            label,
            new AlterUniqueTogether(label, options.later.uniqueTogether),
          );
        }
        for (const constraint of options.later.constraints) {
          plan.add(Step.createModel, label, new AddConstraint(label, constraint));
        }
      });
    }
  }
  for (const run of later) run();
}

export function planDeletedModels(context: DetectorContext, deleted: readonly string[]): void {
  const { from, plan } = context;
  const removedFields = new Set<string>();
  const removeField = (label: string, name: string): void => {
    removedFields.add(`${label}.${name}`);
    plan.add(Step.deleteModel, label, op.removeField(label, name));
  };
  const deletedSet = new Set(deleted);
  // A many-to-many through a model deleted too: the two point at each other; the field goes first.
  for (const label of deleted) {
    for (const [name, d] of from.model(label).fields) {
      if (d.through !== undefined && deletedSet.has(d.through)) removeField(label, name);
    }
  }
  const pointers = (label: string, target: string): string[] =>
    [...from.model(label).fields]
      .filter(
        ([name, d]) => !removedFields.has(`${label}.${name}`) && relatedLabels(d).includes(target),
      )
      .map(([name]) => name);

  const pending = [...deleted];
  while (pending.length > 0) {
    let next = pending.findIndex((target) =>
      pending.every((label) => label === target || pointers(label, target).length === 0),
    );
    if (next < 0) {
      next = 0;
      for (const label of pending) {
        if (label !== pending[0])
          for (const name of pointers(label, pending[0]!)) removeField(label, name);
      }
    }
    const [label] = pending.splice(next, 1) as [string];
    // Other apps' models that pointed here change in their own migrations, which must run first.
    const users = [...from.models.values()]
      .filter(
        (other) =>
          other.label !== label &&
          [...other.fields.values()].some((d) => relatedLabels(d).includes(label)),
      )
      .map((other) => other.label);
    plan.add(Step.deleteModel, label, op.deleteModel(label), users);
  }
}

/** Table renames of kept models; a renamed model's table moved with `renameModel`. */
export function planTableChanges(
  context: DetectorContext,
  kept: readonly (readonly [ModelState, ModelState])[],
): void {
  for (const [old, current] of kept) {
    if (context.renamedModels.has(old.label) || old.table === current.table) continue;
    context.plan.add(
      Step.alterTable,
      current.label,
      op.alterModelTable(current.label, current.table),
    );
  }
}
