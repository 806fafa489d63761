// createTables / dropTables: the DDL for a set of models on one database, for tests and demos
// (migrations come later and will share the column types). Tables get their columns, keys,
// uniques, checks and indexes; foreign keys are real constraints, deferred where the database
// can defer them, so the delete collector's order never trips them inside a transaction.
import { createHash } from 'node:crypto';
import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { type Database, type DatabaseSchema, type Dialect, database } from './connection/index.js';
import type { Field } from './fields/field.js';
import type { RelationField } from './fields/relation.js';
import type { CheckConstraintSpec, ModelMeta } from './meta.js';
import type { AnyModel } from './model-types.js';
import { compileWhere, nowSql } from './query/compile-where.js';
import { isExpression } from './query/expressions.js';
import { ParamCollector } from './query/template.js';
import { objectCondition, WhereBuilder } from './query/where.js';
import { resolveRelations } from './registry.js';
import { columnSqlType } from './schema-types.js';

/** A deterministic identifier ≤ 60 characters: readable prefix, hash of the full name. */
export function constraintName(table: string, columns: readonly string[], suffix: string): string {
  const full = `${table}_${columns.join('_')}_${suffix}`;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const prefix = `${table}_${columns.join('_')}`.slice(0, 60 - suffix.length - 10);
  return `${prefix}_${suffix}_${hash}`;
}

/** The models plus the automatic join tables of their many-to-many fields. */
function withJoinTables(models: readonly AnyModel[]): ModelMeta[] {
  resolveRelations();
  const metas: ModelMeta[] = [];
  for (const model of models) {
    const meta = model.meta;
    for (const field of [...meta.forwardRelations, ...meta.manyToMany]) void field.target;
    if (!metas.includes(meta)) metas.push(meta);
    for (const field of meta.manyToMany) {
      const through = field.through!;
      if (through.autoCreated && !metas.includes(through)) metas.push(through);
    }
  }
  return metas;
}

function defaultSql(field: Field, dialect: Dialect) {
  const value = field.dbDefault;
  if (isExpression(value)) {
    const now = nowSql(new ParamCollector(dialect));
    return dialect === 'sqlite' ? sql`(${now})` : now;
  }
  if (field.family === 'json') return sql.lit(JSON.stringify(value));
  if (typeof value === 'boolean' && dialect === 'sqlite') return sql.lit(value ? 1 : 0);
  if (value instanceof Date) return sql.lit(value.toISOString());
  return sql.lit(value as string | number | bigint);
}

function checkSql(meta: ModelMeta, constraint: CheckConstraintSpec, dialect: Dialect) {
  if (typeof constraint.check === 'string') return sql.raw(constraint.check);
  const builder = new WhereBuilder([], new Map());
  const collected = objectCondition(builder, meta, constraint.check);
  return compileWhere(new ParamCollector(dialect, builder.values), collected.node, {
    meta,
    alias: '',
  });
}

type TableBuilder = CreateTableBuilder<string, string>;

function addColumn(
  table: TableBuilder,
  field: Field,
  dialect: Dialect,
  inlineKeys: boolean,
): TableBuilder {
  return table.addColumn(field.column, sql.raw(columnSqlType(field, dialect)), (column) => {
    let built = column;
    if (field.primaryKey) {
      if (field.generated) {
        if (dialect === 'postgres') built = built.generatedByDefaultAsIdentity().primaryKey();
        else if (dialect === 'mysql') built = built.autoIncrement().primaryKey();
        else built = built.primaryKey().autoIncrement();
      } else {
        built = built.primaryKey();
      }
    } else {
      if (!field.nullable) built = built.notNull();
      if (field.unique) built = built.unique();
    }
    if (field.hasDbDefault) built = built.defaultTo(defaultSql(field, dialect));
    if (inlineKeys && field.isRelation) {
      const target = (field as RelationField).target;
      built = built
        .references(`${target.table}.${target.pk.column}`)
        .modifyEnd(sql`DEFERRABLE INITIALLY DEFERRED`);
    }
    return built;
  });
}

function tableBuilder(
  kysely: Kysely<DatabaseSchema>,
  meta: ModelMeta,
  dialect: Dialect,
): TableBuilder {
  let table: TableBuilder = kysely.schema.createTable(meta.table);
  for (const field of meta.concreteFields)
    table = addColumn(table, field, dialect, dialect === 'sqlite');
  const column = (name: string) => meta.fieldByName.get(name)!.column;
  for (const names of meta.uniqueTogether) {
    const columns = names.map(column);
    table = table.addUniqueConstraint(constraintName(meta.table, columns, 'uniq'), columns);
  }
  for (const constraint of meta.constraints) {
    if (constraint.kind === 'unique')
      table = table.addUniqueConstraint(constraint.name, constraint.fields.map(column));
    else table = table.addCheckConstraint(constraint.name, checkSql(meta, constraint, dialect));
  }
  if (dialect === 'mysql') {
    for (const field of meta.concreteFields) {
      if (field.family === 'json') {
        table = table.addCheckConstraint(
          constraintName(meta.table, [field.column], 'json'),
          sql`json_valid(${sql.id(field.column)})`,
        );
      }
    }
    // Binary collation: = and LIKE compare case-sensitively, as on PostgreSQL and SQLite.
    table = table.modifyEnd(sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }
  return table;
}

async function createIndexes(kysely: Kysely<DatabaseSchema>, meta: ModelMeta): Promise<void> {
  for (const field of meta.concreteFields) {
    if (field.unique || field.primaryKey) continue;
    if (field.index || field.isRelation) {
      await kysely.schema
        .createIndex(constraintName(meta.table, [field.column], 'idx'))
        .on(meta.table)
        .column(field.column)
        .execute();
    }
  }
  for (const index of meta.indexes) {
    const columns = index.fields.map((name) => {
      const field = meta.fieldByName.get(name.replace(/^-/, ''))!;
      return name.startsWith('-') ? `${field.column} desc` : field.column;
    });
    let builder = kysely.schema
      .createIndex(
        index.name ??
          constraintName(
            meta.table,
            columns.map((c) => c.replace(' desc', '')),
            'idx',
          ),
      )
      .on(meta.table)
      .columns(columns);
    if (index.unique === true) builder = builder.unique();
    await builder.execute();
  }
}

function usingDatabase(options: { using?: string } | undefined): Database {
  return database(options?.using);
}

/**
 * Creates the tables of `models` (and their automatic many-to-many join tables) on a database.
 * Migrations will do this for real projects; this is for tests, scripts and demos.
 */
export async function createTables(
  models: readonly AnyModel[],
  options?: { using?: string },
): Promise<void> {
  const db = usingDatabase(options);
  const metas = withJoinTables(models);
  const kysely = db.executor();
  for (const meta of metas) await tableBuilder(kysely, meta, db.dialect).execute();
  for (const meta of metas) await createIndexes(kysely, meta);
  if (db.dialect === 'sqlite') return;
  for (const meta of metas) {
    for (const field of meta.forwardRelations) {
      const target = field.target;
      let alter = kysely.schema
        .alterTable(meta.table)
        .addForeignKeyConstraint(
          constraintName(meta.table, [field.column], 'fk'),
          [field.column],
          target.table,
          [target.pk.column],
        );
      if (db.dialect === 'postgres') alter = alter.deferrable().initiallyDeferred();
      await alter.execute();
    }
  }
}

/** Drops the tables of `models` (and their automatic join tables), ignoring those that do not exist. */
export async function dropTables(
  models: readonly AnyModel[],
  options?: { using?: string },
): Promise<void> {
  const db = usingDatabase(options);
  const metas = withJoinTables(models);
  const kysely = db.executor();
  if (db.dialect === 'mysql') {
    // MySQL cannot defer or cascade a DROP TABLE over foreign keys: drop the keys first.
    const tables = metas.map((meta) => meta.table);
    const keys = await db.raw<{ TABLE_NAME: string; CONSTRAINT_NAME: string }>(
      `SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS
       WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'FOREIGN KEY'
       AND TABLE_NAME IN (${tables.map(() => '?').join(', ')})`,
      tables,
    );
    for (const key of keys) {
      await kysely.schema.alterTable(key.TABLE_NAME).dropConstraint(key.CONSTRAINT_NAME).execute();
    }
  }
  if (db.dialect === 'sqlite') await db.raw('PRAGMA foreign_keys = OFF');
  try {
    for (const meta of [...metas].reverse()) {
      let drop = kysely.schema.dropTable(meta.table).ifExists();
      if (db.dialect === 'postgres') drop = drop.cascade();
      await drop.execute();
    }
  } finally {
    if (db.dialect === 'sqlite') await db.raw('PRAGMA foreign_keys = ON');
  }
}
