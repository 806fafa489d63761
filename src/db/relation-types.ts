// Which relations a model has, by name, for typing filters, select() and prefetch().
// Forward relations come from the model's own fields. Reverse ones (a Choice's foreign key seen
// from Question as `choices`) cannot be inferred from Question's definition alone, so models are
// registered once per app by declaration merging:
//
//   declare module 'carafe/db' {
//     interface RegisteredModels { polls: typeof import('./models.js') }
//   }
import type {
  AnyModel,
  FieldsOf,
  InfoOf,
  Instance,
  LabelOf,
  PkValue,
  TargetOf,
} from './model-types.js';
import type { RelationTypes } from './fields/types.js';

/** App name → the module namespace that exports its models. Extend it by declaration merging. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by users through declaration merging
export interface RegisteredModels {}

type ModelsIn<Mod> = { [E in keyof Mod]: Mod[E] extends AnyModel ? Mod[E] : never }[keyof Mod];
type AllModels = { [A in keyof RegisteredModels]: ModelsIn<RegisteredModels[A]> }[keyof RegisteredModels];

type ModelName<L extends string> = L extends `${string}.${infer N}` ? N : L;

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
      }
    : never;
}[keyof FieldsOf<S>];

type AllEntries = AllModels extends infer S ? (S extends AnyModel ? EntriesOf<S> : never) : never;

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

/** Every relation of `M` by name, with the model it leads to. */
export type RelatedModel<M extends AnyModel, N extends string> = N extends keyof FieldsOf<M>
  ? TargetOf<InfoOf<FieldsOf<M>, N>, M>
  : N extends keyof ReverseRelations<M>
    ? ReverseRelations<M>[N]['source']
    : never;

/** Whether following relation `N` of `M` can yield many rows. */
export type IsToMany<M extends AnyModel, N extends string> = N extends ForwardManyName<M>
  ? true
  : N extends keyof ReverseRelations<M>
    ? ReverseRelations<M>[N]['relation'] extends 'oneToOne'
      ? false
      : true
    : false;

type ForwardNullable<M extends AnyModel, N> = N extends keyof FieldsOf<M>
  ? InfoOf<FieldsOf<M>, N>['nullable']
  : true;

/** What `select(N)` / `prefetch(N)` attach: an instance, an instance or null, or an array. */
export type LoadedRelation<M extends AnyModel, N extends string> =
  IsToMany<M, N> extends true
    ? Instance<RelatedModel<M, N>>[]
    : ForwardNullable<M, N> extends true
      ? Instance<RelatedModel<M, N>> | null
      : Instance<RelatedModel<M, N>>;

/** The primary key type of the model relation `N` leads to. */
export type RelatedPk<M extends AnyModel, N extends string> = PkValue<RelatedModel<M, N>>;
