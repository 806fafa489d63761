// The contract between operations and the per-dialect schema editors. Operations hand the
// editor rendered models (`ProjectState.meta(label)`) from before and after the change; the
// editor works out the DDL for its dialect (SQLite rebuilds a table where it cannot alter it).
import type { Database, Dialect } from '../../connection/index.js';
import type { ConstraintSpec, IndexSpec, ModelMeta } from '../../meta.js';

/** An index as migrations keep it: always named. */
export type NamedIndex = IndexSpec & { readonly name: string };

export interface SchemaEditor {
  readonly db: Database;
  readonly dialect: Dialect;
  /** True for `sqlmigrate`: statements are recorded in `statements`, never run. */
  readonly collectOnly: boolean;
  /** Every statement run (or collected) so far, in order, as SQL text for the dialect. */
  readonly statements: readonly string[];

  /** Runs (or, for `sqlmigrate`, only collects) one statement. */
  execute(sqlText: string, params?: readonly unknown[]): Promise<void>;
  /** Records a comment in collect mode (`-- …`): for steps that are not SQL, like RunCode. */
  note(text: string): void;

  /**
   * The table, its indexes and the join tables of its many-to-many fields. A foreign key to a
   * table outside `existingTables` (the tables the database had before this migration) that
   * this editor has not created yet waits until the editor creates it (or `finish()`), like
   * Django's deferred SQL. Without `existingTables` every target is taken to exist.
   */
  createModel(meta: ModelMeta, existingTables?: ReadonlySet<string>): Promise<void>;
  /** The table and the join tables of its many-to-many fields. */
  deleteModel(meta: ModelMeta): Promise<void>;
  /**
   * The same model under another table name or label: renames the table if it changed, and
   * the automatic join tables (and their columns) of its many-to-many fields that changed.
   */
  alterModelTable(before: ModelMeta, after: ModelMeta): Promise<void>;

  /** Adds the foreign keys still waiting for their target table; call it once the migration's operations ran. */
  finish(): Promise<void>;

  /** Adds field `name` of `after`; `fill` is stored in existing rows (not kept as a default). */
  addField(before: ModelMeta, after: ModelMeta, name: string, fill?: unknown): Promise<void>;
  /** Removes field `name` of `before`, with the indexes and constraints that involve it. */
  removeField(before: ModelMeta, after: ModelMeta, name: string): Promise<void>;
  /**
   * Changes field `oldName` of `before` into `newName` of `after` (same name unless renamed):
   * column name, type, nullability (`fill` replaces NULLs), unique, index, default, FK.
   */
  alterField(
    before: ModelMeta,
    after: ModelMeta,
    oldName: string,
    newName: string,
    fill?: unknown,
  ): Promise<void>;

  addIndex(before: ModelMeta, after: ModelMeta, index: NamedIndex): Promise<void>;
  removeIndex(before: ModelMeta, after: ModelMeta, index: NamedIndex): Promise<void>;
  addConstraint(before: ModelMeta, after: ModelMeta, constraint: ConstraintSpec): Promise<void>;
  removeConstraint(before: ModelMeta, after: ModelMeta, constraint: ConstraintSpec): Promise<void>;
  /** Drops the unique groups of `before` that `after` lacks and adds the new ones. */
  alterUniqueTogether(before: ModelMeta, after: ModelMeta): Promise<void>;
}
