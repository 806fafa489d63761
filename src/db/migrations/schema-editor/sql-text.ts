// SQL text pieces every dialect's DDL is built from: quoted names, literal values (DDL takes no
// bound parameters, and `sqlmigrate` must print complete statements), defaults and checks.
import { createHash } from 'node:crypto';
import type { Dialect } from '../../connection/index.js';
import { encoderFor, storageField } from '../../fields/codecs.js';
import type { Field } from '../../fields/field.js';
import { checkValue } from '../../fields/values.js';
import type { CheckConstraintSpec, ModelMeta } from '../../meta.js';
import { compileWhere, nowSql } from '../../query/compile-where.js';
import { isExpression } from '../../query/expressions.js';
import { compile } from '../../query/sql.js';
import { ParamCollector } from '../../query/template.js';
import { objectCondition, WhereBuilder } from '../../query/where.js';

/** A deterministic identifier ≤ 60 characters: readable prefix, hash of the full name. */
export function constraintName(table: string, columns: readonly string[], suffix: string): string {
  const full = `${table}_${columns.join('_')}_${suffix}`;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const prefix = `${table}_${columns.join('_')}`.slice(0, 60 - suffix.length - 10);
  return `${prefix}_${suffix}_${hash}`;
}

export function quoteName(name: string, dialect: Dialect): string {
  return dialect === 'mysql'
    ? `\`${name.replaceAll('`', '``')}\``
    : `"${name.replaceAll('"', '""')}"`;
}

function quoteString(text: string, dialect: Dialect): string {
  // MariaDB/MySQL read backslashes in string literals as escapes unless told otherwise.
  const escaped = dialect === 'mysql' ? text.replaceAll('\\', '\\\\') : text;
  return `'${escaped.replaceAll("'", "''")}'`;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function instantText(date: Date, dialect: Dialect): string {
  if (dialect !== 'mysql') return date.toISOString();
  // datetime(6) takes neither the T nor the zone; the connection reads and writes UTC.
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.` +
    pad(date.getUTCMilliseconds(), 3)
  );
}

/** A driver-ready value (already checked and encoded) as an SQL literal. */
export function literalSql(value: unknown, dialect: Dialect): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') {
    if (dialect === 'postgres') return value ? 'TRUE' : 'FALSE';
    return value ? '1' : '0';
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`no SQL literal for ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return quoteString(instantText(value, dialect), dialect);
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
    return dialect === 'postgres' ? `'\\x${hex}'::bytea` : `X'${hex}'`;
  }
  return quoteString(String(value), dialect);
}

/** `value` checked for `field` and written as a literal, the way a query would bind it. */
export function fieldLiteral(field: Field, value: unknown, dialect: Dialect): string {
  const checked = checkValue(field, value, true);
  const encode = encoderFor(field, dialect);
  const encoded = encode === undefined || checked === null ? checked : encode(checked);
  // JSON columns on SQLite and MySQL are text; on PostgreSQL the text is cast by the column.
  if (storageField(field).family === 'json' && typeof encoded === 'string')
    return quoteString(encoded, dialect);
  return literalSql(encoded, dialect);
}

/** The SQL of a field's database default. */
export function defaultSql(field: Field, dialect: Dialect): string {
  const value = field.dbDefault;
  if (isExpression(value)) {
    const now = compile(nowSql(new ParamCollector(dialect)), dialect).sql;
    return dialect === 'sqlite' ? `(${now})` : now;
  }
  if (field.family === 'json') return quoteString(JSON.stringify(value), dialect);
  return fieldLiteral(field, value, dialect);
}

/** The SQL of a check constraint: trusted text as given, or a filter object compiled with literals. */
export function checkSql(
  meta: ModelMeta,
  constraint: CheckConstraintSpec,
  dialect: Dialect,
): string {
  if (typeof constraint.check === 'string') return constraint.check;
  const builder = new WhereBuilder([], new Map());
  const collected = objectCondition(builder, meta, constraint.check);
  const where = compileWhere(new ParamCollector(dialect, builder.values), collected.node, {
    meta,
    alias: '',
  });
  return compile(where, dialect).sql;
}
