// The types a model form derives from its model: which fields it may show and what each
// cleans to, computed from the model's field definitions.
import type { FormField } from './field.js';
import type { AnyModel, FieldsOf, InfoOf, Instance, RelationKind, TargetOf } from './from-db.js';
import type { FormFields } from './types.js';

type OrNull<V, Optional> = Optional extends true ? V | null : V;

/**
 * What a model field cleans to in a form: a related row for a foreign key, a list of them for a
 * many-to-many, and otherwise the field's value; `null` when the column or a default allows it.
 */
export type ModelFormValue<I, M extends AnyModel> = I extends { readonly relation: 'manyToMany' }
  ? Instance<TargetOf<I, M>>[]
  : I extends { readonly relation: RelationKind; readonly optional: infer O }
    ? OrNull<Instance<TargetOf<I, M>>, O>
    : I extends { readonly family: 'boolean' }
      ? boolean
      : I extends {
            readonly family: 'string';
            readonly value: infer V;
            readonly nullable: infer N;
            readonly optional: infer O;
          }
        ? string extends V
          ? OrNull<string, N>
          : OrNull<V, O>
        : I extends { readonly value: infer V; readonly optional: infer O }
          ? OrNull<V, O>
          : never;

/** The fields a model form can show: every field but the primary key. */
export type EditableName<M extends AnyModel> = {
  [K in keyof FieldsOf<M>]: InfoOf<FieldsOf<M>, K>['pk'] extends true ? never : K;
}[keyof FieldsOf<M>] &
  string;

/** The form fields generated for the model fields `K`. */
export type ModelFormFields<M extends AnyModel, K extends EditableName<M>> = {
  readonly [P in K]: FormField<ModelFormValue<InfoOf<FieldsOf<M>, P>, M>>;
};

/** `A` with the fields of `B` added or put in place of `A`'s of the same name. */
export type MergeFields<A extends FormFields, B extends FormFields> = {
  readonly [P in keyof A | keyof B]: P extends keyof B ? B[P] : P extends keyof A ? A[P] : never;
};
