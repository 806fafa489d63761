// RunSQL and RunCode: steps the autodetector never writes; reversible only when given a reverse.
import { CarafeError } from '../../../index.js';
import type { Database } from '../../connection/index.js';
import type { Family, TypedField } from '../../fields/types.js';
import type { ModelClass } from '../../model.js';
import type { AnyModel } from '../../model-types.js';
import type { SchemaEditor } from '../schema-editor/editor.js';
import type { ProjectState } from '../state.js';
import { Operation, type OperationCall } from './operation.js';

/** Any field of a historical model: its value type is not known statically. */
interface HistoricalField {
  readonly value: unknown;
  readonly nullable: true;
  readonly optional: true;
  readonly family: Family;
  readonly pk: false;
}

/** A model as it was at one point of the history: any field name, values loosely typed. */
export type HistoricalModel = ModelClass<string, Record<string, TypedField<HistoricalField>>>;

/** The models as they were at this point of the history, for data migrations. */
export interface HistoricalModels {
  /**
   * The historical model class labelled `label` (`models.get('polls.Question').objects`).
   * Name a type (`models.get<typeof Question>(…)`) only while the model still matches it.
   */
  get<M extends AnyModel = HistoricalModel>(label: string): M;
}

export interface RunCodeContext {
  readonly models: HistoricalModels;
  /** The database being migrated; queries through `db` or the models join the migration's transaction. */
  readonly db: Database;
}

export type RunCodeFunction = (context: RunCodeContext) => Promise<void>;

function irreversible(description: string): CarafeError {
  return new CarafeError(
    'CARAFE_MIGRATION_IRREVERSIBLE',
    `"${description}" cannot be reversed: it was written without a reverse. Give it one (or migrate back no further than the migration that holds it).`,
  );
}

function statements(given: string | readonly string[]): readonly string[] {
  return typeof given === 'string' ? [given] : given;
}

export interface RunSqlOptions {
  /** One statement per string. */
  readonly forward: string | readonly string[];
  /** Undoes `forward`; without it the operation is irreversible (`[]` reverses as a no-op). */
  readonly reverse?: string | readonly string[];
}

export class RunSql extends Operation {
  readonly forward: readonly string[];
  readonly reverse: readonly string[] | undefined;

  constructor(options: RunSqlOptions) {
    super();
    this.forward = statements(options.forward);
    this.reverse = options.reverse === undefined ? undefined : statements(options.reverse);
  }

  override get reversible(): boolean {
    return this.reverse !== undefined;
  }

  stateForwards(): void {}

  async databaseForwards(editor: SchemaEditor): Promise<void> {
    for (const text of this.forward) await editor.execute(text);
  }

  async databaseBackwards(editor: SchemaEditor): Promise<void> {
    if (this.reverse === undefined) throw irreversible(this.describe());
    for (const text of this.reverse) await editor.execute(text);
  }

  describe(): string {
    const first = this.forward[0] ?? '';
    const line = first.replace(/\s+/g, ' ').trim();
    return `Raw SQL: ${line.length > 50 ? `${line.slice(0, 47)}...` : line}`;
  }

  toCall(): OperationCall {
    const pick = (list: readonly string[]) => (list.length === 1 ? list[0] : list);
    return {
      name: 'runSql',
      args: [
        {
          forward: pick(this.forward),
          ...(this.reverse !== undefined && { reverse: pick(this.reverse) }),
        },
      ],
    };
  }
}

function historicalModels(state: ProjectState): HistoricalModels {
  return {
    // The class is the historical model of that label; its static type is the caller's to name.
    get: <M extends AnyModel = HistoricalModel>(label: string) => state.modelClass(label) as M,
  };
}

export class RunCode extends Operation {
  constructor(
    readonly forward: RunCodeFunction,
    readonly reverse?: RunCodeFunction,
  ) {
    super();
  }

  override get reversible(): boolean {
    return this.reverse !== undefined;
  }

  stateForwards(): void {}

  async #run(editor: SchemaEditor, code: RunCodeFunction, state: ProjectState): Promise<void> {
    if (editor.collectOnly) {
      editor.note(`${this.describe()}: code, not SQL; it runs when the migration is applied`);
      return;
    }
    await code({ models: historicalModels(state), db: editor.db });
  }

  async databaseForwards(editor: SchemaEditor, from: ProjectState): Promise<void> {
    await this.#run(editor, this.forward, from);
  }

  async databaseBackwards(editor: SchemaEditor, from: ProjectState): Promise<void> {
    if (this.reverse === undefined) throw irreversible(this.describe());
    await this.#run(editor, this.reverse, from);
  }

  describe(): string {
    const name = this.forward.name;
    return name === '' || name === 'forward' ? 'Run code' : `Run code ${name}`;
  }

  toCall(): OperationCall {
    return {
      name: 'runCode',
      args: this.reverse === undefined ? [this.forward] : [this.forward, this.reverse],
    };
  }
}
