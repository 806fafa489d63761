// One `migrate` at a time per database. PostgreSQL and MariaDB/MySQL: a session lock
// (pg_advisory_lock, GET_LOCK) held on one pinned connection for the whole run, which also
// runs the migrations, so the lock lives exactly as long as the run (or its connection).
// SQLite has no such lock: each migration runs in a `BEGIN IMMEDIATE` transaction instead,
// and the executor re-checks the record table inside it.
import { createHash } from 'node:crypto';
import type { Database } from '../connection/index.js';

/** The lock's name: per PostgreSQL schema or MariaDB database, since the record table is too. */
function lockName(scope: string): string {
  return `carafe_migrate:${scope}`;
}

/** PostgreSQL advisory locks take a 64-bit key: the first 8 bytes of a hash, as a signed integer. */
function advisoryKey(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  return digest.readBigInt64BE(0).toString();
}

/** GET_LOCK names are at most 64 characters. */
function namedLock(name: string): string {
  return name.length <= 64
    ? name
    : `carafe_migrate:${createHash('sha256').update(name).digest('hex').slice(0, 40)}`;
}

async function releaseQuietly(release: () => Promise<unknown>): Promise<void> {
  try {
    await release();
  } catch {
    // The connection may be gone, which released the lock already; the run's own outcome stands.
  }
}

async function withPostgresLock<T>(
  db: Database,
  wait: () => void,
  fn: () => Promise<T>,
): Promise<T> {
  const [row] = await db.raw<{ scope: string }>('SELECT current_schema() AS scope');
  const key = advisoryKey(lockName(row?.scope ?? ''));
  const [tried] = await db.raw<{ locked: boolean }>(
    'SELECT pg_try_advisory_lock($1::bigint) AS locked',
    [key],
  );
  if (tried?.locked !== true) {
    wait();
    await db.raw('SELECT pg_advisory_lock($1::bigint)', [key]);
  }
  try {
    return await fn();
  } finally {
    await releaseQuietly(() => db.raw('SELECT pg_advisory_unlock($1::bigint)', [key]));
  }
}

async function withMysqlLock<T>(db: Database, wait: () => void, fn: () => Promise<T>): Promise<T> {
  const [row] = await db.raw<{ scope: string | null }>('SELECT DATABASE() AS scope');
  const name = namedLock(lockName(row?.scope ?? ''));
  const acquire = async (seconds: number) =>
    Number(
      (await db.raw<{ locked: unknown }>('SELECT GET_LOCK(?, ?) AS locked', [name, seconds]))[0]
        ?.locked,
    ) === 1;
  if (!(await acquire(0))) {
    wait();
    while (!(await acquire(60))) {
      // Still held: another run is busy with long migrations; keep waiting.
    }
  }
  try {
    return await fn();
  } finally {
    await releaseQuietly(() => db.raw('SELECT RELEASE_LOCK(?)', [name]));
  }
}

/**
 * Runs `fn` holding the migration lock of `db`; `waiting` is called once if another run holds
 * it. On PostgreSQL and MariaDB, `fn`'s queries on `db` share the locked connection.
 */
export function withMigrationLock<T>(
  db: Database,
  waiting: () => void,
  fn: () => Promise<T>,
): Promise<T> {
  switch (db.dialect) {
    case 'sqlite':
      return fn();
    case 'postgres':
      return db.pinned(() => withPostgresLock(db, waiting, fn));
    case 'mysql':
      return db.pinned(() => withMysqlLock(db, waiting, fn));
  }
}
