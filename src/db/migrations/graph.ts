// The migration graph: one node per migration, an edge per dependency. It answers what must
// run (and in which order) to reach a target, which migrations end each app's history, and
// what the schema looks like at any node. Squashed migrations stand in for the ones they
// replace unless the database is half-way through those.
import { CarafeError } from '../../index.js';
import { type LoadedMigration, migrationKey } from './loader.js';
import { ProjectState } from './state.js';

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
        migration.migration.dependencies.map(([app, name]) => migrationKey(app, name)),
      );
    }
    const remap = new Map<string, string>();
    for (const migration of loaded) this.#applyReplacement(migration, recorded, remap);
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
