// Turns what `carafe.config.ts` exports into the validated, complete, frozen configuration.
import { CarafeError } from '../errors.js';
import {
  type ConfigWarning,
  closestName,
  configError,
  describeValue,
  type SettingContext,
  SettingProblem,
} from './problems.js';
import { registeredSettings } from './registry.js';
import { type CoreSettingName, coreSettingNames, coreSettings } from './settings.js';
import type { CarafeConfig, ResolvedConfig } from './types.js';

export interface ResolveOptions {
  /** The environment consulted for environment-dependent checks. Default `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Receives warnings (e.g. a generated debug key). Default: `process.emitWarning`, once per code. */
  onWarning?: ((warning: ConfigWarning) => void) | undefined;
}

/** Types `carafe.config.ts` without changing anything: `export default defineConfig({ … })`. */
export function defineConfig(config: CarafeConfig): CarafeConfig {
  return config;
}

/**
 * Fills every default and validates every setting. Throws one `CarafeError('CARAFE_CONFIG')`
 * listing all problems, each naming the setting and the fix.
 */
export function resolveConfig(input: CarafeConfig, options: ResolveOptions = {}): ResolvedConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CarafeError(
      'CARAFE_CONFIG',
      `Invalid configuration: expected an object of settings (got ${describeValue(input)}). Make carafe.config.ts end with export default defineConfig({ ... }).`,
    );
  }
  const env = options.env ?? process.env;
  const values = new Map<string, unknown>(Object.entries(input));
  const extensions = registeredSettings();
  const problems: SettingProblem[] = [];
  const warnings: ConfigWarning[] = [];
  const contextFor = (debug: boolean): SettingContext => ({
    debug,
    env,
    fail(path, problem, fix) {
      throw new SettingProblem(path, problem, fix);
    },
    warn(warning) {
      warnings.push(warning);
    },
  });
  const attempt = <T>(resolve: () => T): T | undefined => {
    try {
      return resolve();
    } catch (error) {
      if (!(error instanceof SettingProblem)) throw error;
      problems.push(error);
      return undefined;
    }
  };

  const known = [...coreSettingNames, ...extensions.keys()];
  for (const name of values.keys()) {
    if (known.includes(name)) continue;
    const guess = closestName(name, known);
    problems.push(
      new SettingProblem(
        name,
        'is not a setting Carafe knows',
        guess === undefined
          ? 'Remove it, or check the settings reference; a battery adds its settings with registerSetting().'
          : `Did you mean ${guess}?`,
      ),
    );
  }

  // Every other default depends on debug, so it is settled first.
  const debug = attempt(() => coreSettings.debug(input.debug, contextFor(false))) ?? false;
  const context = contextFor(debug);
  const resolved: Record<string, unknown> = { debug };
  const resolveCore = <Name extends CoreSettingName>(name: Name) =>
    coreSettings[name](input[name], context);
  for (const name of coreSettingNames) {
    if (name !== 'debug') resolved[name] = attempt(() => resolveCore(name));
  }
  for (const [name, definition] of extensions) {
    resolved[name] = attempt(() => definition.resolve(values.get(name), context));
  }

  if (problems.length > 0) throw configError(problems);
  for (const warning of warnings) (options.onWarning ?? emitOnce)(warning);
  // Every key of ResolvedConfig was filled above: the core ones by name, the battery ones
  // through the registry, whose entries are typed against ResolvedConfig by registerSetting.
  return Object.freeze(resolved) as unknown as ResolvedConfig;
}

const emitted = new Set<string>();

function emitOnce(warning: ConfigWarning): void {
  if (emitted.has(warning.code)) return;
  emitted.add(warning.code);
  process.emitWarning(warning.message, { type: 'CarafeWarning', code: warning.code });
}
