// How a bad setting is reported: every problem names the setting, what is wrong and the fix,
// and all problems found in one config are reported together.
import { CarafeError } from '../errors.js';

export interface ConfigWarning {
  readonly code: `CARAFE_${string}`;
  readonly message: string;
}

/** Handed to every setting's `resolve`. */
export interface SettingContext {
  /** The resolved `debug` setting; resolved before every other setting. */
  readonly debug: boolean;
  /** The environment `resolveConfig` was given (`process.env` by default). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Rejects the setting. `path` names it as the user wrote it (`limits.bodySize`), `problem`
   * continues the sentence (`must be a positive integer (got -1)`), `fix` says what to do.
   */
  fail(path: string, problem: string, fix: string): never;
  /** Reports something allowed but probably a mistake; the app logs it. */
  warn(warning: ConfigWarning): void;
}

/** Thrown by `SettingContext.fail`; collected by `resolveConfig` into one error. */
export class SettingProblem extends Error {
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
  constructor(path: string, problem: string, fix: string) {
    super(`${path} ${problem}. ${fix}`);
    this.path = path;
    this.problem = problem;
    this.fix = fix;
  }
}

export function configError(problems: readonly SettingProblem[]): CarafeError {
  if (problems.length === 1) {
    return new CarafeError('CARAFE_CONFIG', `Invalid configuration: ${problems[0]!.message}`);
  }
  const lines = problems.map((problem) => `  - ${problem.message}`);
  return new CarafeError(
    'CARAFE_CONFIG',
    `Invalid configuration (${problems.length} problems):\n${lines.join('\n')}`,
  );
}

/** A short, safe rendering of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    case 'function':
      return 'a function';
    default:
      return 'an object';
  }
}

/**
 * The closest known name to a misspelt one, ignoring case, `_` and `-` (so SECRET_KEY finds
 * secretKey); a name cut short (keepAlive) finds the one it begins.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const wanted = normalise(name);
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3)) + 1;
  for (const candidate of known) {
    const known = normalise(candidate);
    const distance =
      wanted.length >= 4 && known.startsWith(wanted) ? 1 : editDistance(wanted, known);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}
