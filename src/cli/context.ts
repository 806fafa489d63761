// What every command receives besides its arguments.
import type { Project, ProjectOptions } from './project.js';
import type { Terminal } from './terminal.js';

export interface CommandContext {
  readonly terminal: Terminal;
  /** Every argument `carafe` was given, for commands that start another `carafe` (dev). */
  readonly argv: readonly string[];
  /** The value of --config, if given. */
  readonly configPath: string | undefined;
  /**
   * Imports carafe.config.ts and builds the app; the working directory becomes its folder.
   * Quiet (errors-only logs) unless `quiet: false`.
   */
  openProject(options?: ProjectOptions): Promise<Project>;
}
