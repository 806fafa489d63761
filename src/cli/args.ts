// The argument parser: long options (`--name value`, `--name=value`), a few short ones (`-h`),
// repeatable options, positionals and `--`. Written here rather than with node:util's parseArgs
// so an unknown option can be answered with the closest known one.
import { closest } from './suggest.js';

export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  /** May be given several times; the values are collected in order. */
  readonly multiple?: boolean;
  /** One letter: `-h` for `--help`. */
  readonly short?: string;
  /** How the value is shown in help: `--name NAME`. */
  readonly value?: string;
  readonly description: string;
}

export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  /** Takes every remaining argument (`makemigrations [app…]`); only the last one may. */
  readonly variadic?: boolean;
}

export interface ArgumentsSpec {
  /** `carafe makemigrations`, for messages. */
  readonly command: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly positionals: readonly PositionalSpec[];
  /** Arguments after `--` are kept apart, for another program (`dbshell -- -c 'select 1'`). */
  readonly passThrough?: boolean;
}

/** A mistake in how the command was called: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export class Arguments {
  readonly #values: Map<string, string | boolean | string[]>;
  readonly #spec: ArgumentsSpec;
  readonly positionals: readonly string[];
  /** What followed `--`. */
  readonly rest: readonly string[];

  constructor(
    spec: ArgumentsSpec,
    values: Map<string, string | boolean | string[]>,
    positionals: readonly string[],
    rest: readonly string[],
  ) {
    this.#spec = spec;
    this.#values = values;
    this.positionals = positionals;
    this.rest = rest;
  }

  flag(name: string): boolean {
    this.#expect(name, 'boolean');
    return this.#values.get(name) === true;
  }

  value(name: string): string | undefined {
    this.#expect(name, 'string');
    const value = this.#values.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  values(name: string): string[] {
    this.#expect(name, 'string');
    const value = this.#values.get(name);
    return Array.isArray(value) ? value : [];
  }

  /** A whole number ≥ `min`, or `fallback` when the option is absent. */
  integer(name: string, fallback: number, min: number): number {
    const text = this.value(name);
    if (text === undefined) return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min) {
      throw new UsageError(`--${name} must be a whole number of at least ${min} (got "${text}").`);
    }
    return value;
  }

  #expect(name: string, type: OptionSpec['type']): void {
    // A command asking for an option it does not declare is a bug in Carafe, not in the call.
    if (this.#spec.options[name]?.type !== type) {
      throw new Error(
        `${this.#spec.command} reads --${name} as ${type}, which it does not declare`,
      );
    }
  }
}

function findOption(
  spec: ArgumentsSpec,
  token: string,
): { name: string; option: OptionSpec } | undefined {
  if (token.startsWith('--')) {
    const name = token.slice(2);
    const option = spec.options[name];
    return option === undefined ? undefined : { name, option };
  }
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.short !== undefined && `-${option.short}` === token) return { name, option };
  }
  return undefined;
}

function unknownOption(spec: ArgumentsSpec, token: string): UsageError {
  const guess = closest(token.replace(/^-+/, ''), Object.keys(spec.options));
  const hint = guess === undefined ? '' : ` Did you mean --${guess}?`;
  return new UsageError(`Unknown option ${token} for ${spec.command}.${hint}`);
}

function positionalsOf(spec: ArgumentsSpec, given: readonly string[]): void {
  const last = spec.positionals[spec.positionals.length - 1];
  const usage = `${spec.command} ${spec.positionals.map(shownPositional).join(' ')}`.trim();
  if (last?.variadic !== true && given.length > spec.positionals.length) {
    const extra = given.slice(spec.positionals.length).map((arg) => JSON.stringify(arg));
    throw new UsageError(
      spec.positionals.length === 0
        ? `${spec.command} takes no arguments (got ${extra.join(' ')}).`
        : `Too many arguments: ${extra.join(' ')}. Usage: ${usage}`,
    );
  }
  const missing = spec.positionals.find(
    (positional, index) => positional.required === true && given[index] === undefined,
  );
  if (missing !== undefined) {
    throw new UsageError(`${spec.command} needs <${missing.name}>. Usage: ${usage}`);
  }
}

export function shownPositional(positional: PositionalSpec): string {
  const name = positional.variadic === true ? `${positional.name}…` : positional.name;
  return positional.required === true ? `<${name}>` : `[${name}]`;
}

/** Parses `argv` (the words after the command name) against `spec`. */
export function parseArguments(spec: ArgumentsSpec, argv: readonly string[]): Arguments {
  const values = new Map<string, string | boolean | string[]>();
  const positionals: string[] = [];
  let rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === '--') {
      const after = argv.slice(index + 1);
      if (spec.passThrough === true) rest = after;
      else positionals.push(...after);
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    const equals = token.indexOf('=');
    const key = token.startsWith('--') && equals !== -1 ? token.slice(0, equals) : token;
    const found = findOption(spec, key);
    if (found === undefined) throw unknownOption(spec, key);
    const { name, option } = found;
    if (option.type === 'boolean') {
      if (equals !== -1) throw new UsageError(`--${name} takes no value (got "${token}").`);
      values.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (equals !== -1) value = token.slice(equals + 1);
    else if (index + 1 < argv.length && !argv[index + 1]!.startsWith('--')) value = argv[++index];
    if (value === undefined) {
      throw new UsageError(
        `--${name} needs a value: ${spec.command} --${name} ${option.value ?? 'VALUE'}.`,
      );
    }
    if (option.multiple === true) {
      const list = values.get(name);
      values.set(name, Array.isArray(list) ? [...list, value] : [value]);
    } else if (values.has(name)) {
      throw new UsageError(`--${name} is given twice; give it once.`);
    } else values.set(name, value);
  }
  positionalsOf(spec, positionals);
  return new Arguments(spec, values, positionals, rest);
}
