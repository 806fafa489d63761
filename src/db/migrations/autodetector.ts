// The autodetector: compares the project state the migrations build with the state of the models,
// and plans the operations that turn one into the other, one list per app, in an order that
// applies. Renames are asked, never assumed; values for existing rows are asked when needed.
import { CarafeError } from '../../index.js';
import type { ModelMeta } from '../meta.js';
import { swappedLabel } from '../swappable.js';
import { detectFieldRenames, type KeptModel, planFieldChanges } from './autodetector-fields.js';
import {
  createdModels,
  deletedModels,
  detectModelRenames,
  planCreatedModels,
  planDeletedModels,
  planTableChanges,
} from './autodetector-models.js';
import { type DetectorContext, Plan, type Planned, relatedLabels } from './autodetector-plan.js';
import type { Operation } from './operations/operation.js';
import type { Questioner } from './questioner.js';
import { appOf, type ModelState, ProjectState } from './state.js';

export interface DetectOptions {
  readonly questioner: Questioner;
  /** Only changes to these apps, plus those of the apps they cannot go without. */
  readonly apps?: readonly string[];
  /** The live models `to` describes: a field's literal `default` fills rows that already exist. */
  readonly models?: Iterable<ModelMeta>;
}

export interface AppChanges {
  readonly operations: Operation[];
  /**
   * Other apps whose models the operations refer to (or whose changes must come first): the new
   * migration depends on the latest migration of each, the one written in the same run if any.
   */
  readonly dependsOn: Set<string>;
  /**
   * Swappable models (`'auth.User'`) the operations point at: the new migration depends on the
   * first migration of the app holding each (`swappableDependency`), not on a named one.
   */
  readonly swappables: Set<string>;
}

/** The apps an app's new migration must come after: those it depends on, swappables' included. */
export function appsBefore(changes: AppChanges): string[] {
  return [
    ...changes.dependsOn,
    ...[...changes.swappables].map((label) => appOf(swappedLabel(label))),
  ];
}

/** Models of `state` whose relations point at a model `state` does not have. */
function dangling(state: ProjectState): [owner: string, target: string][] {
  const found: [string, string][] = [];
  for (const model of state.models.values()) {
    for (const d of model.fields.values()) {
      for (const target of relatedLabels(d))
        if (!state.models.has(target)) found.push([model.label, target]);
    }
  }
  return found;
}

/**
 * `to` with the apps left out kept as `from` has them. An app whose changes the chosen ones need
 * (a new model they point at, a model that points at one they delete) joins them.
 */
function restrict(from: ProjectState, to: ProjectState, apps: readonly string[]): ProjectState {
  const chosen = new Set(apps);
  for (;;) {
    const models: ModelState[] = [
      ...[...to.models.values()].filter((model) => chosen.has(appOf(model.label))),
      ...[...from.models.values()].filter((model) => !chosen.has(appOf(model.label))),
    ];
    const state = new ProjectState(models);
    const before = chosen.size;
    for (const [owner, target] of dangling(state)) {
      chosen.add(appOf(owner));
      chosen.add(appOf(target));
    }
    if (chosen.size === before) return state;
  }
}

async function plan(
  from: ProjectState,
  to: ProjectState,
  options: DetectOptions,
): Promise<Planned[]> {
  const live = new Map<string, ModelMeta>();
  for (const meta of options.models ?? []) live.set(meta.label, meta);
  const context: DetectorContext = {
    from,
    to,
    questioner: options.questioner,
    live,
    renamedModels: new Map(),
    plan: new Plan(),
  };
  await detectModelRenames(context);
  const kept: KeptModel[] = [];
  for (const old of from.models.values()) {
    const label = context.renamedModels.get(old.label) ?? old.label;
    const current = to.models.get(label);
    if (current !== undefined) kept.push([old, current]);
  }
  kept.sort(([, a], [, b]) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));

  planCreatedModels(context, createdModels(context));
  const renames = await detectFieldRenames(context, kept);
  for (const model of kept) await planFieldChanges(context, model, renames.get(model[1].label)!);
  planDeletedModels(context, deletedModels(context));
  planTableChanges(context, kept);
  return context.plan.planned;
}

/** Fails when apps' new migrations would each need the other first. */
function checkCycles(changes: Map<string, AppChanges>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (app: string, path: string[]): void => {
    if (state.get(app) === 'done') return;
    if (state.get(app) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(app)), app].join(' → ');
      throw new CarafeError(
        'CARAFE_MIGRATION_CIRCULAR_DEPENDENCY',
        `The new migrations would depend on each other (${cycle}). Make them in two steps: leave ` +
          'out one of the relations between these apps, run makemigrations, then add it back and run it again.',
      );
    }
    state.set(app, 'visiting');
    const own = changes.get(app);
    for (const other of own === undefined ? [] : appsBefore(own))
      if (other !== app && changes.has(other)) visit(other, [...path, app]);
    state.set(app, 'done');
  };
  for (const app of changes.keys()) visit(app, []);
}

/**
 * The operations that turn `from` (what the migrations build) into `to` (the models), by app.
 * Apps without changes are absent. Questions go to `options.questioner`; its `finish()` is
 * called at the end, so a non-interactive run fails naming every flag it needs at once.
 */
export async function detectChanges(
  from: ProjectState,
  to: ProjectState,
  options: DetectOptions,
): Promise<Map<string, AppChanges>> {
  const target = options.apps === undefined ? to : restrict(from, to, options.apps);
  let planned: Planned[];
  try {
    planned = await plan(from, target, options);
  } catch (error) {
    try {
      options.questioner.finish?.();
    } catch {
      // The error that stopped detection says more than what was left undecided.
    }
    throw error;
  }
  options.questioner.finish?.();

  const byApp = new Map<string, Planned[]>();
  for (const item of planned) byApp.set(item.app, [...(byApp.get(item.app) ?? []), item]);
  const changes = new Map<string, AppChanges>();
  for (const app of [...byApp.keys()].sort()) {
    // A stable sort: within a step, operations keep the order they were planned in.
    const items = byApp.get(app)!.sort((a, b) => a.step - b.step);
    changes.set(app, {
      operations: items.map((item) => item.operation),
      dependsOn: new Set(items.flatMap((item) => [...item.needs]).sort()),
      swappables: new Set(items.flatMap((item) => [...item.swappables]).sort()),
    });
  }
  checkCycles(changes);
  return changes;
}
