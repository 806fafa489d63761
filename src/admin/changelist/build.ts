// One change list page from the query string: search (`q`), filters, sorting (`o`, a column
// number, `-` to descend) and the page (`p`). The rows come from one query with the foreign
// keys of the columns joined in; the rest are counts. Nothing here grows with the page size.
import { type Field, Q, type RelationField } from '../../db/index.js';
import { CarafeError } from '../../index.js';
import type { ModelAdmin } from '../model-admin.js';
import { type Condition, type LooseQuery, objectsOf, pkOf } from '../query-access.js';
import { type Cell, columnsOf } from './columns.js';
import { type ListFilter, listFilterFor } from './filters.js';
import { type Pagination, paginate } from './pagination.js';

export interface Header {
  readonly label: string;
  /** The query string sorting by this column (or reversing it); none when it does not sort. */
  readonly sortHref: string | undefined;
  readonly sorted: 'ascending' | 'descending' | undefined;
}

export interface ListRow {
  readonly key: string;
  readonly cells: readonly Cell[];
  readonly row: object;
}

export interface FilterView {
  readonly title: string;
  readonly choices: readonly {
    readonly label: string;
    readonly count: number | undefined;
    readonly href: string;
    readonly selected: boolean;
  }[];
}

export interface ChangeList {
  readonly headers: readonly Header[];
  readonly rows: readonly ListRow[];
  readonly filters: readonly FilterView[];
  readonly search: string;
  readonly searchable: boolean;
  /** Rows matching the search and filters. */
  readonly count: number;
  /** Every row, when a search or filter narrows the list. */
  readonly total: number | undefined;
  readonly pagination: Pagination;
  readonly pageHrefs: readonly (string | null)[];
  /** The query that selects what the list shows, for actions over it. */
  readonly query: LooseQuery;
}

/** `?a=1&b=2` with `changes` applied (null removes a parameter); the page resets unless set. */
export function href(query: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(query);
  if (!('p' in changes)) next.delete('p');
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) next.delete(name);
    else next.set(name, value);
  }
  const text = next.toString();
  return text === '' ? '?' : `?${text}`;
}

function searchField(admin: ModelAdmin, path: string): Field {
  const [head = '', tail] = path.split('.');
  let field = admin.meta.fieldByName.get(head)!;
  if (tail !== undefined) {
    const relation = field as RelationField;
    relation.resolve();
    field = relation.target.fieldByName.get(tail) ?? field;
  }
  if (field.family !== 'string' || field.isRelation) {
    throw new CarafeError(
      'CARAFE_ADMIN_OPTION',
      `admin.register(${admin.meta.label}): searchFields: "${path}" is not a text field.`,
    );
  }
  return field;
}

/** Every word must appear (ignoring case) in one of the search fields. */
function searchCondition(admin: ModelAdmin, text: string): Condition[] {
  const terms = text.split(/\s+/).filter((term) => term !== '');
  if (terms.length === 0 || admin.searchFields.length === 0) return [];
  const lookups = admin.searchFields.map((path) => {
    searchField(admin, path);
    const [head = '', tail] = path.split('.');
    return (term: string): Condition =>
      tail === undefined
        ? { [head]: { icontains: term } }
        : { [head]: { [tail]: { icontains: term } } };
  });
  return terms.map((term) => Q.or(...lookups.map((lookup) => lookup(term))));
}

function orderingOf(
  admin: ModelAdmin,
  query: URLSearchParams,
): {
  keys: string[];
  column: number | undefined;
  descending: boolean;
} {
  const columns = columnsOf(admin);
  const text = query.get('o') ?? '';
  const match = /^(-?)(\d{1,3})$/.exec(text);
  const index = match === null ? undefined : Number(match[2]) - 1;
  const chosen = index === undefined ? undefined : columns[index]?.orderBy;
  const descending = match?.[1] === '-';
  const keys = defaultOrdering(admin);
  if (chosen !== undefined) keys.unshift(`${descending ? '-' : ''}${chosen}`);
  return { keys, column: chosen === undefined ? undefined : index, descending };
}

/** The admin's `ordering`, else the model's, ending with the key so that pages never overlap. */
export function defaultOrdering(admin: ModelAdmin): string[] {
  const meta = admin.meta;
  const keys = admin.ordering.length > 0 ? [...admin.ordering] : [...meta.ordering];
  if (!keys.some((key) => key.replace(/^-/, '') === meta.pk.name)) keys.push(`-${meta.pk.name}`);
  return keys;
}

function headersOf(
  admin: ModelAdmin,
  query: URLSearchParams,
  column: number | undefined,
  descending: boolean,
): Header[] {
  return columnsOf(admin).map((item, index) => {
    if (item.orderBy === undefined)
      return { label: item.label, sortHref: undefined, sorted: undefined };
    const current = index === column;
    const next = current && !descending ? `-${index + 1}` : String(index + 1);
    return {
      label: item.label,
      sortHref: href(query, { o: next }),
      sorted: current ? (descending ? 'descending' : 'ascending') : undefined,
    };
  });
}

const filtersBuilt = new WeakMap<ModelAdmin, ListFilter[]>();

function filtersOf(admin: ModelAdmin): ListFilter[] {
  let filters = filtersBuilt.get(admin);
  if (filters === undefined) {
    filters = admin.listFilter.map(listFilterFor);
    filtersBuilt.set(admin, filters);
  }
  return filters;
}

/** The rows the list shows for this query string (search and filters), unordered and whole. */
export function matchingQuery(admin: ModelAdmin, query: URLSearchParams): LooseQuery {
  const conditions = [
    ...searchCondition(admin, query.get('q')?.trim() ?? ''),
    ...filtersOf(admin)
      .map((filter) => filter.condition(query))
      .filter((condition) => condition !== undefined),
  ];
  const all = objectsOf(admin.meta);
  return conditions.length === 0 ? all : all.filter(...conditions);
}

export async function buildChangeList(
  admin: ModelAdmin,
  query: URLSearchParams,
): Promise<ChangeList> {
  const meta = admin.meta;
  const search = query.get('q')?.trim() ?? '';
  const searched = searchCondition(admin, search);
  const filters = filtersOf(admin);
  const conditions = filters.map((filter) => filter.condition(query));
  const narrowed = (skip?: number) => [
    ...searched,
    ...conditions.filter((c, i): c is Condition => c !== undefined && i !== skip),
  ];
  const applied = narrowed();
  const matching = applied.length === 0 ? objectsOf(meta) : objectsOf(meta).filter(...applied);
  const filterViews: FilterView[] = [];
  for (const [index, filter] of filters.entries()) {
    const others = narrowed(index);
    const base = others.length === 0 ? objectsOf(meta) : objectsOf(meta).filter(...others);
    const choices = await filter.choices(base, query);
    filterViews.push({
      title: filter.title,
      choices: choices.map((choice) => ({ ...choice, href: href(query, choice.query) })),
    });
  }
  const count = await matching.count();
  const total = applied.length > 0 ? await objectsOf(meta).count() : undefined;
  const pagination = paginate(query, count, admin.listPerPage);
  const { keys, column, descending } = orderingOf(admin, query);
  const columns = columnsOf(admin);
  const joins = [
    ...new Set(columns.map((item) => item.select).filter((name) => name !== undefined)),
  ];
  let rowsQuery = matching.orderBy(...keys);
  if (joins.length > 0) rowsQuery = rowsQuery.select(...joins);
  const found = await rowsQuery.slice(pagination.offset, pagination.offset + admin.listPerPage);
  return {
    headers: headersOf(admin, query, column, descending),
    rows: found.map((row) => ({
      key: String(pkOf(meta, row)),
      cells: columns.map((item) => item.cell(row)),
      row,
    })),
    filters: filterViews,
    search,
    searchable: admin.searchFields.length > 0,
    count,
    total,
    pagination,
    pageHrefs: pagination.links.map((page) =>
      page === null ? null : href(query, { p: String(page) }),
    ),
    query: matching,
  };
}
