// The change list's sidebar filters. Each reads its own query parameters (Django's names:
// `isOpen__exact=1`, `category__id__exact=3`, `pubDate__period=month`, `…__isnull=1`) and shows
// its choices with counts. A count applies the search and every *other* filter, so it says how
// many rows the choice would show. One grouped query per filter, whatever the number of rows.
import { Count, type Field, type RelationField } from '../../db/index.js';
import { BadRequest } from '../../index.js';
import { parseKey } from '../lookup.js';
import { type Condition, type LooseQuery, objectsOf } from '../query-access.js';
import { fieldLabel } from '../words.js';

export interface FilterChoice {
  readonly label: string;
  readonly count: number | undefined;
  /** The query string selecting it (every other parameter kept). */
  readonly query: Record<string, string | null>;
  readonly selected: boolean;
}

export interface ListFilter {
  readonly title: string;
  /** The query parameters this filter owns. */
  readonly params: readonly string[];
  /** The condition the request's parameters ask for, if any; a 400 for a value it cannot take. */
  condition(query: URLSearchParams): Condition | undefined;
  /** The choices, counted over `base` (the rows with every other filter applied). */
  choices(base: LooseQuery, query: URLSearchParams): Promise<FilterChoice[]>;
}

const periods = [
  ['today', 'Today'],
  ['past7', 'Past 7 days'],
  ['month', 'This month'],
  ['year', 'This year'],
] as const;

function badValue(field: Field): BadRequest {
  return new BadRequest(`The filter on ${field.name} was given a value it cannot take.`);
}

function startOfDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** `[start, end)` of a period, in UTC like the database's date lookups. */
function periodRange(period: string, now = new Date()): [Date, Date] | undefined {
  const day = startOfDay(now);
  const days = (n: number) => new Date(day.getTime() + n * 86_400_000);
  const year = day.getUTCFullYear();
  const month = day.getUTCMonth();
  switch (period) {
    case 'today':
      return [day, days(1)];
    case 'past7':
      return [days(-6), days(1)];
    case 'month':
      return [new Date(Date.UTC(year, month, 1)), new Date(Date.UTC(year, month + 1, 1))];
    case 'year':
      return [new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year + 1, 0, 1))];
    default:
      return undefined;
  }
}

function rangeCondition(field: Field, [start, end]: [Date, Date]): Condition {
  const asDate = (value: Date) => value.toISOString().slice(0, 10);
  return field.kind === 'date'
    ? { [field.name]: { gte: asDate(start), lt: asDate(end) } }
    : { [field.name]: { gte: start, lt: end } };
}

async function groupCounts(base: LooseQuery, name: string): Promise<Map<unknown, number>> {
  const rows = await base.values(name).annotate({ n: Count('*') });
  return new Map(rows.map((row) => [row[name] ?? null, Number(row.n)]));
}

function nullChoice(
  field: Field,
  query: URLSearchParams,
  owned: readonly string[],
  count: number | undefined,
  label: string,
): FilterChoice[] {
  if (!field.nullable) return [];
  const reset = Object.fromEntries(owned.map((param) => [param, null]));
  return [
    {
      label,
      count,
      query: { ...reset, [`${field.name}__isnull`]: '1' },
      selected: query.get(`${field.name}__isnull`) === '1',
    },
  ];
}

/** A filter of a few exact values: booleans, choices, foreign keys. */
function exactFilter(
  field: Field,
  param: string,
  parse: (text: string) => unknown,
  labels: (counts: Map<unknown, number>, selected: unknown) => Promise<[unknown, string][]>,
  toParam: (value: unknown) => string = String,
): ListFilter {
  const isNull = `${field.name}__isnull`;
  const params = [param, isNull];
  return {
    title: fieldLabel(field),
    params,
    condition(query) {
      if (query.get(isNull) === '1') return { [field.name]: null };
      const text = query.get(param);
      if (text === null) return undefined;
      const value = parse(text);
      if (value === undefined) throw badValue(field);
      return { [field.name]: value };
    },
    async choices(base, query) {
      const counts = await groupCounts(base, field.name);
      const text = query.get(param);
      const selected = text === null ? undefined : parse(text);
      const reset = { [param]: null, [isNull]: null };
      const all: FilterChoice = {
        label: 'All',
        count: undefined,
        query: reset,
        selected: text === null && query.get(isNull) === null,
      };
      const options = (await labels(counts, selected)).map(
        ([value, label]): FilterChoice => ({
          label,
          count: counts.get(value) ?? 0,
          query: { ...reset, [param]: toParam(value) },
          selected: text !== null && selected === value,
        }),
      );
      return [
        all,
        ...options,
        ...nullChoice(field, query, params, counts.get(null) ?? 0, 'Unknown'),
      ];
    },
  };
}

function booleanFilter(field: Field): ListFilter {
  return exactFilter(
    field,
    `${field.name}__exact`,
    (text) => (text === '1' ? true : text === '0' ? false : undefined),
    async () => [
      [true, 'Yes'],
      [false, 'No'],
    ],
    (value) => (value === true ? '1' : '0'),
  );
}

function choicesFilter(field: Field): ListFilter {
  const choices = field.choices ?? [];
  return exactFilter(
    field,
    `${field.name}__exact`,
    (text) => choices.find(([value]) => String(value) === text)?.[0],
    async () => choices.map(([value, label]): [unknown, string] => [value, label]),
  );
}

function foreignKeyFilter(field: RelationField): ListFilter {
  return exactFilter(
    field,
    `${field.name}__id__exact`,
    (text) => parseKey(field.target.pk, text),
    async (counts, selected) => {
      // Only the related rows that appear (and the one chosen) are listed, in one query.
      const keys: unknown[] = [...counts.keys()].filter((key) => key !== null);
      if (selected !== undefined && !keys.some((key) => String(key) === String(selected))) {
        keys.push(selected);
      }
      if (keys.length === 0) return [];
      const target = field.target;
      const rows = await objectsOf(target).filter({ [target.pk.name]: { in: keys } });
      return rows.map((row): [unknown, string] => [
        Reflect.get(row, target.pk.attname),
        String(row),
      ]);
    },
  );
}

function dateFilter(field: Field): ListFilter {
  const param = `${field.name}__period`;
  const isNull = `${field.name}__isnull`;
  const params = [param, isNull];
  return {
    title: fieldLabel(field),
    params,
    condition(query) {
      if (query.get(isNull) === '1') return { [field.name]: null };
      const period = query.get(param);
      if (period === null) return undefined;
      const range = periodRange(period);
      if (range === undefined) throw badValue(field);
      return rangeCondition(field, range);
    },
    async choices(base, query) {
      const reset = { [param]: null, [isNull]: null };
      const chosen = query.get(param);
      const options: FilterChoice[] = [
        {
          label: 'Any date',
          count: undefined,
          query: reset,
          selected: chosen === null && query.get(isNull) === null,
        },
      ];
      for (const [period, label] of periods) {
        const count = await base.filter(rangeCondition(field, periodRange(period)!)).count();
        options.push({
          label,
          count,
          query: { ...reset, [param]: period },
          selected: chosen === period,
        });
      }
      const none = field.nullable ? await base.filter({ [field.name]: null }).count() : undefined;
      return [...options, ...nullChoice(field, query, params, none, 'No date')];
    },
  };
}

/** The filter for a field named in `listFilter` (its kind was checked at registration). */
export function listFilterFor(field: Field): ListFilter {
  if (field.choices !== undefined) return choicesFilter(field);
  if (field.kind === 'boolean') return booleanFilter(field);
  if (field.kind === 'date' || field.kind === 'datetime') return dateFilter(field);
  const relation = field as RelationField;
  relation.resolve();
  return foreignKeyFilter(relation);
}
