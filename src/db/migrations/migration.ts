// migration({...}): what a migration file exports. The file's folder gives its app and its file
// name its name; the definition only lists what it needs first and what it does.
import { CarafeError } from '../../index.js';
import { isSwappableDependency, type SwappableDependency } from '../swappable.js';
import type { Operation } from './operations/operation.js';

/** `[appLabel, migrationName]`, e.g. `['polls', '0001_initial']`. */
export type MigrationKey = readonly [app: string, name: string];

/** A migration to apply first: a key, or `swappableDependency('auth.User')`. */
export type MigrationDependency = MigrationKey | SwappableDependency;

export interface MigrationDefinition {
  /**
   * Migrations that must be applied first: the previous one of this app, any of other apps,
   * and `swappableDependency('auth.User')` for the first one of the app holding the user model.
   */
  readonly dependencies?: readonly MigrationDependency[];
  readonly operations: readonly Operation[];
  /** The app's first migration. */
  readonly initial?: boolean;
  /** A squashed migration: the migrations it stands for. */
  readonly replaces?: readonly MigrationKey[];
  /**
   * `false` runs the operations without a transaction (for statements a transaction refuses,
   * like PostgreSQL's `CREATE INDEX CONCURRENTLY`); progress is then recorded per operation.
   */
  readonly atomic?: boolean;
}

const brand = Symbol.for('carafe.migration');

export interface Migration {
  readonly [brand]: true;
  readonly dependencies: readonly MigrationDependency[];
  readonly operations: readonly Operation[];
  readonly initial: boolean;
  readonly replaces: readonly MigrationKey[];
  readonly atomic: boolean;
}

const allowedKeys = new Set(['dependencies', 'operations', 'initial', 'replaces', 'atomic']);

function shapeError(problem: string): CarafeError {
  return new CarafeError('CARAFE_MIGRATION_DEFINITION', `migration({...}): ${problem}.`);
}

function isOperation(value: unknown): value is Operation {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['stateForwards', 'databaseForwards', 'databaseBackwards', 'describe', 'toCall'].every(
    (method) => typeof candidate[method] === 'function',
  );
}

function keys(value: unknown, option: string, swappables?: false): readonly MigrationKey[];
function keys(value: unknown, option: string, swappables: true): readonly MigrationDependency[];
function keys(value: unknown, option: string, swappables = false): readonly MigrationDependency[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw shapeError(`${option} must be a list of [app, name] pairs`);
  return value.map((pair: unknown, index) => {
    if (swappables && isSwappableDependency(pair)) return pair;
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      !pair.every((part) => typeof part === 'string' && part !== '')
    ) {
      throw shapeError(
        `${option}[${index}] must be an [app, name] pair such as ['polls', '0001_initial'], got ${JSON.stringify(pair)}`,
      );
    }
    return Object.freeze([pair[0] as string, pair[1] as string] as const);
  });
}

function flag(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw shapeError(`${option} must be true or false`);
  return value;
}

/**
 * Declares a migration; a migration file's default export:
 * `export default migration({ dependencies: [['polls', '0001_initial']], operations: [op.addField(…)] })`.
 */
export function migration(definition: MigrationDefinition): Migration {
  if (typeof definition !== 'object' || definition === null) {
    throw shapeError('pass an object with at least `operations`');
  }
  for (const key of Object.keys(definition)) {
    if (!allowedKeys.has(key)) {
      throw shapeError(`unknown option "${key}" (accepted: ${[...allowedKeys].join(', ')})`);
    }
  }
  const operations: unknown = definition.operations;
  if (!Array.isArray(operations)) throw shapeError('`operations` must be a list of op.…() calls');
  // An index loop, not forEach: a hole left by a stray comma must be reported too.
  for (let index = 0; index < operations.length; index++) {
    if (!isOperation(operations[index])) {
      throw shapeError(
        `operations[${index}] is not an operation; build each one with op.…() from 'carafe/db/migrations'`,
      );
    }
  }
  return Object.freeze({
    [brand]: true as const,
    dependencies: Object.freeze(keys(definition.dependencies, 'dependencies', true)),
    operations: Object.freeze([...(operations as Operation[])]),
    initial: flag(definition.initial, 'initial', false),
    replaces: Object.freeze(keys(definition.replaces, 'replaces')),
    atomic: flag(definition.atomic, 'atomic', true),
  });
}

/** Whether `value` was made by `migration()` (from any copy of this module). */
export function isMigration(value: unknown): value is Migration {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}
