// Django's post_migrate: batteries that keep rows about the schema (auth's permissions) react to
// a finished migrate through this public hook instead of migrate knowing about them.
import type { AppDefinition } from '../../index.js';
import { Signal } from '../signals.js';
import type { ProjectState } from './state.js';

export interface PostMigratePayload {
  /** The apps migrate was given. */
  readonly apps: readonly AppDefinition[];
  /** The database that was migrated. */
  readonly using: string;
  /** The schema now applied there: check `state.models.has('auth.Permission')` before writing. */
  readonly state: ProjectState;
}

/** Sent after every `migrate` run that was not `fake` or `plan`, even when nothing was applied. */
export const postMigrate = new Signal<PostMigratePayload>({ name: 'postMigrate' });
