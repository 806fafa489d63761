// The contract between operations and the per-dialect schema editors.
// (Being filled in: see the helper working on schema-editor/.)
import type { Database } from '../../connection/index.js';

export interface SchemaEditor {
  readonly db: Database;
  /** Runs (or, for `sqlmigrate`, only collects) one statement. */
  execute(sqlText: string, params?: readonly unknown[]): Promise<void>;
}
