// Foreign keys, one-to-ones and many-to-manys. The related model is given as a thunk so models
// can be defined in any order; it is resolved the first time the relation is used.
import { CarafeError } from '../../index.js';
import type { ModelMeta } from '../meta.js';
import type { AnyModel } from '../model-types.js';
import { Field, type FieldSpec, snakeCase } from './field.js';
import type { ModelRef, RelationKind, RelationTypes } from './types.js';

/** What happens to rows pointing at a row that is deleted (Django's `on_delete`). */
export type OnDelete = 'cascade' | 'protect' | 'restrict' | 'setNull' | 'setDefault' | 'doNothing';

export const onDeleteChoices: readonly OnDelete[] = [
  'cascade',
  'protect',
  'restrict',
  'setNull',
  'setDefault',
  'doNothing',
];

export interface RelationSpec extends FieldSpec {
  readonly relation: RelationKind;
  readonly target: ModelRef;
  readonly onDelete: OnDelete;
  readonly relatedName: string | undefined;
  readonly through: string | undefined;
}

export class RelationField<I extends RelationTypes = RelationTypes> extends Field<I> {
  readonly relation: RelationKind;
  readonly onDelete: OnDelete;
  readonly targetRef: ModelRef;
  readonly throughRef: string | undefined;
  readonly relationSpec: RelationSpec;
  #target: ModelMeta | undefined;
  /** For many-to-many: the join model (automatic or the explicit `through`), set on resolve. */
  through: ModelMeta | undefined;

  constructor(spec: RelationSpec) {
    super(spec);
    this.relationSpec = spec;
    this.relation = spec.relation;
    this.onDelete = spec.onDelete;
    this.targetRef = spec.target;
    this.throughRef = spec.through;
  }

  override get isRelation(): boolean {
    return true;
  }

  override get concrete(): boolean {
    return this.relation !== 'manyToMany';
  }

  /** The explicit related name, `<modelName>Set` by default, or `undefined` when disabled with `'+'`. */
  get relatedName(): string | undefined {
    const given = this.relationSpec.relatedName;
    if (given === '+') return undefined;
    if (given !== undefined) return given;
    const name = this.model.modelName;
    return `${name[0]!.toLowerCase()}${name.slice(1)}${this.relation === 'oneToOne' ? '' : 'Set'}`;
  }

  /** The related model; throws a clear error when it cannot be resolved yet. */
  get target(): ModelMeta {
    if (this.#target === undefined) {
      const which =
        typeof this.targetRef === 'string'
          ? `"${this.targetRef}", which is not defined yet`
          : 'a model that is not defined yet';
      throw new CarafeError(
        'CARAFE_DB_UNRESOLVED_RELATION',
        `${this.model.label}.${this.name} points at ${which}. Import the module that defines it before running queries.`,
      );
    }
    return this.#target;
  }

  get resolved(): boolean {
    return this.#target !== undefined;
  }

  /** Calls the thunk; returns false while the target's module has not finished loading. */
  resolve(): boolean {
    if (this.#target !== undefined) return true;
    if (this.targetRef === 'self') {
      this.#target = this.model;
      return true;
    }
    let target: AnyModel | undefined;
    if (typeof this.targetRef === 'string') {
      target = this.model.registry.meta(this.targetRef)?.model;
    } else {
      try {
        target = this.targetRef();
      } catch (error) {
        if (error instanceof ReferenceError) return false;
        throw error;
      }
    }
    if (target === undefined) return false;
    this.#target = target.meta;
    return true;
  }

  protected override clone(): Field {
    return new RelationField(this.relationSpec);
  }

  protected override attnameFor(name: string): string {
    return this.relation === 'manyToMany' ? name : `${name}Id`;
  }

  protected override columnFor(name: string): string {
    return `${snakeCase(name)}_id`;
  }
}
