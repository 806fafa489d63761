// A model's runtime metadata (Django's `_meta`): its fields in order, table, options and the
// relations other models declare towards it. Plain objects that other batteries read.
import { type MultipleObjectsReturned, type ObjectDoesNotExist, unknownField } from './errors.js';
import type { Field } from './fields/field.js';
import type { RelationField } from './fields/relation.js';
import type { RelationKind } from './fields/types.js';
import type { AnyModel } from './model-types.js';
import type { ModelRegistry } from './registry.js';

export interface IndexSpec {
  /** Field names; a leading `-` makes that column descending. */
  readonly fields: readonly string[];
  readonly name?: string;
  readonly unique?: boolean;
}

export interface CheckConstraintSpec {
  readonly kind: 'check';
  readonly name: string;
  /** Either SQL text (trusted, written by the developer) or a filter object on own fields. */
  readonly check: string | Readonly<Record<string, unknown>>;
}

export interface UniqueConstraintSpec {
  readonly kind: 'unique';
  readonly name: string;
  readonly fields: readonly string[];
}

export type ConstraintSpec = CheckConstraintSpec | UniqueConstraintSpec;

/** A relation declared on another model (or this one) that points at this model. */
export interface ReverseRelation {
  /** The accessor name on this model: the field's `relatedName`. */
  readonly name: string;
  /** The foreign key, one-to-one or many-to-many field on the related model. */
  readonly field: RelationField;
  /** The model that declares `field`. */
  readonly related: ModelMeta;
  readonly relation: RelationKind;
}

export interface MetaInit {
  readonly label: string;
  readonly table: string;
  readonly fields: readonly Field[];
  readonly ordering: readonly string[];
  readonly indexes: readonly IndexSpec[];
  readonly uniqueTogether: readonly (readonly string[])[];
  readonly constraints: readonly ConstraintSpec[];
  readonly display: ((instance: never) => string) | undefined;
  readonly verboseName: string;
  readonly verboseNamePlural: string;
  readonly autoCreated: boolean;
  readonly registry: ModelRegistry;
}

export class ModelMeta {
  /** `'polls.Question'`. */
  readonly label: string;
  /** `'polls'`. */
  readonly appLabel: string;
  /** `'Question'`. */
  readonly modelName: string;
  readonly table: string;
  readonly ordering: readonly string[];
  readonly indexes: readonly IndexSpec[];
  readonly uniqueTogether: readonly (readonly string[])[];
  readonly constraints: readonly ConstraintSpec[];
  readonly display: ((instance: never) => string) | undefined;
  readonly verboseName: string;
  readonly verboseNamePlural: string;
  /** True for the join tables the ORM makes for many-to-many fields. */
  readonly autoCreated: boolean;
  /** The registry the model belongs to: the project's, or a migration's historical one. */
  readonly registry: ModelRegistry;
  /** Every field, primary key first, in definition order. */
  fields: readonly Field[] = [];
  /** The fields stored in this model's table (not many-to-many). */
  concreteFields: readonly Field[] = [];
  manyToMany: readonly RelationField[] = [];
  /** Foreign keys and one-to-ones declared on this model. */
  forwardRelations: readonly RelationField[] = [];
  pk!: Field;
  /** Field by name and by attname (`question` and `questionId` both find the foreign key). */
  readonly fieldByName = new Map<string, Field>();
  /** The stored field called `name` (or its attname); `CARAFE_DB_UNKNOWN_FIELD`, naming `where`, if none. */
  concreteField(name: string, where: string): Field {
    const field = this.fieldByName.get(name);
    if (field === undefined || !field.concrete) {
      throw unknownField(
        this.label,
        name,
        this.concreteFields.map((candidate) => candidate.name),
        where,
      );
    }
    return field;
  }

  /** Relations other models declare towards this one, by accessor name; filled on resolve. */
  readonly reverse = new Map<string, ReverseRelation>();
  /** Every relation field pointing at this model, hidden ones (`relatedName: '+'`) included. */
  readonly incoming: RelationField[] = [];
  /** The model class; set right after construction. */
  model!: AnyModel;
  /** The model's own error classes (`Question.DoesNotExist`…). */
  DoesNotExist!: typeof ObjectDoesNotExist;
  MultipleObjectsReturned!: typeof MultipleObjectsReturned;

  constructor(init: MetaInit) {
    const dot = init.label.indexOf('.');
    this.label = init.label;
    this.appLabel = init.label.slice(0, dot);
    this.modelName = init.label.slice(dot + 1);
    this.table = init.table;
    this.ordering = init.ordering;
    this.indexes = init.indexes;
    this.uniqueTogether = init.uniqueTogether;
    this.constraints = init.constraints;
    this.display = init.display;
    this.verboseName = init.verboseName;
    this.verboseNamePlural = init.verboseNamePlural;
    this.autoCreated = init.autoCreated;
    this.registry = init.registry;
  }

  /** Attaches the fields; called once by `model()`. */
  setFields(fields: readonly Field[]): void {
    this.fields = fields;
    this.concreteFields = fields.filter((field) => field.concrete);
    this.manyToMany = fields.filter(
      (field): field is RelationField => field.isRelation && !field.concrete,
    );
    this.forwardRelations = fields.filter(
      (field): field is RelationField => field.isRelation && field.concrete,
    );
    for (const field of fields) {
      this.fieldByName.set(field.name, field);
      if (field.attname !== field.name) this.fieldByName.set(field.attname, field);
      if (field.primaryKey) this.pk = field;
    }
  }

  /** Names usable in filters and paths, for error messages. */
  get fieldNames(): string[] {
    return [...this.fields.map((field) => field.name), ...this.reverse.keys()];
  }
}
