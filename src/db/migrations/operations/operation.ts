// An operation is one step of a migration: it changes the project state, and the database.
// `databaseBackwards` receives the states the other way round (`from` is the later state).
import type { FieldDescription } from '../field-description.js';
import type { SchemaEditor } from '../schema-editor/editor.js';
import type { ProjectState } from '../state.js';

/** How an operation is written back into a migration file: `op.<name>(...args)`. */
export interface OperationCall {
  readonly name: string;
  readonly args: readonly unknown[];
}

export abstract class Operation {
  /** False for RunSQL/RunCode without a reverse: migrating back past them fails clearly. */
  get reversible(): boolean {
    return true;
  }

  /** Applies the change to `state` (in place). */
  abstract stateForwards(state: ProjectState): void;

  abstract databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void>;

  abstract databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void>;

  /** One line for `migrate --plan` and the writer's comments: "Add field pubDate to polls.Question". */
  abstract describe(): string;

  /** The call that recreates this operation in a migration file. */
  abstract toCall(): OperationCall;
}

/** Marks a field inside `OperationCall.args`: the writer prints it as an `f.<kind>(…)` call. */
export class FieldCode {
  constructor(readonly description: FieldDescription) {}
}
