// Runs read queries: finds (or compiles) the template for the query's shape, binds the values,
// runs it on the right database (joining the current transaction) and reads the rows.
import { CarafeError } from '../../index.js';
import { type Database, database, preferPrepared } from '../connection/index.js';
import type { Field } from '../fields/field.js';
import { inTransaction } from '../transaction.js';
import {
  compileAggregate,
  compileCount,
  compileExists,
  compileRows,
  type Reader,
} from './compile-select.js';
import { allColumns, noOrdering, type QueryState, signatureOf } from './state.js';
import {
  bindParams,
  compiledQuery,
  type Template,
  TemplateCache,
  toCompiledQuery,
} from './template.js';
import { isReusedNode } from './where.js';

const templates = new TemplateCache<Reader>();

type Dialect = Database['dialect'];
type ShapeCache = WeakMap<object, Map<string, Template<Reader>>>;

// The commonest reads — a model's rows, whole, filtered by nothing or by one shared `{ field:
// value }` node (`get({ id })`) — find their template by object identity, skipping the
// signature string, whose building and hashing cost more than the rest of the lookup. One cache
// per dialect and per ordering (the model's default, or none as `get()` asks).
const shapeCaches: Record<Dialect, readonly [ShapeCache, ShapeCache]> = {
  sqlite: [new WeakMap(), new WeakMap()],
  postgres: [new WeakMap(), new WeakMap()],
  mysql: [new WeakMap(), new WeakMap()],
};

/** The object standing for the query's shape, when it is one of those common reads. */
function shapeKey(state: QueryState): object | undefined {
  if (
    state.projection !== allColumns ||
    state.limit !== undefined ||
    state.offset !== undefined ||
    state.distinct ||
    state.lock !== undefined ||
    state.selected.length > 0 ||
    state.annotations.size > 0 ||
    (state.ordering !== undefined && state.ordering !== noOrdering)
  )
    return undefined;
  if (state.where.length === 0) return state.meta;
  if (state.where.length === 1 && isReusedNode(state.where[0]!)) return state.where[0];
  return undefined;
}

function templateFor(
  state: QueryState,
  mode: string,
  dialect: Dialect,
  build: (dialect: Dialect) => Template<Reader>,
): Template<Reader> {
  const key = shapeKey(state);
  let byMode: Map<string, Template<Reader>> | undefined;
  if (key !== undefined) {
    const cache = shapeCaches[dialect][state.ordering === undefined ? 0 : 1];
    byMode = cache.get(key);
    if (byMode === undefined) {
      byMode = new Map();
      cache.set(key, byMode);
    }
    const template = byMode.get(mode);
    if (template !== undefined) return template;
  }
  const signature = `${dialect}|${signatureOf(state, mode)}`;
  let template = templates.get(signature);
  if (template === undefined) {
    template = build(dialect);
    templates.set(signature, template);
    if (dialect === 'postgres') preferPrepared(template.sql);
  }
  byMode?.set(mode, template);
  return template;
}

function checkLock(state: QueryState, db: Database): void {
  if (state.lock !== undefined && !inTransaction(db.name)) {
    throw new CarafeError(
      'CARAFE_DB_NOT_IN_TRANSACTION',
      'selectForUpdate() locks rows until the transaction ends; run the query inside atomic(async () => …).',
    );
  }
}

// Not async: this is the hot path of every read, and each async layer costs microtask turns.
function run(
  state: QueryState,
  mode: string,
  build: (dialect: Database['dialect']) => Template<Reader>,
): Promise<unknown[]> {
  const db = database(state.using);
  if (state.lock !== undefined) checkLock(state, db);
  return read(db, templateFor(state, mode, db.dialect, build), state.values);
}

/** Runs `template` with `values` on `db` (joining the current transaction) and reads the rows. */
function read(
  db: Database,
  template: Template<Reader>,
  values: readonly unknown[],
): Promise<unknown[]> {
  try {
    const rows = readSoon(db, template, values);
    return Array.isArray(rows) ? Promise.resolve(rows) : rows;
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The rows at once when the database can read synchronously (SQLite, connection idle), else a
 * promise of them; errors of the synchronous read are thrown. Callers that can use rows at
 * once save a promise and a microtask turn per query.
 */
function readSoon(
  db: Database,
  template: Template<Reader>,
  values: readonly unknown[],
): unknown[] | Promise<unknown[]> {
  const reader = template.reader;
  const parameters = bindParams(template.params, values);
  const rows = db.readNow(template.sql, parameters, template.shape);
  if (rows !== undefined) {
    // readNow hands back arrays exactly when the shape allows it, which is when this reader exists.
    return (template.positionalReader ?? reader)(rows as Record<string, unknown>[], db.name);
  }
  const pooled = db.readPooled(template.sql, parameters);
  if (pooled !== undefined)
    return pooled.then((found) => reader(found as Record<string, unknown>[], db.name));
  return db
    .run(compiledQuery(template.sql, parameters))
    .then((result) => reader(result.rows as Record<string, unknown>[], db.name));
}

/** How many rows get() reads: one more than it wants, to tell "several" from "one". */
export const getLimit = 21;

const getTemplates: Record<Dialect, WeakMap<Field, Template<Reader>>> = {
  sqlite: new WeakMap(),
  postgres: new WeakMap(),
  mysql: new WeakMap(),
};

/**
 * `Model.objects.get({ field: value })`, the commonest read of all, found from the field alone:
 * no QuerySet state is built once the template exists. `checked` is the value as filter() would
 * check it; `state` builds the query the usual way the first time, for the template. Rows come
 * back at once when they can (see `readSoon`); errors are thrown.
 */
export function fetchGetBy(
  field: Field,
  checked: unknown,
  state: () => QueryState,
): unknown[] | Promise<unknown[]> {
  const db = database();
  let template = getTemplates[db.dialect].get(field);
  if (template === undefined) {
    const built = state();
    template = templateFor(built, rowsMode(getLimit), db.dialect, (dialect) =>
      compileRows(built, dialect, getLimit),
    );
    getTemplates[db.dialect].set(field, template);
  }
  return readSoon(db, template, [checked]);
}

// Mode names kept as the same string objects, so looking them up never hashes a fresh string.
const fixedLimitModes = new Map<number, string>();

function rowsMode(fixedLimit: number | undefined): string {
  if (fixedLimit === undefined) return 'rows';
  let mode = fixedLimitModes.get(fixedLimit);
  if (mode === undefined) {
    mode = `rows${fixedLimit}`;
    fixedLimitModes.set(fixedLimit, mode);
  }
  return mode;
}

export function fetchRows(state: QueryState, fixedLimit?: number): Promise<unknown[]> {
  return run(state, rowsMode(fixedLimit), (dialect) => compileRows(state, dialect, fixedLimit));
}

export async function fetchCount(state: QueryState): Promise<number> {
  const [count] = await run(state, 'count', (dialect) => compileCount(state, dialect));
  return count as number;
}

export async function fetchExists(state: QueryState): Promise<boolean> {
  const [exists] = await run(state, 'exists', (dialect) => compileExists(state, dialect));
  return exists as boolean;
}

export async function fetchAggregate(
  state: QueryState,
  names: readonly string[],
): Promise<Record<string, unknown>> {
  const [row] = await run(state, `aggregate:${names.join(',')}`, (dialect) =>
    compileAggregate(state, dialect, names),
  );
  return row as Record<string, unknown>;
}

/** The SQL and parameters a read would run, for debugging and tests. */
export function describeRows(
  state: QueryState,
  dialect: Database['dialect'],
): { sql: string; parameters: readonly unknown[] } {
  const template = compileRows(state, dialect);
  const compiled = toCompiledQuery(template, state.values);
  return { sql: compiled.sql, parameters: compiled.parameters };
}
