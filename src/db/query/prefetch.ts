// prefetch(): one extra query per relation for all rows at once, attached to each row as an
// array (to-many) or an instance (to-one).
import { CarafeError } from '../../index.js';
import { database } from '../connection/index.js';
import type { Field } from '../fields/field.js';
import type { RelationField } from '../fields/relation.js';
import { type ModelInstance, setLoaded } from '../instance.js';
import type { ModelMeta } from '../meta.js';
import { throughKeys } from '../through.js';
import { modelOrdering } from './compile-select.js';
import { fetchRows } from './execute.js';
import { columnReaders, instanceReader } from './readers.js';
import { column, identifier, list, sql } from './sql.js';
import { initialState, type QueryState } from './state.js';
import { ParamCollector, toCompiledQuery } from './template.js';
import { objectCondition, WhereBuilder } from './where.js';

const batchSize = 1000;

function batches<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += batchSize)
    result.push(items.slice(index, index + batchSize));
  return result;
}

function distinct(values: readonly unknown[]): unknown[] {
  return [...new Set(values.filter((value) => value !== null && value !== undefined))];
}

/** `related.objects.filter({ [field]: { in: keys } })`, on the parent query's database. */
async function fetchWhereIn(
  related: ModelMeta,
  field: Field,
  keys: readonly unknown[],
  using: string | undefined,
): Promise<ModelInstance[]> {
  const results: ModelInstance[] = [];
  for (const chunk of batches(keys)) {
    const builder = new WhereBuilder([], new Map());
    const collected = objectCondition(builder, related, { [field.attname]: { in: chunk } });
    const state: QueryState = {
      ...initialState(related),
      where: [collected.node],
      whereSignature: collected.signature,
      values: builder.values,
      using,
    };
    results.push(...((await fetchRows(state)) as ModelInstance[]));
  }
  return results;
}

function read(instance: ModelInstance, attname: string): unknown {
  return Reflect.get(instance, attname);
}

async function prefetchForward(
  rows: ModelInstance[],
  field: RelationField,
  using: string | undefined,
): Promise<void> {
  const target = field.target;
  const keys = distinct(rows.map((row) => read(row, field.attname)));
  const found = await fetchWhereIn(target, target.pk, keys, using);
  const byPk = new Map(found.map((instance) => [read(instance, target.pk.attname), instance]));
  for (const row of rows) {
    const key = read(row, field.attname);
    setLoaded(row, field.name, key === null ? null : (byPk.get(key) ?? null));
  }
}

async function prefetchReverse(
  rows: ModelInstance[],
  name: string,
  field: RelationField,
  meta: ModelMeta,
  using: string | undefined,
): Promise<void> {
  const keys = distinct(rows.map((row) => read(row, meta.pk.attname)));
  const found = await fetchWhereIn(field.model, field, keys, using);
  const groups = new Map<unknown, ModelInstance[]>();
  for (const instance of found) {
    const key = read(instance, field.attname);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [instance]);
    else group.push(instance);
  }
  for (const row of rows) {
    const group = groups.get(read(row, meta.pk.attname)) ?? [];
    setLoaded(row, name, field.relation === 'oneToOne' ? (group[0] ?? null) : group);
  }
}

/** Related rows of a many-to-many with the key of the row they belong to, in one query per batch. */
async function prefetchManyToMany(
  rows: ModelInstance[],
  name: string,
  field: RelationField,
  fromSource: boolean,
  meta: ModelMeta,
  using: string | undefined,
): Promise<void> {
  const keys = throughKeys(field);
  const near = fromSource ? keys.source : keys.target;
  const far = fromSource ? keys.target : keys.source;
  const related = far.target;
  const db = database(using);
  const ownerKey = '__owner';
  const readRows = instanceReader(related, columnReaders(related, db.dialect), [], []);
  const groups = new Map<unknown, ModelInstance[]>();
  for (const chunk of batches(distinct(rows.map((row) => read(row, meta.pk.attname))))) {
    const collector = new ParamCollector(db.dialect);
    const ordering = modelOrdering(related).filter(
      (term) => term.path.kind === 'field' && term.path.joins.length === 0,
    );
    const order = ordering.map((term) => {
      const target = term.path.kind === 'field' ? column('r', term.path.field.column) : sql``;
      return term.descending ? sql`${target} DESC` : sql`${target} ASC`;
    });
    const query = sql`SELECT ${list(related.concreteFields.map((candidate) => column('r', candidate.column)))}, ${column('j', near.column)} AS ${identifier(ownerKey)} FROM ${identifier(keys.through.table)} ${identifier('j')} INNER JOIN ${identifier(related.table)} ${identifier('r')} ON ${column('r', related.pk.column)} = ${column('j', far.column)} WHERE ${column('j', near.column)} IN (${list(chunk.map((_, index) => collector.param(0, index, undefined)))})${order.length > 0 ? sql` ORDER BY ${list(order)}` : sql``}`;
    const template = collector.finish(query);
    const result = await db.run(toCompiledQuery(template, [chunk]));
    const raw = result.rows as Record<string, unknown>[];
    const instances = readRows(raw, db.name) as ModelInstance[];
    instances.forEach((instance, index) => {
      const owner = raw[index]![ownerKey];
      const group = groups.get(owner);
      if (group === undefined) groups.set(owner, [instance]);
      else group.push(instance);
    });
  }
  for (const row of rows) setLoaded(row, name, groups.get(read(row, meta.pk.attname)) ?? []);
}

/** Runs the prefetches `state` asks for and attaches their rows to `rows`. */
export async function prefetchInto(state: QueryState, rows: readonly unknown[]): Promise<void> {
  const meta = state.meta;
  if (state.projection.kind !== 'instances') {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      'prefetch() works on instances; drop values()/valuesList() or the prefetch.',
    );
  }
  const instances = rows as ModelInstance[];
  for (const name of state.prefetched) {
    const field = meta.fieldByName.get(name) as RelationField | undefined;
    if (field !== undefined) {
      if (field.relation === 'manyToMany')
        await prefetchManyToMany(instances, name, field, true, meta, state.using);
      else await prefetchForward(instances, field, state.using);
      continue;
    }
    const reverse = meta.reverse.get(name)!;
    if (reverse.relation === 'manyToMany')
      await prefetchManyToMany(instances, name, reverse.field, false, meta, state.using);
    else await prefetchReverse(instances, name, reverse.field, meta, state.using);
  }
}
