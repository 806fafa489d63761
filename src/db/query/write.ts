// Writes that start from a QuerySet: create, getOrCreate, updateOrCreate, bulkCreate, bulkUpdate
// and update(). Instance saves live in persistence.ts.
import { CarafeError } from '../../index.js';
import { type Dialect, database, preferPrepared } from '../connection/index.js';
import { unknownField } from '../errors.js';
import { encoderFor } from '../fields/codecs.js';
import type { Field } from '../fields/field.js';
import { checkWritable } from '../fields/values.js';
import { isInstance, type ModelInstance, markSaved, metaOf, pkOf } from '../instance.js';
import type { ModelMeta } from '../meta.js';
import type { AnyModel, UpdateInput } from '../model-types.js';
import { assignValues, saveInstance } from '../persistence.js';
import { columnSqlType } from '../schema-types.js';
import { atomic } from '../transaction.js';
import { compileConditions, compileExpression } from './compile-where.js';
import { fetchRows, getLimit } from './execute.js';
import { isExpression } from './expressions.js';
import { insertInstances } from './insert.js';
import type { WhereNode } from './nodes.js';
import { column, identifier, list, type Sql, sql } from './sql.js';
import type { QueryState } from './state.js';
import { ParamCollector, type Template, TemplateCache, toCompiledQuery } from './template.js';
import { condition, isPlainObject, slotExpression, WhereBuilder } from './where.js';

/** Exact values identifying a row for getOrCreate / updateOrCreate. */
export type LookupInput<M extends AnyModel> = UpdateInput<M, never>;

function newInstance(meta: ModelMeta, data: Record<string, unknown>): ModelInstance {
  const Model = meta.model as unknown as new (data: Record<string, unknown>) => ModelInstance;
  return new Model(data);
}

export async function createOne(state: QueryState, data: unknown): Promise<ModelInstance> {
  if (!isPlainObject(data)) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      `create() on ${state.meta.label} takes an object of field values.`,
    );
  }
  const instance = newInstance(state.meta, data);
  await saveInstance(instance, { forceInsert: true, using: state.using });
  return instance;
}

function filtered(state: QueryState, input: unknown): QueryState {
  const builder = new WhereBuilder(state.values, state.annotations);
  const collected = condition(builder, state.meta, input);
  return {
    ...state,
    where: [...state.where, collected.node],
    whereSignature: `${state.whereSignature}(${collected.signature})`,
    values: builder.values,
  };
}

async function getOne(state: QueryState): Promise<ModelInstance | undefined> {
  const rows = (await fetchRows({ ...state, ordering: [] }, getLimit)) as ModelInstance[];
  if (rows.length > 1) {
    throw new state.meta.MultipleObjectsReturned(
      `get() returned more than one ${state.meta.modelName} -- it returned ${rows.length}!`,
    );
  }
  return rows[0];
}

/** The plain-value part of a lookup (lookup objects such as `{ gte: 1 }` cannot become column values). */
function creationValues(meta: ModelMeta, lookup: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(lookup)) {
    const field = meta.fieldByName.get(key);
    if (field?.concrete && (!isPlainObject(value) || field.family === 'json')) values[key] = value;
  }
  return values;
}

/** Unique-constraint violations, whichever driver reports them. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = Reflect.get(error, 'code');
  const errno = Reflect.get(error, 'errno');
  return (
    code === '23505' ||
    errno === 1062 ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

export async function getOrCreate(
  state: QueryState,
  lookup: unknown,
  defaults: unknown,
): Promise<[ModelInstance, boolean]> {
  if (!isPlainObject(lookup) || !isPlainObject(defaults)) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      'getOrCreate(lookup, defaults) takes two objects of field values.',
    );
  }
  const query = filtered(state, lookup);
  const found = await getOne(query);
  if (found !== undefined) return [found, false];
  try {
    const created = await atomic(
      () => createOne(state, { ...creationValues(state.meta, lookup), ...defaults }),
      {
        using: state.using,
      },
    );
    return [created, true];
  } catch (error) {
    // Someone else created it between our SELECT and INSERT.
    if (!isUniqueViolation(error)) throw error;
    const again = await getOne(query);
    if (again === undefined) throw error;
    return [again, false];
  }
}

export function updateOrCreate(
  state: QueryState,
  lookup: unknown,
  defaults: unknown,
): Promise<[ModelInstance, boolean]> {
  if (!isPlainObject(lookup) || !isPlainObject(defaults)) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      'updateOrCreate(lookup, defaults) takes two objects of field values.',
    );
  }
  return atomic(
    async (): Promise<[ModelInstance, boolean]> => {
      const query = filtered({ ...state, lock: { noWait: false, skipLocked: false } }, lookup);
      const found = await getOne(query);
      if (found === undefined) {
        return [
          await createOne(state, { ...creationValues(state.meta, lookup), ...defaults }),
          true,
        ];
      }
      assignValues(found, defaults);
      const names = Object.keys(defaults).map((key) => state.meta.fieldByName.get(key)!.attname);
      await saveInstance(found, names.length > 0 ? { updateFields: names } : {});
      return [found, false];
    },
    { using: state.using },
  );
}

export async function bulkCreate(
  state: QueryState,
  rows: unknown,
  batchSize: number | undefined,
): Promise<ModelInstance[]> {
  if (!Array.isArray(rows))
    throw new CarafeError('CARAFE_DB_BAD_VALUE', 'bulkCreate() takes an array of objects.');
  const meta = state.meta;
  const instances = rows.map((row) => (isInstance(row) ? row : newInstance(meta, row)));
  if (instances.length === 0) return [];
  const db = database(state.using);
  const size = batchSize ?? instances.length;
  await atomic(
    async () => {
      for (let start = 0; start < instances.length; start += size) {
        await insertInstances(meta, instances.slice(start, start + size), db);
      }
    },
    { using: state.using },
  );
  for (const instance of instances) markSaved(instance, db.name);
  return instances;
}

/** SET assignments for update(): checked values as parameters, expressions as SQL. */
function assignments(
  state: QueryState,
  values: unknown,
): { fields: Field[]; slots: unknown[]; build: (collector: ParamCollector) => Sql } {
  const meta = state.meta;
  if (!isPlainObject(values) || Object.keys(values).length === 0) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      `update() on ${meta.label} takes an object with at least one field.`,
    );
  }
  const slots = [...state.values];
  const parts: {
    field: Field;
    slot: number | undefined;
    node: ReturnType<typeof slotExpression> | undefined;
  }[] = [];
  for (const [key, value] of Object.entries(values)) {
    const field = meta.concreteField(key, 'update()');
    if (isExpression(value)) {
      const node = slotExpression({ slot: (item) => slots.push(item) - 1 }, value.expression);
      parts.push({ field, slot: undefined, node });
    } else {
      slots.push(checkWritable(field, value));
      parts.push({ field, slot: slots.length - 1, node: undefined });
    }
  }
  return {
    fields: parts.map((part) => part.field),
    slots,
    build: (collector) =>
      list(
        parts.map(({ field, slot, node }) => {
          const value =
            node !== undefined
              ? compileExpression(collector, node, { meta, alias: meta.table })
              : collector.param(slot!, -1, encoderFor(field, collector.dialect));
          return sql`${identifier(field.column)} = ${value}`;
        }),
      ),
  };
}

function hasSubquery(nodes: readonly WhereNode[]): boolean {
  const visit = (node: WhereNode): boolean =>
    node.kind === 'exists' || (node.kind === 'group' && node.children.some(visit));
  return nodes.some(visit);
}

/** Primary keys of the rows a query matches. */
export async function matchingKeys(state: QueryState): Promise<unknown[]> {
  const meta = state.meta;
  const pkPath = { kind: 'field' as const, joins: [], field: meta.pk, name: meta.pk.attname };
  return fetchRows({
    ...state,
    ordering: [],
    projection: { kind: 'values', paths: [pkPath], shape: 'flat' },
    selected: [],
    prefetched: [],
  });
}

export async function updateQuery(state: QueryState, values: unknown): Promise<number> {
  const meta = state.meta;
  if (state.limit !== undefined || state.offset !== undefined) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      'update() on a sliced query is not supported; filter the rows instead.',
    );
  }
  const db = database(state.using);
  let scoped = state;
  // MySQL refuses subqueries on the table being updated in some shapes; find the rows first.
  if (db.dialect === 'mysql' && hasSubquery(state.where)) {
    const keys = await matchingKeys(state);
    if (keys.length === 0) return 0;
    scoped = filtered(
      { ...state, where: [], whereSignature: '', values: [] },
      { [meta.pk.name]: { in: keys } },
    );
  }
  const set = assignments(scoped, values);
  const collector = new ParamCollector(db.dialect);
  const where = compileConditions(collector, scoped.where, { meta, alias: meta.table });
  const query = sql`UPDATE ${identifier(meta.table)} SET ${set.build(collector)}${where === undefined ? sql`` : sql` WHERE ${where}`}`;
  const result = await db.run(toCompiledQuery(collector.finish(query), set.slots));
  return Number(result.numAffectedRows ?? 0n);
}

const bulkUpdateTemplates = new TemplateCache<null>();

/**
 * `UPDATE t SET f = CASE WHEN pk = ? THEN ? … END … WHERE pk IN (…)` for `rows` rows: the text
 * depends only on the model, the fields, the row count and the dialect, so it is built once
 * (and prepared once on PostgreSQL) and later calls only bind their values.
 */
function bulkUpdateTemplate(
  meta: ModelMeta,
  fields: readonly Field[],
  rows: number,
  dialect: Dialect,
): Template<null> {
  const key = `${dialect}|${meta.label}|${fields.map((field) => field.name).join(',')}|${rows}`;
  const cached = bulkUpdateTemplates.get(key);
  if (cached !== undefined) return cached;
  const collector = new ParamCollector(dialect);
  let next = 0;
  const pkParam = () => collector.param(next++, -1, encoderFor(meta.pk, dialect));
  const typed = (param: Sql, field: Field) =>
    dialect === 'postgres'
      ? sql`CAST(${param} AS ${sql.raw(columnSqlType(field, 'postgres'))})`
      : param;
  const sets = fields.map((field) => {
    const cases: Sql[] = [];
    for (let row = 0; row < rows; row++) {
      const pk = pkParam();
      const value = typed(collector.param(next++, -1, encoderFor(field, dialect)), field);
      cases.push(sql`WHEN ${column(meta.table, meta.pk.column)} = ${pk} THEN ${value}`);
    }
    return sql`${identifier(field.column)} = CASE ${sql.join(cases, sql` `)} END`;
  });
  const keys: Sql[] = [];
  for (let row = 0; row < rows; row++) keys.push(pkParam());
  const query = sql`UPDATE ${identifier(meta.table)} SET ${list(sets)} WHERE ${column(meta.table, meta.pk.column)} IN (${list(keys)})`;
  const template = { ...collector.finish(query), reader: null };
  bulkUpdateTemplates.set(key, template);
  if (dialect === 'postgres') preferPrepared(template.sql);
  return template;
}

export async function bulkUpdate(
  state: QueryState,
  instances: readonly unknown[],
  fieldNames: readonly string[],
  batchSize: number | undefined,
): Promise<number> {
  const meta = state.meta;
  if (!Array.isArray(instances) || fieldNames.length === 0) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      'bulkUpdate(instances, fields) takes an array of instances and at least one field name.',
    );
  }
  const fields = fieldNames.map((name) => {
    const field = meta.fieldByName.get(name);
    if (field === undefined || !field.concrete || field.primaryKey) {
      throw unknownField(
        meta.label,
        name,
        meta.concreteFields
          .filter((candidate) => !candidate.primaryKey)
          .map((candidate) => candidate.name),
        'bulkUpdate()',
      );
    }
    return field;
  });
  for (const instance of instances) {
    if (
      !isInstance(instance) ||
      metaOf(instance) !== meta ||
      pkOf(instance) === undefined ||
      pkOf(instance) === null
    ) {
      throw new CarafeError(
        'CARAFE_DB_BAD_VALUE',
        `bulkUpdate() takes saved ${meta.label} instances.`,
      );
    }
  }
  const db = database(state.using);
  const size = batchSize ?? 500;
  const runBatch = async (batch: readonly ModelInstance[]) => {
    const template = bulkUpdateTemplate(meta, fields, batch.length, db.dialect);
    // The slots in the order the template numbered them: per field, each row's key and value;
    // then every key again for the WHERE.
    const slots: unknown[] = [];
    for (const field of fields) {
      for (const instance of batch) {
        slots.push(pkOf(instance), checkWritable(field, Reflect.get(instance, field.attname)));
      }
    }
    for (const instance of batch) slots.push(pkOf(instance));
    const result = await db.run(toCompiledQuery(template, slots));
    return Number(result.numAffectedRows ?? 0n);
  };
  const all = instances as readonly ModelInstance[];
  // One statement is atomic by itself; only several batches need a transaction around them.
  if (all.length <= size) return all.length === 0 ? 0 : runBatch(all);
  let total = 0;
  await atomic(
    async () => {
      for (let start = 0; start < all.length; start += size) {
        total += await runBatch(all.slice(start, start + size));
      }
    },
    { using: state.using },
  );
  return total;
}
