// What the database servers share: where the database is, and the rules of TechEmpower's
// endpoints (`/db`, `/queries`, `/fortunes`, `/updates`, `/cached-queries`) they serve.
import { fileURLToPath } from 'node:url';
import { flagValue } from './common.js';

/** Rows in the `world` table the runner fills before timing. */
export const WORLD_ROWS = 10_000;

/** The database URL from `--db-url URL` (or `--db-url=URL`), else env `DATABASE_URL`. */
export function databaseUrl(argv: readonly string[] = process.argv.slice(2)): string {
  const url = flagValue(argv, 'db-url', 'DATABASE_URL');
  if (url === undefined || url === '') {
    process.stderr.write('no database: pass --db-url URL or set DATABASE_URL\n');
    process.exit(2);
  }
  return url;
}

/** A row of the `world` table as the endpoints send it. */
export interface World {
  id: number;
  randomNumber: number;
}

/** A uniformly random primary key of the `world` table. */
export function randomWorldId(): number {
  return 1 + Math.floor(Math.random() * WORLD_ROWS);
}

/**
 * `queries` (and `/cached-queries`' `count`) as TechEmpower defines it: missing or not a number
 * → 1, else clamped to 1–500.
 */
export function queryCount(raw: string | null): number {
  const count = Number.parseInt(raw ?? '', 10);
  if (Number.isNaN(count) || count < 1) return 1;
  return Math.min(count, 500);
}

/** The template folder of the `/fortunes` servers (beside the compiled servers, too). */
export const TEMPLATES_DIR = fileURLToPath(new URL('templates/', import.meta.url));

export interface Fortune {
  readonly id: number;
  readonly message: string;
}

/** The row TechEmpower's `/fortunes` adds to the table's at request time, before sorting. */
export const ADDITIONAL_FORTUNE: Fortune = {
  id: 0,
  message: 'Additional fortune added at request time.',
};

/** Sorts fortunes by message, by UTF-16 code unit as `<` compares. */
export function byMessage(a: Fortune, b: Fortune): number {
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/**
 * The pg pool the raw-driver servers use for a Carafe PostgreSQL URL: the same pool size as
 * carafe/db's default, and its `?schema=` option as pg's search_path setting.
 */
export function postgresPoolConfig(url: string): {
  connectionString: string;
  max: number;
  options?: string;
} {
  const connection = new URL(url);
  const schema = connection.searchParams.get('schema');
  connection.search = '';
  return {
    connectionString: connection.href,
    max: 10,
    ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
  };
}
