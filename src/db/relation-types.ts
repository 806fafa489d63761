// Which relations a model has, by name, for typing filters, select() and prefetch().
// Forward relations come from the model's own fields. Reverse ones (a Choice's foreign key seen
// from Question as `choices`) cannot be inferred from Question's definition alone, so models are
// registered once per app by declaration merging:
//
//   declare module 'carafe/db' {
//     interface RegisteredModels { polls: typeof import('./models.js') }
//   }

import type { RelationTypes } from './fields/types.js';
import type {
  AnyModel,
  CreateInput,
  FieldsOf,
  InfoOf,
  Instance,
  LabelOf,
  PkValue,
  TargetOf,
} from './model-types.js';
import type { QuerySet } from './query/queryset.js';

/** App name → the module namespace that exports its models. Extend it by declaration merging. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by users through declaration merging
export interface RegisteredModels {}

type ModelsIn<Mod> = { [E in keyof Mod]: Mod[E] extends AnyModel ? Mod[E] : never }[keyof Mod];
type AllModels = {
  [A in keyof RegisteredModels]: ModelsIn<RegisteredModels[A]>;
}[keyof RegisteredModels];

type ModelName<L extends string> = L extends `${string}.${infer N}` ? N : L;

/** The registered model labelled `L` (`never` when it is not registered). */
export type ModelByLabel<L extends string> = AllModels extends infer S
  ? S extends AnyModel
    ? LabelOf<S> extends L
      ? S
      : never
    : never
  : never;

type RelatedNameOf<S extends AnyModel, I extends RelationTypes> = I['relatedName'] extends string
  ? I['relatedName'] extends '+'
    ? never
    : I['relatedName']
  : I['relation'] extends 'oneToOne'
    ? Uncapitalize<ModelName<LabelOf<S>>>
    : `${Uncapitalize<ModelName<LabelOf<S>>>}Set`;

/** One relation seen from the model it points at. */
export interface ReverseEntry {
  readonly name: string;
  readonly target: string;
  readonly source: AnyModel;
  readonly relation: RelationTypes['relation'];
}

type EntriesOf<S extends AnyModel> = {
  [K in keyof FieldsOf<S>]: InfoOf<FieldsOf<S>, K> extends infer I extends RelationTypes
    ? {
        readonly name: RelatedNameOf<S, I>;
        readonly target: LabelOf<TargetOf<I, S>>;
        readonly source: S;
        readonly relation: I['relation'];
        readonly field: K;
      }
    : never;
}[keyof FieldsOf<S>];

type AllEntries = AllModels extends infer S ? (S extends AnyModel ? EntriesOf<S> : never) : never;

type SourceIn<E> = E extends { readonly source: infer S extends AnyModel } ? S : never;
type RelationIn<E> = E extends { readonly relation: infer R } ? R : never;
type FieldIn<E> = E extends {
  readonly field: infer K extends string;
  readonly relation: 'foreignKey';
}
  ? K
  : never;

/** Reverse relation name → entry, for the registered models that point at `M`. */
export type ReverseRelations<M extends AnyModel> = {
  [E in AllEntries as E['target'] extends LabelOf<M> ? E['name'] : never]: E;
};

type ForwardKind<M extends AnyModel, Kinds> = {
  [K in keyof FieldsOf<M>]: InfoOf<FieldsOf<M>, K> extends { readonly relation: Kinds } ? K : never;
}[keyof FieldsOf<M>] &
  string;

/** Foreign keys and one-to-ones declared on `M`: what `select()` accepts. */
export type ForwardSingleName<M extends AnyModel> = ForwardKind<M, 'foreignKey' | 'oneToOne'>;
export type ForwardManyName<M extends AnyModel> = ForwardKind<M, 'manyToMany'>;
export type ReverseName<M extends AnyModel> = keyof ReverseRelations<M> & string;

/** The model declaring reverse relation `N` of `M`. */
export type ReverseSource<M extends AnyModel, N> =
  ReverseRelations<M> extends infer R ? (N extends keyof R ? SourceIn<R[N]> : never) : never;

/** Every relation of `M` by name, with the model it leads to. */
export type RelatedModel<M extends AnyModel, N extends string> = N extends keyof FieldsOf<M>
  ? TargetOf<InfoOf<FieldsOf<M>, N>, M>
  : ReverseSource<M, N>;

/** Whether following relation `N` of `M` can yield many rows. */
export type IsToMany<M extends AnyModel, N extends string> =
  N extends ForwardManyName<M>
    ? true
    : ReverseRelations<M> extends infer R
      ? N extends keyof R
        ? RelationIn<R[N]> extends 'oneToOne'
          ? false
          : true
        : false
      : false;

type ForwardNullable<M extends AnyModel, N> = N extends keyof FieldsOf<M>
  ? InfoOf<FieldsOf<M>, N>['nullable']
  : true;

/** What `select(N)` / `prefetch(N)` attach: an instance, an instance or null, or an array. */
export type LoadedRelation<M extends AnyModel, N extends string> =
  RelatedModel<M, N> extends infer T extends AnyModel
    ? IsToMany<M, N> extends true
      ? Instance<T>[]
      : ForwardNullable<M, N> extends true
        ? Instance<T> | null
        : Instance<T>
    : never;

/** Relations that hold many rows: forward many-to-many and reverse foreign keys / many-to-many. */
export type ToManyName<M extends AnyModel> =
  | ForwardManyName<M>
  | {
      [N in ReverseName<M>]: IsToMany<M, N> extends true ? N : never;
    }[ReverseName<M>];

/** Changes the rows of one instance's to-many relation; see `instance.related(name)`. */
export interface RelatedManager<T extends AnyModel, Omitted extends string = never> {
  /** The related rows, as a QuerySet to filter further. */
  all(): QuerySet<T>;
  /** Links rows (instances or primary keys). */
  add(...items: (Instance<T> | PkValue<T>)[]): Promise<void>;
  /** Unlinks rows (a reverse foreign key must be nullable). */
  remove(...items: (Instance<T> | PkValue<T>)[]): Promise<void>;
  /** Unlinks every row. */
  clear(): Promise<void>;
  /** Makes the relation hold exactly these rows. */
  set(items: readonly (Instance<T> | PkValue<T>)[]): Promise<void>;
  /** Creates a related row already linked to the instance. */
  create(data: Omit<CreateInput<T>, Omitted>): Promise<Instance<T>>;
}

type ReverseField<M extends AnyModel, N> =
  ReverseRelations<M> extends infer R ? (N extends keyof R ? FieldIn<R[N]> : never) : never;

/** The manager `related(N)` returns. */
export type RelatedManagerOf<M extends AnyModel, N extends string> =
  RelatedModel<M, N> extends infer T extends AnyModel
    ? RelatedManager<T, ReverseField<M, N>>
    : never;

/** What prefetch() accepts: any relation of `M`, either direction. */
export type PrefetchName<M extends AnyModel> =
  | ForwardSingleName<M>
  | ForwardManyName<M>
  | ReverseName<M>;
export type WithRelations<M extends AnyModel, R, N extends string> = R & {
  [K in N]: LoadedRelation<M, K>;
};

/** A foreign key, or a foreign key of a foreign key: `'question'`, `'question.author'`. */
export type SelectPath<M extends AnyModel> =
  | ForwardSingleName<M>
  | {
      [K in ForwardSingleName<M>]: `${K}.${ForwardSingleName<RelatedModel<M, K>>}`;
    }[ForwardSingleName<M>];

/** Adds `extra` to a loaded relation, keeping its `null`. */
type Extend<L, Extra> = L extends null ? null : L & Extra;

type Selected<M extends AnyModel, P> = P extends `${infer K}.${infer Rest}`
  ? {
      [X in K]: Extend<
        LoadedRelation<M, K>,
        { [Y in Rest]: LoadedRelation<RelatedModel<M, K>, Rest> }
      >;
    }
  : P extends string
    ? { [X in P]: LoadedRelation<M, P> }
    : unknown;

export type SelectedAll<M extends AnyModel, N> = N extends readonly [infer Head, ...infer Tail]
  ? Selected<M, Head> & SelectedAll<M, Tail>
  : unknown;
