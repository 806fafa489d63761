// Deletion with Django's collector: follow every relation pointing at the rows being deleted,
// cascade, protect, restrict, set null or set default as each foreign key says, then delete
// children before parents, all in one transaction, with pre/postDelete signals per instance.
import { CarafeError } from '../../index.js';
import { database } from '../connection/index.js';
import { ProtectedError } from '../errors.js';
import { encoderFor } from '../fields/codecs.js';
import type { RelationField } from '../fields/relation.js';
import type { ModelInstance } from '../instance.js';
import type { ModelMeta } from '../meta.js';
import type { DeleteResult } from '../model-types.js';
import { postDelete, preDelete } from '../signals.js';
import { atomic } from '../transaction.js';
import { fetchRows } from './execute.js';
import { column, identifier, list, sql } from './sql.js';
import { initialState, type QueryState } from './state.js';
import { ParamCollector, toCompiledQuery } from './template.js';
import { objectCondition, WhereBuilder } from './where.js';
import { matchingKeys } from './write.js';

const batchSize = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += batchSize)
    result.push(items.slice(index, index + batchSize));
  return result;
}

function whereIn(
  meta: ModelMeta,
  attname: string,
  keys: readonly unknown[],
  using: string | undefined,
): QueryState {
  const builder = new WhereBuilder([], new Map());
  const collected = objectCondition(builder, meta, { [attname]: { in: keys } });
  return {
    ...initialState(meta),
    where: [collected.node],
    whereSignature: collected.signature,
    values: builder.values,
    using,
  };
}

async function keysWhereIn(
  meta: ModelMeta,
  field: RelationField,
  keys: readonly unknown[],
  using: string | undefined,
): Promise<unknown[]> {
  const found: unknown[] = [];
  for (const chunk of chunks(keys))
    found.push(...(await matchingKeys(whereIn(meta, field.attname, chunk, using))));
  return found;
}

interface FieldUpdate {
  readonly field: RelationField;
  readonly value: unknown;
  readonly keys: unknown[];
}

class Collector {
  readonly using: string | undefined;
  /** Keys to delete per model, in discovery order (parents before the children found from them). */
  readonly doomed = new Map<ModelMeta, Set<unknown>>();
  readonly updates: FieldUpdate[] = [];
  readonly protectedBy = new Map<string, number>();
  readonly restricted: { meta: ModelMeta; keys: unknown[]; field: RelationField }[] = [];

  constructor(using: string | undefined) {
    this.using = using;
  }

  async collect(meta: ModelMeta, keys: readonly unknown[]): Promise<void> {
    let set = this.doomed.get(meta);
    if (set === undefined) {
      set = new Set();
      this.doomed.set(meta, set);
    }
    const fresh = keys.filter((key) => !set.has(key));
    if (fresh.length === 0) return;
    for (const key of fresh) set.add(key);
    for (const field of meta.incoming) {
      if (!field.concrete) continue;
      const related = await keysWhereIn(field.model, field, fresh, this.using);
      if (related.length === 0) continue;
      switch (field.onDelete) {
        case 'cascade':
          await this.collect(field.model, related);
          break;
        case 'protect':
          this.protectedBy.set(
            field.model.label,
            (this.protectedBy.get(field.model.label) ?? 0) + related.length,
          );
          break;
        case 'restrict':
          this.restricted.push({ meta: field.model, keys: related, field });
          break;
        case 'setNull':
          this.updates.push({ field, value: null, keys: related });
          break;
        case 'setDefault':
          this.updates.push({ field, value: field.getDefault(), keys: related });
          break;
        case 'doNothing':
          break;
      }
    }
  }

  check(): void {
    if (this.protectedBy.size > 0) {
      const list = [...this.protectedBy].map(([label, count]) => `${count} ${label}`).join(', ');
      throw new ProtectedError(
        'CARAFE_DB_PROTECTED',
        `Cannot delete: ${list} row(s) point at it with onDelete: 'protect'. Delete or reassign those first.`,
        Object.fromEntries(this.protectedBy),
      );
    }
    const blocked = new Map<string, number>();
    for (const { meta, keys } of this.restricted) {
      // restrict allows the delete when the referencing rows are being deleted by a cascade too.
      const doomed = this.doomed.get(meta);
      const left = keys.filter((key) => doomed === undefined || !doomed.has(key));
      if (left.length > 0) blocked.set(meta.label, (blocked.get(meta.label) ?? 0) + left.length);
    }
    if (blocked.size > 0) {
      const list = [...blocked].map(([label, count]) => `${count} ${label}`).join(', ');
      throw new ProtectedError(
        'CARAFE_DB_RESTRICTED',
        `Cannot delete: ${list} row(s) point at it with onDelete: 'restrict' and are not deleted along with it.`,
        Object.fromEntries(blocked),
      );
    }
  }
}

async function loadInstances(
  meta: ModelMeta,
  keys: readonly unknown[],
  using: string | undefined,
): Promise<ModelInstance[]> {
  const result: ModelInstance[] = [];
  for (const chunk of chunks(keys))
    result.push(
      ...((await fetchRows(whereIn(meta, meta.pk.attname, chunk, using))) as ModelInstance[]),
    );
  return result;
}

async function run(
  collector: Collector,
  known: ReadonlyMap<unknown, ModelInstance>,
): Promise<DeleteResult> {
  const db = database(collector.using);
  collector.check();
  const signalled = new Map<ModelMeta, ModelInstance[]>();
  for (const [meta, keys] of collector.doomed) {
    if (!preDelete.hasReceivers(meta.model) && !postDelete.hasReceivers(meta.model)) continue;
    const missing = [...keys].filter((key) => !known.has(key) || known.get(key) === undefined);
    const loadedRows = await loadInstances(meta, missing, collector.using);
    const instances = [
      ...[...keys].flatMap((key) => (known.has(key) ? [known.get(key)!] : [])),
      ...loadedRows,
    ];
    signalled.set(meta, instances);
    for (const instance of instances)
      await preDelete.send({ model: meta.model, instance, using: db.name });
  }
  for (const { field, value, keys } of collector.updates) {
    const doomed = collector.doomed.get(field.model);
    const remaining = keys.filter((key) => doomed === undefined || !doomed.has(key));
    for (const chunk of chunks(remaining)) {
      const params = new ParamCollector(db.dialect);
      const meta = field.model;
      const query = sql`UPDATE ${identifier(meta.table)} SET ${identifier(field.column)} = ${params.param(0, -1, encoderFor(field, db.dialect))} WHERE ${column(meta.table, meta.pk.column)} IN (${list(chunk.map((_, index) => params.param(1, index, encoderFor(meta.pk, db.dialect))))})`;
      await db.run(toCompiledQuery(params.finish(query), [value, chunk]));
    }
  }
  const byModel: Record<string, number> = {};
  let total = 0;
  // Children were discovered after their parents: delete in reverse discovery order.
  for (const [meta, keys] of [...collector.doomed].reverse()) {
    let count = 0;
    for (const chunk of chunks([...keys])) {
      const params = new ParamCollector(db.dialect);
      const query = sql`DELETE FROM ${identifier(meta.table)} WHERE ${column(meta.table, meta.pk.column)} IN (${list(chunk.map((_, index) => params.param(0, index, encoderFor(meta.pk, db.dialect))))})`;
      const result = await db.run(toCompiledQuery(params.finish(query), [chunk]));
      count += Number(result.numAffectedRows ?? 0n);
    }
    if (count > 0 || keys.size > 0) {
      byModel[meta.label] = (byModel[meta.label] ?? 0) + count;
      total += count;
    }
  }
  for (const [meta, instances] of signalled) {
    for (const instance of instances)
      await postDelete.send({ model: meta.model, instance, using: db.name });
  }
  return { total, byModel };
}

/** Deletes the rows of `meta` with these primary keys, and what cascades from them. */
export function deleteKeys(
  meta: ModelMeta,
  keys: readonly unknown[],
  using: string | undefined,
  known: ReadonlyMap<unknown, ModelInstance> = new Map(),
): Promise<DeleteResult> {
  return atomic(
    async () => {
      const collector = new Collector(using);
      await collector.collect(meta, keys);
      return run(collector, known);
    },
    { using },
  );
}

export async function deleteQuery(state: QueryState): Promise<DeleteResult> {
  if (state.limit !== undefined || state.offset !== undefined) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      'delete() on a sliced query is not supported; filter the rows instead.',
    );
  }
  return atomic(
    async () => {
      const keys = await matchingKeys(state);
      if (keys.length === 0) return { total: 0, byModel: {} };
      return deleteKeys(state.meta, keys, state.using);
    },
    { using: state.using },
  );
}
