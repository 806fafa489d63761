// Lookups (`contains`, `gte`, `year`…): which apply to which field family, and their SQL per
// dialect. Text matching behaves the same everywhere: case-sensitive unless the name starts
// with `i`, and `%`, `_` (or SQLite's GLOB wildcards) in values match literally.
import type { Dialect } from '../connection/index.js';
import type { Family } from '../fields/types.js';
import type { LookupName, Transform } from './nodes.js';
import { type Sql, sql } from './sql.js';

const equality: readonly LookupName[] = ['exact', 'in', 'isNull'];
const ordered: readonly LookupName[] = [...equality, 'gt', 'gte', 'lt', 'lte', 'range'];
const text: readonly LookupName[] = [
  ...ordered,
  'iexact',
  'contains',
  'icontains',
  'startsWith',
  'iStartsWith',
  'endsWith',
  'iEndsWith',
  'regex',
  'iregex',
];

export const lookupsByFamily: Readonly<Record<Family, readonly LookupName[]>> = {
  string: text,
  number: ordered,
  bigint: ordered,
  decimal: ordered,
  boolean: equality,
  date: ordered,
  datetime: ordered,
  time: ordered,
  duration: ordered,
  uuid: ordered,
  json: ['exact', 'isNull'],
  binary: equality,
};

const dateParts: readonly Transform[] = [
  'year',
  'quarter',
  'month',
  'day',
  'weekDay',
  'isoWeekDay',
];
const timeParts: readonly Transform[] = ['hour', 'minute', 'second'];

export const transformsByFamily: Readonly<Partial<Record<Family, readonly Transform[]>>> = {
  date: dateParts,
  datetime: [...dateParts, ...timeParts, 'date'],
  time: timeParts,
};

/** Lookups that relation filters apply to the key column itself. */
export const keyLookups: ReadonlySet<string> = new Set([
  'exact',
  'in',
  'isNull',
  'gt',
  'gte',
  'lt',
  'lte',
  'range',
]);

export const allLookupNames: ReadonlySet<string> = new Set<string>(text);

/** The family a transform yields (`year` → number, `date` → date). */
export function transformFamily(transform: Transform): Family {
  return transform === 'date' ? 'date' : 'number';
}

function part(dialect: Dialect, transform: Transform, value: Sql): Sql {
  if (dialect === 'sqlite') {
    const format: Partial<Record<Transform, string>> = {
      year: '%Y',
      month: '%m',
      day: '%d',
      hour: '%H',
      minute: '%M',
      second: '%S',
    };
    const strftime = (code: string) => sql`CAST(strftime(${sql.lit(code)}, ${value}) AS INTEGER)`;
    switch (transform) {
      case 'quarter':
        return sql`((${strftime('%m')} + 2) / 3)`;
      case 'weekDay':
        return sql`(${strftime('%w')} + 1)`;
      case 'isoWeekDay':
        return sql`(((${strftime('%w')} + 6) % 7) + 1)`;
      case 'date':
        return sql`date(${value})`;
      default:
        return strftime(format[transform]!);
    }
  }
  if (dialect === 'postgres') {
    switch (transform) {
      case 'weekDay':
        return sql`(EXTRACT(DOW FROM ${value}) + 1)`;
      case 'isoWeekDay':
        return sql`EXTRACT(ISODOW FROM ${value})`;
      case 'second':
        return sql`FLOOR(EXTRACT(SECOND FROM ${value}))`;
      case 'date':
        return sql`CAST(${value} AS DATE)`;
      default:
        return sql`EXTRACT(${sql.raw(transform.toUpperCase())} FROM ${value})`;
    }
  }
  switch (transform) {
    case 'weekDay':
      return sql`DAYOFWEEK(${value})`;
    case 'isoWeekDay':
      return sql`(WEEKDAY(${value}) + 1)`;
    case 'date':
      return sql`DATE(${value})`;
    default:
      return sql`${sql.raw(transform.toUpperCase())}(${value})`;
  }
}

export function applyTransform(
  dialect: Dialect,
  transform: Transform | undefined,
  value: Sql,
): Sql {
  return transform === undefined ? value : part(dialect, transform, value);
}

/** LIKE with `!` as the escape character, which needs no quoting games in any dialect. */
function likeEscape(value: string): string {
  return value.replace(/[!%_]/g, '!$&');
}

/** SQLite's GLOB is case-sensitive (its LIKE is not); brackets make wildcards literal. */
function globEscape(value: string): string {
  return value.replace(/[[*?]/g, '[$&]');
}

type Pattern = 'contains' | 'startsWith' | 'endsWith';

const patternOf: Partial<Record<LookupName, Pattern>> = {
  contains: 'contains',
  icontains: 'contains',
  startsWith: 'startsWith',
  iStartsWith: 'startsWith',
  endsWith: 'endsWith',
  iEndsWith: 'endsWith',
};

function wrap(pattern: Pattern, escaped: string, any: string): string {
  return pattern === 'contains'
    ? `${any}${escaped}${any}`
    : pattern === 'startsWith'
      ? `${escaped}${any}`
      : `${any}${escaped}`;
}

/** How a pattern lookup's value becomes its parameter; `undefined` for other lookups. */
export function patternEncoder(
  dialect: Dialect,
  lookup: LookupName,
): ((value: unknown) => unknown) | undefined {
  const pattern = patternOf[lookup];
  if (pattern === undefined) return undefined;
  const insensitive = lookup.startsWith('i');
  if (dialect === 'sqlite' && !insensitive)
    return (value) => wrap(pattern, globEscape(String(value)), '*');
  return (value) => wrap(pattern, likeEscape(String(value)), '%');
}

/** PostgreSQL cannot infer a parameter's type inside LOWER(); say it is text. */
function textParam(dialect: Dialect, value: Sql): Sql {
  return dialect === 'postgres' ? sql`CAST(${value} AS TEXT)` : value;
}

/**
 * The SQL for `lhs <lookup> value`. `value` is the (already encoded) parameter, or for `in`
 * and `range` the list of them.
 */
export function compileLookup(
  dialect: Dialect,
  lookup: LookupName,
  lhs: Sql,
  values: readonly Sql[],
): Sql {
  const value = values[0]!;
  switch (lookup) {
    case 'exact':
      return sql`${lhs} = ${value}`;
    case 'gt':
      return sql`${lhs} > ${value}`;
    case 'gte':
      return sql`${lhs} >= ${value}`;
    case 'lt':
      return sql`${lhs} < ${value}`;
    case 'lte':
      return sql`${lhs} <= ${value}`;
    case 'in':
      return sql`${lhs} IN (${sql.join(values)})`;
    case 'range':
      return sql`${lhs} BETWEEN ${value} AND ${values[1]!}`;
    case 'iexact':
      return sql`LOWER(${lhs}) = LOWER(${textParam(dialect, value)})`;
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return dialect === 'sqlite'
        ? sql`${lhs} GLOB ${value}`
        : sql`${lhs} LIKE ${value} ESCAPE '!'`;
    case 'icontains':
    case 'iStartsWith':
    case 'iEndsWith':
      return sql`LOWER(${lhs}) LIKE LOWER(${textParam(dialect, value)}) ESCAPE '!'`;
    case 'regex':
      if (dialect === 'postgres') return sql`${lhs} ~ ${value}`;
      if (dialect === 'mysql') return sql`${lhs} REGEXP CONCAT('(?-i)', ${value})`;
      return sql`regexp(${value}, ${lhs})`;
    case 'iregex':
      if (dialect === 'postgres') return sql`${lhs} ~* ${value}`;
      if (dialect === 'mysql') return sql`${lhs} REGEXP CONCAT('(?i)', ${value})`;
      return sql`regexp('(?i)' || ${value}, ${lhs})`;
    case 'isNull':
      throw new Error('isNull is compiled by the caller');
  }
}
