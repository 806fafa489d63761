// INSERT of instances: one statement per batch, keys (and database defaults) read back with
// RETURNING where the database has it (PostgreSQL, SQLite, MariaDB), else from the insert id.
import type { Database, Dialect } from '../connection/index.js';
import { decoderFor, encoderFor } from '../fields/codecs.js';
import type { Field } from '../fields/field.js';
import type { ModelInstance } from '../instance.js';
import type { ModelMeta } from '../meta.js';
import { column, identifier, list, type Sql, sql } from './sql.js';
import { ParamCollector, type Template, TemplateCache, toCompiledQuery } from './template.js';

const returningSupport = new WeakMap<Database, Promise<boolean>>();

/** PostgreSQL and SQLite return rows from INSERT; of the MySQL family only MariaDB does. */
export function supportsReturning(db: Database): Promise<boolean> {
  if (db.dialect !== 'mysql') return Promise.resolve(true);
  let known = returningSupport.get(db);
  if (known === undefined) {
    known = db
      .raw<{ v: string }>('SELECT VERSION() AS v')
      .then(([row]) => /mariadb/i.test(row?.v ?? ''));
    returningSupport.set(db, known);
  }
  return known;
}

const templates = new TemplateCache<readonly Field[]>();

function insertTemplate(
  meta: ModelMeta,
  fields: readonly Field[],
  rows: number,
  returning: readonly Field[],
  dialect: Dialect,
): Template<readonly Field[]> {
  const key = `${dialect}|${meta.label}|${fields.map((field) => field.column).join(',')}|${rows}|${returning.map((field) => field.column).join(',')}`;
  const cached = templates.get(key);
  if (cached !== undefined) return cached;
  const collector = new ParamCollector(dialect);
  const encoders = fields.map((field) => encoderFor(field, dialect));
  const table = identifier(meta.table);
  let query: Sql;
  if (fields.length === 0) {
    query =
      dialect === 'mysql'
        ? sql`INSERT INTO ${table} () VALUES ()`
        : sql`INSERT INTO ${table} DEFAULT VALUES`;
  } else {
    const tuples = Array.from(
      { length: rows },
      (_, row) =>
        sql`(${list(fields.map((_, index) => collector.param(row * fields.length + index, -1, encoders[index])))})`,
    );
    query = sql`INSERT INTO ${table} (${list(fields.map((field) => identifier(field.column)))}) VALUES ${list(tuples)}`;
  }
  if (returning.length > 0)
    query = sql`${query} RETURNING ${list(returning.map((field) => column(meta.table, field.column)))}`;
  const template = { ...collector.finish(query), reader: returning };
  templates.set(key, template);
  return template;
}

/** Inserts `instances` (all new rows of `meta`) with as few statements as possible. */
export async function insertInstances(
  meta: ModelMeta,
  instances: readonly ModelInstance[],
  db: Database,
): Promise<void> {
  // Instances with the same set of given columns share a statement.
  const groups = new Map<string, { fields: Field[]; items: ModelInstance[] }>();
  for (const instance of instances) {
    const fields = meta.concreteFields.filter(
      (field) => Reflect.get(instance, field.attname) !== undefined,
    );
    const key = fields.map((field) => field.attname).join(',');
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { fields, items: [instance] });
    else group.items.push(instance);
  }
  const returning = await supportsReturning(db);
  for (const { fields, items } of groups.values()) {
    const missing = meta.concreteFields.filter((field) => !fields.includes(field));
    const wanted = returning ? missing : [];
    // A statement with DEFAULT VALUES inserts a single row.
    const perStatement =
      fields.length === 0 ? 1 : Math.max(1, Math.floor(30000 / fields.length / 10) * 10);
    for (let start = 0; start < items.length; start += perStatement) {
      const batch = items.slice(start, start + perStatement);
      const template = insertTemplate(meta, fields, batch.length, wanted, db.dialect);
      const values = batch.flatMap((instance) =>
        fields.map((field) => Reflect.get(instance, field.attname)),
      );
      const result = await db.run(toCompiledQuery(template, values));
      if (wanted.length > 0) {
        const decoders = wanted.map((field) => decoderFor(field, db.dialect));
        const rows = result.rows as Record<string, unknown>[];
        batch.forEach((instance, index) => {
          const row = rows[index];
          if (row === undefined) return;
          wanted.forEach((field, position) => {
            const raw = row[field.column];
            const decode = decoders[position];
            Reflect.set(
              instance,
              field.attname,
              decode === undefined || raw === null ? raw : decode(raw),
            );
          });
        });
      } else if (meta.pk.generated && missing.includes(meta.pk) && result.insertId !== undefined) {
        // MySQL reports the first generated key; the rest of a multi-row insert follow it.
        const first = Number(result.insertId);
        for (const [index, instance] of batch.entries())
          Reflect.set(instance, meta.pk.attname, first + index);
      }
    }
  }
}
