// What the two database servers share: where the database is, and the rules of the
// TechEmpower-style endpoints (`/db`, `/queries?queries=N`) they both serve.

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

/** A uniformly random primary key of the `world` table. */
export function randomWorldId(): number {
  return 1 + Math.floor(Math.random() * WORLD_ROWS);
}

/** `queries` as TechEmpower defines it: missing or not a number → 1, else clamped to 1–500. */
export function queryCount(raw: string | null): number {
  const count = Number.parseInt(raw ?? '', 10);
  if (Number.isNaN(count) || count < 1) return 1;
  return count > 500 ? 500 : count;
}
