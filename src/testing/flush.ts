// Django's TransactionTestCase clean-up: for tests whose code really commits, every table is
// emptied afterwards, except the migration record (the schema stays as migrated).
import { atomic, type Database, type Dialect, database } from '../db/index.js';
import type { RollbackOptions } from './rollback.js';
import { testDatabaseNames } from './test-databases.js';

const kept = new Set(['carafe_migrations', 'carafe_migration_progress']);

const listTables: Record<Dialect, string> = {
  sqlite:
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
  postgres: 'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()',
  mysql:
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
};

function quote(dialect: Dialect, name: string): string {
  return dialect === 'mysql'
    ? `\`${name.replaceAll('`', '``')}\``
    : `"${name.replaceAll('"', '""')}"`;
}

async function tablesOf(db: Database): Promise<string[]> {
  const rows = await db.raw<{ name: string }>(listTables[db.dialect]);
  return rows.map((row) => row.name).filter((name) => !kept.has(name));
}

async function flushOne(db: Database): Promise<void> {
  const tables = (await tablesOf(db)).map((name) => quote(db.dialect, name));
  if (tables.length === 0) return;
  switch (db.dialect) {
    case 'postgres':
      // One statement, and foreign keys between the listed tables are no obstacle.
      await db.raw(`TRUNCATE ${tables.join(', ')}`);
      return;
    case 'sqlite':
      // Foreign keys are checked at COMMIT, when every table is already empty.
      await atomic(
        async () => {
          await db.raw('PRAGMA defer_foreign_keys = ON');
          for (const table of tables) await db.raw(`DELETE FROM ${table}`);
        },
        { using: db.name },
      );
      return;
    case 'mysql':
      // DELETE rather than TRUNCATE: MariaDB rebuilds a truncated table, much slower when small.
      await db.pinned(async () => {
        await db.raw('SET FOREIGN_KEY_CHECKS = 0');
        try {
          for (const table of tables) await db.raw(`DELETE FROM ${table}`);
        } finally {
          await db.raw('SET FOREIGN_KEY_CHECKS = 1');
        }
      });
      return;
  }
}

/**
 * Empties every table of the test databases but the migration record, for tests whose code
 * commits (`transaction: false`). Rows added by data migrations go too. Ids keep counting.
 */
export async function flushDatabases(options: RollbackOptions = {}): Promise<void> {
  for (const name of testDatabaseNames(options.using)) await flushOne(database(name));
}
