// The types a model definition yields: its row, instance and create input. Everything is
// computed with mapped types over the field map, keyed on the model type, so TypeScript
// caches each per model and never recurses deeply.
import type { FieldErrors } from './errors.js';
import type { FieldMap, fieldTypes, RelationKind, RelationTypes } from './fields/types.js';
import type { ModelMeta } from './meta.js';
import type { ModelByLabel, RelatedManagerOf, ToManyName } from './relation-types.js';

export declare const modelTypes: unique symbol;

export interface ModelTypes {
  readonly label: string;
  readonly fields: FieldMap;
}

/** Any model class. Functions that accept models take `M extends AnyModel`. */
export interface AnyModel {
  readonly [modelTypes]: ModelTypes;
  readonly meta: ModelMeta;
}

export type FieldsOf<M extends AnyModel> = M[typeof modelTypes]['fields'];
export type LabelOf<M extends AnyModel> = M[typeof modelTypes]['label'];
export type InfoOf<F extends FieldMap, K extends keyof F> = F[K][typeof fieldTypes];

type PkName<F extends FieldMap> = {
  [K in keyof F]: InfoOf<F, K>['pk'] extends true ? K : never;
}[keyof F];

/** The primary key's property name: `id` unless a field says `primaryKey: true`. */
export type PkKey<M extends AnyModel> = [PkName<FieldsOf<M>>] extends [never]
  ? 'id'
  : PkName<FieldsOf<M>>;

/** The primary key's value type (`number` for the automatic `id`). */
export type PkValue<M extends AnyModel> = [PkName<FieldsOf<M>>] extends [never]
  ? number
  : InfoOf<FieldsOf<M>, PkName<FieldsOf<M>>>['value'];

/** The model a relation field points at (`'self'` resolved to `M`, labels through the registry). */
export type TargetOf<I, M extends AnyModel> = I extends { readonly target: infer T }
  ? T extends 'self'
    ? M
    : T extends () => infer R
      ? R extends AnyModel
        ? R
        : never
      : T extends string
        ? ModelByLabel<T>
        : never
  : never;

type IsRelation<I> = I extends { readonly relation: RelationKind } ? true : false;
type WithNull<V, I extends { readonly nullable: boolean }> = I['nullable'] extends true
  ? V | null
  : V;

type AttrKey<K, I> = I extends { readonly relation: 'manyToMany' }
  ? never
  : IsRelation<I> extends true
    ? `${K & string}Id`
    : K;

type AttrValue<I extends RelationTypes | FieldMap[string][typeof fieldTypes], M extends AnyModel> =
  IsRelation<I> extends true ? WithNull<PkValue<TargetOf<I, M>>, I> : WithNull<I['value'], I>;

type AutoPk<M extends AnyModel> = [PkName<FieldsOf<M>>] extends [never] ? { id: number } : unknown;

/** The stored values of a model's row: one property per column (`questionId` for a foreign key). */
export type Row<M extends AnyModel> = AutoPk<M> & {
  -readonly [K in keyof FieldsOf<M> as AttrKey<K, InfoOf<FieldsOf<M>, K>>]: AttrValue<
    InfoOf<FieldsOf<M>, K>,
    M
  >;
};

export interface SaveOptions<M extends AnyModel> {
  /** Update only these fields (an UPDATE of just those columns). */
  readonly updateFields?: readonly (keyof Row<M> & string)[];
  /** Insert even if the primary key is set (fails on a duplicate). */
  readonly forceInsert?: boolean;
  /** The database alias to write to; defaults to the one the row came from, else `default`. */
  readonly using?: string;
}

export interface ValidateOptions {
  /** Field names to skip (for example those a form does not show). */
  readonly exclude?: readonly string[];
  /** Check unique fields and `uniqueTogether` with a query (default true). */
  readonly unique?: boolean;
}

/** What `delete()` removed, per model label, cascades included. */
export interface DeleteResult {
  readonly total: number;
  readonly byModel: Readonly<Record<string, number>>;
}

/** Methods every model instance has, Django style. */
export interface InstanceMethods<M extends AnyModel> {
  /** Inserts the row when it is new, else updates it. Fires `preSave` / `postSave`. */
  save(options?: SaveOptions<M>): Promise<void>;
  /** Deletes the row and what cascades from it, in a transaction. */
  delete(options?: { readonly using?: string }): Promise<DeleteResult>;
  /** Reloads the stored values (all, or the named fields) from the database. */
  refresh(options?: { readonly fields?: readonly (keyof Row<M> & string)[] }): Promise<void>;
  /** Runs field validators, choices, lengths and uniqueness; throws `ValidationError`. */
  validate(options?: ValidateOptions): Promise<void>;
  /** Like `validate()` but returns the errors (or `undefined`) instead of throwing. */
  errors(options?: ValidateOptions): Promise<FieldErrors | undefined>;
  /** Whether the row has not been saved yet. */
  readonly isNew: boolean;
  /** Adds, removes and lists the rows of a to-many relation: `await q.related('tags').add(tag)`. */
  related<N extends ToManyName<M>>(name: N): RelatedManagerOf<M, N>;
}

/** A model instance: its row values plus `save()`, `delete()`, `refresh()` and `validate()`. */
export type Instance<M extends AnyModel> = Row<M> & InstanceMethods<M>;

/** `InstanceOf<typeof Question>`: the type of the rows `Question.objects` returns. */
export type InstanceOf<M extends AnyModel> = Instance<M>;

type InputValue<I, M extends AnyModel> =
  IsRelation<I> extends true
    ? WithNull<
        PkValue<TargetOf<I, M>> | Instance<TargetOf<I, M>>,
        I & { readonly nullable: boolean }
      >
    : I extends { readonly value: infer V; readonly nullable: boolean }
      ? WithNull<V, I>
      : never;

type CreateKey<K, I, Optional extends boolean> = I extends { readonly relation: 'manyToMany' }
  ? never
  : I extends { readonly optional: Optional }
    ? K
    : never;

type AutoPkInput<M extends AnyModel> = [PkName<FieldsOf<M>>] extends [never]
  ? { id?: number }
  : unknown;

/** What `create()` and `new Model()` take: fields without a default are required. */
export type CreateInput<M extends AnyModel> = AutoPkInput<M> & {
  [K in keyof FieldsOf<M> as CreateKey<K, InfoOf<FieldsOf<M>, K>, false>]: InputValue<
    InfoOf<FieldsOf<M>, K>,
    M
  >;
} & {
  [K in keyof FieldsOf<M> as CreateKey<K, InfoOf<FieldsOf<M>, K>, true>]?: InputValue<
    InfoOf<FieldsOf<M>, K>,
    M
  >;
};

/** What `update()` and `updateOrCreate()`'s defaults take: any editable column, all optional. */
export type UpdateInput<M extends AnyModel, E> = {
  [K in keyof FieldsOf<M> as CreateKey<K, InfoOf<FieldsOf<M>, K>, boolean>]?:
    | InputValue<InfoOf<FieldsOf<M>, K>, M>
    | E;
};
