// Settings added by batteries. A battery augments `CarafeConfig` and `ResolvedConfig` for the
// types and registers here how its setting is validated and defaulted, without touching the core.
import { CarafeError } from '../errors.js';
import type { SettingContext } from './problems.js';
import { coreSettingNames } from './settings.js';
import type { CarafeConfig, ResolvedConfig } from './types.js';

export interface SettingDefinition<Input, Output> {
  /**
   * Validates what the user wrote (`undefined` when the setting is absent) and returns the
   * value the app runs with, default included. Report a bad value with `context.fail`.
   */
  resolve(value: Input, context: SettingContext): Output;
}

/** Settings both writable in the config and present after resolving. */
export type SettingName = keyof CarafeConfig & keyof ResolvedConfig & string;

const registered = new Map<string, SettingDefinition<unknown, unknown>>();

/**
 * Adds a setting, e.g. from a battery's module:
 * `registerSetting('cache', { resolve: (value, context) => value ?? { backend: 'memory' } })`.
 * Register before `resolveConfig` runs, i.e. at import time of the battery.
 */
export function registerSetting<Name extends SettingName>(
  name: Name,
  definition: SettingDefinition<CarafeConfig[Name], ResolvedConfig[Name]>,
): void {
  if ((coreSettingNames as readonly string[]).includes(name) || registered.has(name)) {
    throw new CarafeError(
      'CARAFE_CONFIG',
      `The setting "${name}" is already defined${registered.has(name) ? ' by another registerSetting call' : ' by the core'}. Give the battery's setting its own name.`,
    );
  }
  registered.set(name, definition);
}

export function registeredSettings(): ReadonlyMap<string, SettingDefinition<unknown, unknown>> {
  return registered;
}
