// Runs read queries: finds (or compiles) the template for the query's shape, binds the values,
// runs it on the right database (joining the current transaction) and reads the rows.
import { CarafeError } from '../../index.js';
import { type Database, database } from '../connection/index.js';
import { preferPrepared } from '../connection/postgres.js';
import { inTransaction } from '../transaction.js';
import {
  compileAggregate,
  compileCount,
  compileExists,
  compileRows,
  type Reader,
} from './compile-select.js';
import { type QueryState, signatureOf } from './state.js';
import { type Template, TemplateCache, toCompiledQuery } from './template.js';

const templates = new TemplateCache<Reader>();

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
  const key = `${db.dialect}|${signatureOf(state, mode)}`;
  let template = templates.get(key);
  if (template === undefined) {
    template = build(db.dialect);
    templates.set(key, template);
    if (db.dialect === 'postgres') preferPrepared(template.sql);
  }
  const reader = template.reader;
  const query = toCompiledQuery(template, state.values);
  try {
    const rows = db.readNow(query);
    if (rows !== undefined)
      return Promise.resolve(reader(rows as Record<string, unknown>[], db.name));
    const pooled = db.readPooled(query);
    if (pooled !== undefined)
      return pooled.then((found) => reader(found as Record<string, unknown>[], db.name));
  } catch (error) {
    return Promise.reject(error);
  }
  return db.run(query).then((result) => reader(result.rows as Record<string, unknown>[], db.name));
}

export function fetchRows(state: QueryState, fixedLimit?: number): Promise<unknown[]> {
  return run(state, fixedLimit === undefined ? 'rows' : `rows${fixedLimit}`, (dialect) =>
    compileRows(state, dialect, fixedLimit),
  );
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
