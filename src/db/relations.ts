// Managers for to-many relations of one instance: `q.related('choices')` (reverse foreign key)
// and `q.related('tags')` (many-to-many, either side). Each change is explicit and async;
// many-to-many changes fire m2mChanged.
import { CarafeError } from '../index.js';
import { database } from './connection/index.js';
import type { RelationField } from './fields/relation.js';
import { checkValue } from './fields/values.js';
import { isInstance, type ModelInstance, metaOf, pkOf, savedOnOf } from './instance.js';
import type { ModelMeta } from './meta.js';
import type { AnyModel } from './model-types.js';
import { deleteKeys } from './query/delete.js';
import { insertInstances } from './query/insert.js';
import type { WhereNode } from './query/nodes.js';
import { QuerySet, queryState } from './query/queryset.js';
import { initialState, type QueryState } from './query/state.js';
import { objectCondition, WhereBuilder } from './query/where.js';
import { createOne, matchingKeys, updateQuery } from './query/write.js';
import { m2mChanged } from './signals.js';
import { throughKeys } from './through.js';
import { atomic } from './transaction.js';

interface Side {
  readonly kind: 'reverse' | 'manyToMany';
  readonly field: RelationField;
  /** For many-to-many: whether the instance is on the side that declares the field. */
  readonly fromSource: boolean;
  /** The model whose rows the manager returns. */
  readonly related: ModelMeta;
}

function sideOf(meta: ModelMeta, name: string): Side {
  const field = meta.fieldByName.get(name);
  if (field !== undefined && field.kind === 'manyToMany') {
    const relation = field as RelationField;
    return { kind: 'manyToMany', field: relation, fromSource: true, related: relation.target };
  }
  const reverse = meta.reverse.get(name);
  if (reverse !== undefined && reverse.relation !== 'oneToOne') {
    return {
      kind: reverse.relation === 'manyToMany' ? 'manyToMany' : 'reverse',
      field: reverse.field,
      fromSource: false,
      related: reverse.related,
    };
  }
  const names = [
    ...meta.manyToMany.map((candidate) => candidate.name),
    ...[...meta.reverse.values()]
      .filter((candidate) => candidate.relation !== 'oneToOne')
      .map((candidate) => candidate.name),
  ];
  throw new CarafeError(
    'CARAFE_DB_UNKNOWN_FIELD',
    `${meta.label} has no to-many relation "${name}". To-many relations: ${names.map((n) => `"${n}"`).join(', ') || 'none'}.`,
  );
}

export class RelatedManager {
  readonly #owner: ModelInstance;
  readonly #side: Side;
  readonly #name: string;

  constructor(owner: ModelInstance, name: string) {
    const meta = metaOf(owner);
    this.#owner = owner;
    this.#name = name;
    this.#side = sideOf(meta, name);
    if (owner.isNew || pkOf(owner) === undefined || pkOf(owner) === null) {
      throw new CarafeError(
        'CARAFE_DB_NOT_SAVED',
        `Save this ${meta.modelName} before using its "${name}" relation.`,
      );
    }
  }

  get #using(): string | undefined {
    return savedOnOf(this.#owner);
  }

  get #ownerKey(): unknown {
    return pkOf(this.#owner);
  }

  #state(): QueryState {
    const side = this.#side;
    const related = side.related;
    const base: QueryState = { ...initialState(related), using: this.#using };
    const builder = new WhereBuilder([], new Map());
    if (side.kind === 'reverse') {
      const collected = objectCondition(builder, related, { [side.field.attname]: this.#ownerKey });
      return {
        ...base,
        where: [collected.node],
        whereSignature: collected.signature,
        values: builder.values,
      };
    }
    // Related rows that have a join row pointing at the owner: EXISTS over the join table.
    const owner = metaOf(this.#owner);
    const onOwner = objectCondition(builder, owner, { [owner.pk.name]: this.#ownerKey });
    const node: WhereNode = {
      kind: 'exists',
      hop: { kind: 'manyToMany', field: side.field, fromSource: !side.fromSource },
      where: onOwner.node,
      negated: false,
    };
    return {
      ...base,
      where: [node],
      whereSignature: `m2m:${side.field.model.label}.${side.field.name}:${side.fromSource}(${onOwner.signature})`,
      values: builder.values,
    };
  }

  /** The related rows, as a QuerySet to filter further. */
  all(): QuerySet<AnyModel> {
    const state = this.#state();
    return new QuerySet(state.meta, state);
  }

  #keys(items: readonly unknown[]): unknown[] {
    const related = this.#side.related;
    return items.map((item) => {
      if (isInstance(item)) {
        if (metaOf(item) !== related) {
          throw new CarafeError(
            'CARAFE_DB_BAD_VALUE',
            `${this.#name} holds ${related.label} rows, got a ${metaOf(item).label}.`,
          );
        }
        const key = pkOf(item);
        if (key === undefined || key === null) {
          throw new CarafeError(
            'CARAFE_DB_NOT_SAVED',
            `Save the ${related.modelName} before adding it to "${this.#name}".`,
          );
        }
        return key;
      }
      return checkValue(related.pk, item, false);
    });
  }

  async #signal(
    action: 'preAdd' | 'postAdd' | 'preRemove' | 'postRemove' | 'preClear' | 'postClear',
    pks?: unknown[],
  ): Promise<void> {
    const owner = metaOf(this.#owner);
    await m2mChanged.send({
      model: owner.model,
      instance: this.#owner,
      using: database(this.#using).name,
      action,
      reverse: !this.#side.fromSource,
      relatedModel: this.#side.related.model,
      ...(pks === undefined ? {} : { pks }),
    });
  }

  /** Join-table states: the column pointing at the owner and the one at the related row. */
  #joinColumns() {
    const keys = throughKeys(this.#side.field);
    return this.#side.fromSource
      ? { through: keys.through, near: keys.source, far: keys.target }
      : { through: keys.through, near: keys.target, far: keys.source };
  }

  async #linked(): Promise<Set<unknown>> {
    const { through, near, far } = this.#joinColumns();
    const builder = new WhereBuilder([], new Map());
    const collected = objectCondition(builder, through, { [near.attname]: this.#ownerKey });
    const state: QueryState = {
      ...initialState(through),
      where: [collected.node],
      whereSignature: collected.signature,
      values: builder.values,
      using: this.#using,
    };
    const pathNode = { kind: 'field' as const, joins: [], field: far, name: far.attname };
    const query = new QuerySet(through, {
      ...state,
      projection: { kind: 'values', paths: [pathNode], shape: 'flat' },
    });
    return new Set(await query);
  }

  /** Links rows (instances or keys). For a reverse foreign key this sets their key to the owner. */
  async add(...items: unknown[]): Promise<void> {
    const keys = this.#keys(items);
    if (keys.length === 0) return;
    const side = this.#side;
    if (side.kind === 'reverse') {
      await updateQuery(this.#whereKeys(keys), { [side.field.attname]: this.#ownerKey });
      for (const item of items)
        if (isInstance(item)) Reflect.set(item, side.field.attname, this.#ownerKey);
      return;
    }
    await atomic(
      async () => {
        const existing = await this.#linked();
        const fresh = [...new Set(keys)].filter((key) => !existing.has(key));
        await this.#signal('preAdd', fresh);
        if (fresh.length > 0) {
          const { through, near, far } = this.#joinColumns();
          const Join = through.model as unknown as new (
            data: Record<string, unknown>,
          ) => ModelInstance;
          const rows = fresh.map(
            (key) => new Join({ [near.attname]: this.#ownerKey, [far.attname]: key }),
          );
          await insertInstances(through, rows, database(this.#using));
        }
        await this.#signal('postAdd', fresh);
      },
      { using: this.#using },
    );
  }

  #whereKeys(keys: readonly unknown[]): QueryState {
    const related = this.#side.related;
    const builder = new WhereBuilder([], new Map());
    const collected = objectCondition(builder, related, { [related.pk.name]: { in: keys } });
    return {
      ...initialState(related),
      where: [collected.node],
      whereSignature: collected.signature,
      values: builder.values,
      using: this.#using,
    };
  }

  #nullable(): void {
    const field = this.#side.field;
    if (this.#side.kind === 'reverse' && !field.nullable) {
      throw new CarafeError(
        'CARAFE_DB_BAD_VALUE',
        `${field.model.label}.${field.name} is not nullable, so rows cannot be removed from "${this.#name}"; delete them instead.`,
      );
    }
  }

  /** Unlinks rows. For a reverse foreign key (nullable only) this sets their key to null. */
  async remove(...items: unknown[]): Promise<void> {
    this.#nullable();
    const keys = this.#keys(items);
    if (keys.length === 0) return;
    const side = this.#side;
    if (side.kind === 'reverse') {
      const mine = this.all()[queryState];
      const builder = new WhereBuilder(mine.values, new Map());
      const collected = objectCondition(builder, side.related, {
        [side.related.pk.name]: { in: keys },
      });
      await updateQuery(
        {
          ...mine,
          where: [...mine.where, collected.node],
          whereSignature: `${mine.whereSignature}(${collected.signature})`,
          values: builder.values,
        },
        { [side.field.attname]: null },
      );
      return;
    }
    await atomic(
      async () => {
        await this.#signal('preRemove', keys);
        await this.#deleteJoins(keys);
        await this.#signal('postRemove', keys);
      },
      { using: this.#using },
    );
  }

  async #deleteJoins(keys: readonly unknown[] | undefined): Promise<void> {
    const { through, near, far } = this.#joinColumns();
    const conditions: Record<string, unknown> = { [near.attname]: this.#ownerKey };
    if (keys !== undefined) conditions[far.attname] = { in: keys };
    const builder = new WhereBuilder([], new Map());
    const collected = objectCondition(builder, through, conditions);
    const state: QueryState = {
      ...initialState(through),
      where: [collected.node],
      whereSignature: collected.signature,
      values: builder.values,
      using: this.#using,
    };
    const joinKeys = await matchingKeys(state);
    if (joinKeys.length > 0) await deleteKeys(through, joinKeys, this.#using);
  }

  /** Unlinks every row. */
  async clear(): Promise<void> {
    this.#nullable();
    const side = this.#side;
    if (side.kind === 'reverse') {
      await updateQuery(this.all()[queryState], { [side.field.attname]: null });
      return;
    }
    await atomic(
      async () => {
        await this.#signal('preClear');
        await this.#deleteJoins(undefined);
        await this.#signal('postClear');
      },
      { using: this.#using },
    );
  }

  /** Makes the relation hold exactly these rows. */
  async set(items: readonly unknown[]): Promise<void> {
    const keys = this.#keys(items);
    const side = this.#side;
    await atomic(
      async () => {
        const current =
          side.kind === 'reverse'
            ? new Set(await matchingKeys(this.all()[queryState]))
            : await this.#linked();
        const wanted = new Set(keys);
        const removed = [...current].filter((key) => !wanted.has(key));
        const added = keys.filter((key) => !current.has(key));
        if (removed.length > 0) await this.remove(...removed);
        if (added.length > 0) await this.add(...added);
      },
      { using: this.#using },
    );
  }

  /** Creates a related row and links it. */
  async create(data: Record<string, unknown>): Promise<ModelInstance> {
    const side = this.#side;
    const state = { ...initialState(side.related), using: this.#using };
    if (side.kind === 'reverse')
      return createOne(state, { ...data, [side.field.attname]: this.#ownerKey });
    return atomic(
      async () => {
        const created = await createOne(state, data);
        await this.add(created);
        return created;
      },
      { using: this.#using },
    );
  }
}

export function relatedManagerFor(instance: ModelInstance, name: string): RelatedManager {
  return new RelatedManager(instance, name);
}
