// The SQL column type of each field kind per dialect; shared by createTables and the casts the
// query layer needs on PostgreSQL. The migration schema editors read the same table.
import type { Dialect } from './connection/index.js';
import type { Field } from './fields/field.js';
import type { RelationField } from './fields/relation.js';

function scalarType(field: Field, dialect: Dialect): string {
  const pg = dialect === 'postgres';
  const my = dialect === 'mysql';
  switch (field.kind) {
    case 'auto':
      return 'integer';
    case 'bigAuto':
      return dialect === 'sqlite' ? 'integer' : 'bigint';
    case 'string':
    case 'email':
    case 'url':
    case 'slug':
      return `varchar(${field.maxLength})`;
    case 'text':
      return my ? 'longtext' : 'text';
    case 'integer':
      return 'integer';
    case 'smallInteger':
      return 'smallint';
    case 'bigInteger':
    case 'duration':
      return 'bigint';
    case 'float':
      return pg ? 'double precision' : my ? 'double' : 'real';
    case 'decimal':
      return `${pg ? 'numeric' : 'decimal'}(${field.maxDigits}, ${field.decimalPlaces})`;
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return pg ? 'timestamp with time zone' : my ? 'datetime(6)' : 'datetime';
    case 'time':
      return my ? 'time(6)' : 'time';
    case 'uuid':
      return pg ? 'uuid' : 'char(36)';
    case 'json':
      return pg ? 'jsonb' : my ? 'longtext' : 'text';
    case 'binary':
      return pg ? 'bytea' : my ? 'longblob' : 'blob';
    default:
      throw new Error(`no column type for ${field.kind}`);
  }
}

/** The column type of `field`; a foreign key takes its target key's type (without auto-increment). */
export function columnSqlType(field: Field, dialect: Dialect): string {
  if (field.isRelation) return columnSqlType((field as RelationField).target.pk, dialect);
  return scalarType(field, dialect);
}
