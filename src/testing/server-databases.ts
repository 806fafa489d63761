// Test databases on PostgreSQL and MariaDB/MySQL: `test_<name>`, or `test_<name>_2`, `_3`… when
// other test processes hold the lower slots. A slot is owned through a session lock held by a
// connection that lives as long as the test database, so a database whose slot is free is a
// leftover of a run that crashed: it is dropped and made afresh, never piling up.
import { AsyncResource } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { Database } from '../db/connection/index.js';
import { CarafeError } from '../index.js';

type ServerDialect = 'postgres' | 'mysql';

/** One test database created on a server, with the lock that says it is in use. */
export interface ServerTestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database (close its pools first) and frees the slot. */
  drop(): Promise<void>;
}

/** More concurrent test processes per database than anyone runs. */
const maxSlots = 64;
/** PostgreSQL and MariaDB both cut identifiers at 63–64 characters. */
const maxNameLength = 63;

/** A connection of the pool kept for one caller: what `run` is given executes on it. */
interface HeldConnection {
  run<T>(fn: () => Promise<T>): Promise<T>;
  release(): Promise<void>;
}

function holdConnection(db: Database): Promise<HeldConnection> {
  return new Promise((resolve, reject) => {
    let release = (): void => {};
    const released = new Promise<void>((done) => {
      release = done;
    });
    const held = db.pinned(async () => {
      // Bound here, `run` carries this pinned context to whatever it is called from.
      const run = AsyncResource.bind(<T>(fn: () => Promise<T>): Promise<T> => fn());
      resolve({
        run,
        async release() {
          release();
          await held;
        },
      });
      await released;
    });
    held.catch(reject);
  });
}

function quote(dialect: ServerDialect, identifier: string): string {
  return dialect === 'postgres'
    ? `"${identifier.replaceAll('"', '""')}"`
    : `\`${identifier.replaceAll('`', '``')}\``;
}

/** The server's own database to work from: `postgres` on PostgreSQL, none on MariaDB. */
function adminUrl(url: string, dialect: ServerDialect): string {
  const admin = new URL(url);
  admin.pathname = dialect === 'postgres' ? '/postgres' : '/';
  admin.searchParams.delete('schema');
  return admin.href;
}

function withDatabase(url: string, name: string): string {
  const test = new URL(url);
  test.pathname = `/${encodeURIComponent(name)}`;
  return test.href;
}

function lockKey(name: string): string {
  return `carafe_test_database:${createHash('sha256').update(name).digest('hex').slice(0, 40)}`;
}

/** PostgreSQL advisory locks take a 64-bit key: the first 8 bytes of a hash, as a signed integer. */
function advisoryKey(name: string): string {
  return createHash('sha256').update(lockKey(name)).digest().readBigInt64BE(0).toString();
}

async function tryLock(admin: Database, dialect: ServerDialect, name: string): Promise<boolean> {
  if (dialect === 'postgres') {
    const [row] = await admin.raw<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1::bigint) AS locked',
      [advisoryKey(name)],
    );
    return row?.locked === true;
  }
  const [row] = await admin.raw<{ locked: unknown }>('SELECT GET_LOCK(?, 0) AS locked', [
    lockKey(name),
  ]);
  return Number(row?.locked) === 1;
}

/** The first free slot's name. `taken` holds this process's names: its own locks would be granted again. */
async function claimSlot(
  admin: Database,
  dialect: ServerDialect,
  base: string,
  taken: Set<string>,
): Promise<string> {
  for (let slot = 1; slot <= maxSlots; slot++) {
    const name = slot === 1 ? base : `${base}_${slot}`;
    if (taken.has(name)) continue;
    if (await tryLock(admin, dialect, name)) {
      taken.add(name);
      return name;
    }
  }
  throw new CarafeError(
    'CARAFE_TEST_DATABASE_SLOTS',
    `${maxSlots} test processes already use ${base} (and ${base}_2…_${maxSlots}) on this server. ` +
      'Run fewer test files at once (--test-concurrency).',
  );
}

async function dropStatement(
  admin: Database,
  dialect: ServerDialect,
  name: string,
): Promise<string> {
  const quoted = quote(dialect, name);
  if (dialect === 'mysql') return `DROP DATABASE IF EXISTS ${quoted}`;
  // A backend of a killed test process can linger for a moment; FORCE (PostgreSQL 13+) ends it.
  const [row] = await admin.raw<{ version: string }>('SHOW server_version_num');
  const force = Number(row?.version ?? 0) >= 130000 ? ' WITH (FORCE)' : '';
  return `DROP DATABASE IF EXISTS ${quoted}${force}`;
}

async function recreate(admin: Database, dialect: ServerDialect, name: string): Promise<void> {
  await admin.raw(await dropStatement(admin, dialect, name));
  const quoted = quote(dialect, name);
  await admin.raw(
    dialect === 'postgres'
      ? `CREATE DATABASE ${quoted}`
      : `CREATE DATABASE ${quoted} CHARACTER SET utf8mb4`,
  );
}

/** `test_<database>` for a URL naming one, else `test_<alias>`. */
export function testDatabaseBase(alias: string, database: string | undefined): string {
  const base = `test_${database ?? alias}`;
  // Room for the slot suffix (`_64`).
  if (base.length > maxNameLength - 3) {
    throw new CarafeError(
      'CARAFE_TEST_DATABASE_NAME',
      `The test database name ${base} is too long (at most ${maxNameLength - 3} characters); ` +
        `give database "${alias}" a shorter name.`,
    );
  }
  return base;
}

/**
 * Claims a slot for `base` on the server of `url`, (re)creates the database and returns its URL,
 * which keeps the options of `url`. `taken` is shared by the calls for one set of test databases.
 */
export async function createServerTestDatabase(
  url: string,
  dialect: ServerDialect,
  base: string,
  taken: Set<string>,
): Promise<ServerTestDatabase> {
  const admin = new Database('carafe_test_admin', adminUrl(url, dialect));
  let held: HeldConnection;
  try {
    held = await holdConnection(admin);
  } catch (error) {
    await admin.close();
    throw error;
  }
  const release = async () => {
    try {
      await held.release();
    } finally {
      await admin.close();
    }
  };
  const name = await held
    .run(() => claimSlot(admin, dialect, base, taken))
    .catch(async (error) => {
      await release();
      throw error;
    });
  try {
    await held.run(() => recreate(admin, dialect, name));
  } catch (error) {
    taken.delete(name);
    await release();
    throw error;
  }
  return {
    name,
    url: withDatabase(url, name),
    async drop() {
      try {
        await held.run(async () => admin.raw(await dropStatement(admin, dialect, name)));
      } finally {
        taken.delete(name);
        await release();
      }
    },
  };
}
