// The migration graph: one node per migration, an edge per dependency. It answers what must
// run (and in which order) to reach a target, which migrations end each app's history, and
// what the schema looks like at any node. Squashed migrations stand in for the ones they
// replace unless the database is half-way through those.
import { CarafeError } from '../../index.js';
import { isSwappableDependency, swappedLabel } from '../swappable.js';
import { type LoadedMigration, migrationKey } from './loader.js';
import type { MigrationDependency } from './migration.js';
import { appOf, ProjectState } from './state.js';

export interface PlanStep {
  readonly migration: LoadedMigration;
  /** True to unapply. */
  readonly backwards: boolean;
}

/** Where `migrate` should take an app: its latest migrations, a named one, or before the first. */
export type MigrationTarget =
  | { readonly app: string; readonly name: string }
  | { readonly app: string; readonly zero: true };

function graphError(problem: string): CarafeError {
  return new CarafeError('CARAFE_MIGRATION_GRAPH', problem);
}

export class MigrationGraph {
  readonly #nodes = new Map<string, LoadedMigration>();
  readonly #parents = new Map<string, string[]>();
  readonly #children = new Map<string, string[]>();
  /** Replaced key → the squashed migration standing in for it. */
  readonly #replacedBy = new Map<string, string>();
  /** Key → its swappable dependencies: the swappable label and the parent it resolved to. */
  readonly #swappableParents = new Map<string, [label: string, parent: string][]>();
  /** Key → apps whose first migration it needs (a swappable dependency) but which have none yet. */
  readonly #awaiting = new Map<string, Set<string>>();

  /**
   * Builds the graph of `loaded`, given the keys the record table lists as applied (which
   * decides whether a squashed migration or its originals are used).
   */
  constructor(loaded: readonly LoadedMigration[], recorded: ReadonlySet<string>) {
    for (const migration of loaded) this.#nodes.set(migration.key, migration);
    const edges = new Map<string, string[]>();
    for (const migration of loaded) {
      edges.set(
        migration.key,
        migration.migration.dependencies.flatMap((dependency) =>
          this.#dependencyKeys(migration.key, dependency, loaded),
        ),
      );
    }
    const remap = new Map<string, string>();
    for (const migration of loaded) this.#applyReplacement(migration, recorded, remap);
    for (const pairs of this.#swappableParents.values()) {
      for (const pair of pairs) pair[1] = remap.get(pair[1]) ?? pair[1];
    }
    for (const [key, parents] of edges) {
      if (!this.#nodes.has(key)) continue;
      const mapped = [...new Set(parents.map((parent) => remap.get(parent) ?? parent))].filter(
        (parent) => parent !== key,
      );
      for (const parent of mapped) {
        if (!this.#nodes.has(parent)) {
          throw graphError(
            `Migration ${key} depends on ${parent}, which does not exist. Check its dependencies, and ` +
              'that the app is listed in the project with its migrations folder.',
          );
        }
      }
      this.#parents.set(key, mapped);
    }
    for (const key of this.#nodes.keys()) this.#children.set(key, []);
    for (const [key, parents] of this.#parents) {
      for (const parent of parents) this.#children.get(parent)!.push(key);
    }
    this.#checkCycles();
  }

  /**
   * A dependency's key. A swappable one is the first migration of the app holding the model
   * now (Django's `__first__`); none while that app has no migrations, as for an app without
   * migrations in Django, noted so makemigrations can keep the app's first one out of a cycle.
   */
  #dependencyKeys(
    key: string,
    dependency: MigrationDependency,
    loaded: readonly LoadedMigration[],
  ): string[] {
    if (!isSwappableDependency(dependency)) return [migrationKey(dependency[0], dependency[1])];
    const app = appOf(swappedLabel(dependency.swappable));
    const first = loaded
      .filter((migration) => migration.app === app)
      .map((migration) => migration.name)
      .sort()[0];
    if (first === undefined) {
      this.#awaiting.set(key, new Set([...(this.#awaiting.get(key) ?? []), app]));
      return [];
    }
    const parent = migrationKey(app, first);
    this.#swappableParents.set(key, [
      ...(this.#swappableParents.get(key) ?? []),
      [dependency.swappable, parent],
    ]);
    return [parent];
  }

  /** Keeps either the squashed migration or its originals, and notes how dependencies move. */
  #applyReplacement(
    squashed: LoadedMigration,
    recorded: ReadonlySet<string>,
    remap: Map<string, string>,
  ): void {
    const replaced = squashed.migration.replaces.map(([app, name]) => migrationKey(app, name));
    if (replaced.length === 0) return;
    const appliedCount = replaced.filter((key) => recorded.has(key)).length;
    if (appliedCount === 0 || appliedCount === replaced.length) {
      for (const key of replaced) {
        this.#nodes.delete(key);
        remap.set(key, squashed.key);
        this.#replacedBy.set(key, squashed.key);
      }
      return;
    }
    const missing = replaced.filter((key) => !this.#nodes.has(key));
    if (missing.length > 0) {
      throw graphError(
        `The database has applied only some of the migrations ${squashed.key} replaces, and ` +
          `${missing.join(', ')} can no longer be found to finish them. Restore those files, apply them, ` +
          'then delete them again.',
      );
    }
    this.#nodes.delete(squashed.key);
    remap.set(squashed.key, replaced.at(-1)!);
  }

  #checkCycles(): void {
    const done = new Set<string>();
    const path: string[] = [];
    const onPath = new Set<string>();
    const visit = (key: string): void => {
      if (done.has(key)) return;
      if (onPath.has(key)) {
        const cycle = [...path.slice(path.indexOf(key)), key];
        throw graphError(
          `Migrations depend on each other in a circle: ${cycle.join(' → ')}. Remove one of these dependencies.`,
        );
      }
      onPath.add(key);
      path.push(key);
      for (const parent of this.#parents.get(key)!) visit(parent);
      path.pop();
      onPath.delete(key);
      done.add(key);
    };
    for (const key of this.#nodes.keys()) visit(key);
  }

  /** Every migration in the graph, in load order (apps, then file names). */
  get migrations(): LoadedMigration[] {
    return [...this.#nodes.values()];
  }

  has(key: string): boolean {
    return this.#nodes.has(key);
  }

  node(key: string): LoadedMigration {
    const found = this.#nodes.get(key);
    if (found === undefined) {
      throw new CarafeError('CARAFE_MIGRATION_UNKNOWN', `There is no migration ${key}.`);
    }
    return found;
  }

  /** The migrations of `app` in file-name order. */
  appMigrations(app: string): LoadedMigration[] {
    return this.migrations
      .filter((migration) => migration.app === app)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The migrations of `app` that no other migration of the same app depends on. */
  leaves(app: string): string[] {
    return this.appMigrations(app)
      .filter((migration) =>
        this.#children.get(migration.key)!.every((child) => this.#nodes.get(child)!.app !== app),
      )
      .map((migration) => migration.key);
  }

  /**
   * What a new first migration of `newApp` should depend on in `app`: its leaves, unless they
   * wait for that very migration (a swappable dependency on `newApp`'s model, as auth's tokens
   * have on a custom user model); then the latest migration of `app` that does not.
   */
  leavesFor(app: string, newApp: string): string[] {
    const waits = (key: string): boolean =>
      this.forwardsPlan(key).some((step) => this.#awaiting.get(step)?.has(newApp) === true);
    const leaves = this.leaves(app);
    if (!leaves.some(waits)) return leaves;
    const earlier = this.appMigrations(app)
      .reverse()
      .find((migration) => !waits(migration.key));
    return earlier === undefined ? leaves : [earlier.key];
  }

  /**
   * Fails when an applied migration's swappable dependency is not applied, or was applied after
   * it (the record lists migrations in the order they ran): the swappable model (the user
   * model) was changed after the first migrate.
   */
  checkSwappedModels(recorded: ReadonlySet<string>): void {
    const applied = this.appliedNodes(recorded);
    const order = new Map([...recorded].map((key, index) => [key, index]));
    for (const [key, pairs] of this.#swappableParents) {
      if (!applied.has(key) || !this.#nodes.has(key)) continue;
      for (const [label, parent] of pairs) {
        const after = (order.get(parent) ?? -1) > (order.get(key) ?? Number.POSITIVE_INFINITY);
        if (applied.has(parent) && !after) continue;
        throw new CarafeError(
          'CARAFE_MIGRATION_SWAPPED_MODEL',
          `Migration ${key} was applied when ${label} was not replaced by ${swappedLabel(label)}: it ` +
            `needs ${parent} first, which ${after ? 'was applied after it' : 'is not applied'}. What ` +
            `replaces ${label} (the user model: auth({ userModel })) is decided before the first ` +
            'migrate and cannot be changed by migrating afterwards: go back to the model this ' +
            'database was made with, or start from a new database.',
        );
      }
    }
  }

  /** Apps whose history has split: several leaves, to be merged with `makemigrations --merge`. */
  conflicts(): Map<string, string[]> {
    const apps = new Set(this.migrations.map((migration) => migration.app));
    const conflicts = new Map<string, string[]>();
    for (const app of apps) {
      const leaves = this.leaves(app);
      if (leaves.length > 1) conflicts.set(app, leaves);
    }
    return conflicts;
  }

  /** The migrations of `app` with no parent in `app`. */
  roots(app: string): string[] {
    return this.appMigrations(app)
      .filter((migration) =>
        this.#parents.get(migration.key)!.every((parent) => this.#nodes.get(parent)!.app !== app),
      )
      .map((migration) => migration.key);
  }

  /** `key` and everything it depends on, dependencies first. */
  forwardsPlan(key: string): string[] {
    this.node(key);
    return this.#postOrder([key], this.#parents);
  }

  /** `key` and everything depending on it, dependents first. */
  backwardsPlan(key: string): string[] {
    this.node(key);
    return this.#postOrder([key], this.#children);
  }

  #postOrder(starts: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] {
    const seen = new Set<string>();
    const order: string[] = [];
    const visit = (key: string): void => {
      if (seen.has(key)) return;
      seen.add(key);
      for (const other of next.get(key)!) visit(other);
      order.push(key);
    };
    for (const start of starts) visit(start);
    return order;
  }

  /** Which graph nodes count as applied, given the keys in the record table. */
  appliedNodes(recorded: ReadonlySet<string>): Set<string> {
    const applied = new Set<string>();
    for (const migration of this.#nodes.values()) {
      const replaced = migration.migration.replaces;
      const isApplied =
        recorded.has(migration.key) ||
        (replaced.length > 0 &&
          replaced.every(([app, name]) => recorded.has(migrationKey(app, name))));
      if (isApplied) applied.add(migration.key);
    }
    return applied;
  }

  /** The squashed migration standing in for `key`, if `key` was replaced. */
  replacementOf(key: string): string | undefined {
    return this.#replacedBy.get(key);
  }

  /**
   * The steps that take the database to `targets`, given the applied nodes: forwards to a
   * migration that is not applied yet, or backwards (with everything depending on it, in any
   * app) to one that is, or to before an app's first migration for `zero`.
   */
  plan(targets: readonly MigrationTarget[], appliedNodes: ReadonlySet<string>): PlanStep[] {
    const applied = new Set(appliedNodes);
    const steps: PlanStep[] = [];
    const unapply = (start: string): void => {
      for (const key of this.backwardsPlan(start)) {
        if (!applied.has(key)) continue;
        applied.delete(key);
        steps.push({ migration: this.node(key), backwards: true });
      }
    };
    for (const target of targets) {
      if ('zero' in target) {
        for (const root of this.roots(target.app)) unapply(root);
        continue;
      }
      const key = migrationKey(target.app, target.name);
      if (applied.has(key)) {
        const next = this.#children
          .get(key)!
          .filter((child) => this.#nodes.get(child)!.app === target.app)
          .sort();
        for (const child of next) unapply(child);
        continue;
      }
      for (const step of this.forwardsPlan(key)) {
        if (applied.has(step)) continue;
        applied.add(step);
        steps.push({ migration: this.node(step), backwards: false });
      }
    }
    return steps;
  }

  /** The schema once `keys` and everything they depend on are applied (nothing given: empty). */
  stateAt(keys: readonly string[]): ProjectState {
    const state = new ProjectState();
    for (const key of this.#postOrder(keys, this.#parents)) {
      for (const operation of this.node(key).migration.operations) operation.stateForwards(state);
    }
    return state;
  }

  /** The schema just before `key` runs: everything it depends on applied, itself not. */
  stateBefore(key: string): ProjectState {
    this.node(key);
    return this.stateAt(this.#parents.get(key)!);
  }

  /** The schema with every migration of the graph applied (the leaves of every app). */
  finalState(): ProjectState {
    return this.stateAt([...this.#nodes.keys()]);
  }
}
