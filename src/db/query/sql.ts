// Kysely pieces the compiler builds with. Queries are assembled from `sql` fragments (identifiers
// quoted per dialect, every value a bound parameter) and compiled by a connection-free Kysely per
// dialect, so SQL can be built and cached without touching a database.
import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import type { DatabaseSchema, Dialect } from '../connection/index.js';

export type Sql = RawBuilder<unknown>;
export { sql };

const compilers = new Map<Dialect, Kysely<DatabaseSchema>>();

/** A Kysely that only compiles (its driver never connects). */
export function compilerFor(dialect: Dialect): Kysely<DatabaseSchema> {
  let kysely = compilers.get(dialect);
  if (kysely === undefined) {
    kysely = new Kysely<DatabaseSchema>({
      dialect: {
        createAdapter: () =>
          dialect === 'postgres'
            ? new PostgresAdapter()
            : dialect === 'mysql'
              ? new MysqlAdapter()
              : new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) =>
          dialect === 'postgres'
            ? new PostgresIntrospector(db)
            : dialect === 'mysql'
              ? new MysqlIntrospector(db)
              : new SqliteIntrospector(db),
        createQueryCompiler: () =>
          dialect === 'postgres'
            ? new PostgresQueryCompiler()
            : dialect === 'mysql'
              ? new MysqlQueryCompiler()
              : new SqliteQueryCompiler(),
      },
    });
    compilers.set(dialect, kysely);
  }
  return kysely;
}

export function compile(query: Sql, dialect: Dialect): CompiledQuery<unknown> {
  return query.compile(compilerFor(dialect));
}

/** `"alias"."column"`, or just `"column"` when `alias` is empty (inside DDL). */
export function column(alias: string, name: string): Sql {
  return alias === '' ? sql.id(name) : sql.id(alias, name);
}

export function identifier(name: string): Sql {
  return sql.id(name);
}

export function list(items: readonly Sql[], separator: Sql = sql`, `): Sql {
  return sql.join(items, separator);
}

export function and(items: readonly Sql[]): Sql {
  if (items.length === 1) return items[0]!;
  return sql`(${sql.join(items, sql` AND `)})`;
}

export function or(items: readonly Sql[]): Sql {
  if (items.length === 1) return items[0]!;
  return sql`(${sql.join(items, sql` OR `)})`;
}

export const alwaysFalse: Sql = sql`1 = 0`;
export const alwaysTrue: Sql = sql`1 = 1`;
