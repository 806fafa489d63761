// Typed reads of environment variables for `carafe.config.ts`. The first read loads `.env`.
import { CarafeError } from '../errors.js';
import { ensureDotenvLoaded } from './dotenv.js';
import { describeValue } from './problems.js';

const truthy = new Set(['true', '1', 'yes', 'on']);
const falsy = new Set(['false', '0', 'no', 'off']);

function read(name: string): string | undefined {
  ensureDotenvLoaded();
  return process.env[name];
}

/** `env('SECRET_KEY')` is `string | undefined`; `env('DATABASE_URL', 'sqlite://db.sqlite3')` is `string`. */
function envString(name: string): string | undefined;
function envString(name: string, fallback: string): string;
function envString(name: string, fallback?: string): string | undefined {
  return read(name) ?? fallback;
}

/** true/false, 1/0, yes/no, on/off in any case; unset or empty gives the fallback. */
function bool(name: string): boolean | undefined;
function bool(name: string, fallback: boolean): boolean;
function bool(name: string, fallback?: boolean): boolean | undefined {
  const raw = read(name);
  if (raw === undefined || raw.trim() === '') return fallback;
  const word = raw.trim().toLowerCase();
  if (truthy.has(word)) return true;
  if (falsy.has(word)) return false;
  throw new CarafeError(
    'CARAFE_CONFIG',
    `Environment variable ${name} must be a boolean (got ${describeValue(raw)}). Use true or false (also 1/0, yes/no, on/off).`,
  );
}

/** A whole number such as `8000` or `-1`; unset or empty gives the fallback. */
function int(name: string): number | undefined;
function int(name: string, fallback: number): number;
function int(name: string, fallback?: number): number | undefined {
  const raw = read(name);
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (/^[+-]?\d+$/.test(raw.trim()) && Number.isSafeInteger(value)) return value;
  throw new CarafeError(
    'CARAFE_CONFIG',
    `Environment variable ${name} must be an integer (got ${describeValue(raw)}). Use digits only, e.g. ${name}=8000.`,
  );
}

/** Comma-separated items, trimmed, empty ones dropped: `a, b,,c` gives `['a', 'b', 'c']`. */
function list(name: string): string[] | undefined;
function list(name: string, fallback: readonly string[]): string[];
function list(name: string, fallback?: readonly string[]): string[] | undefined {
  const raw = read(name);
  if (raw === undefined) return fallback === undefined ? undefined : [...fallback];
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Reads environment variables (after `.env`) with typed parsing: `env`, `env.bool`, `env.int`, `env.list`. */
export const env = Object.assign(envString, { bool, int, list });
