// model('polls.Question', fields, options): checks the definition, binds the fields, builds the
// instance class and registers the model. The returned class is the model: `new Question({...})`,
// `Question.objects`, `Question.meta`.
import { CarafeError } from '../index.js';
import type { MultipleObjectsReturned, ObjectDoesNotExist } from './errors.js';
import { f } from './fields/builders.js';
import type { Field } from './fields/field.js';
import { snakeCase } from './fields/field.js';
import type { RelationField } from './fields/relation.js';
import type { FieldMap, RelationTypes } from './fields/types.js';
import { makeModelClass, reservedNames } from './instance.js';
import { type ConstraintSpec, type IndexSpec, ModelMeta } from './meta.js';
import type {
  AnyModel,
  CreateInput,
  FieldsOf,
  InfoOf,
  Instance,
  modelTypes,
  Row,
} from './model-types.js';
import type { QuerySet } from './query/queryset.js';
import type { OrderKey, ScalarFilter } from './query/types.js';
import { type ModelRegistry, projectModels, setThroughFactory } from './registry.js';

type OwnName<M extends AnyModel> = (keyof FieldsOf<M> & string) | (keyof Row<M> & string);

/** A check on own fields: SQL text, or a filter object such as `{ votes: { gte: 0 } }`. */
export type CheckCondition<M extends AnyModel> =
  | string
  | {
      readonly [K in keyof FieldsOf<M>]?: InfoOf<FieldsOf<M>, K> extends RelationTypes
        ? never
        : ScalarFilter<InfoOf<FieldsOf<M>, K>>;
    };

export type ModelConstraint<M extends AnyModel> =
  | { readonly name: string; readonly check: CheckCondition<M> }
  | { readonly name: string; readonly unique: readonly OwnName<M>[] };

export interface ModelOptions<M extends AnyModel> {
  /** The table name; `app_model_name` by default (`polls_question`). */
  readonly table?: string;
  /** Default ordering of queries: `['-pubDate']`. */
  readonly ordering?: readonly OrderKey<M>[];
  readonly indexes?: readonly {
    readonly fields: readonly (OwnName<M> | `-${OwnName<M>}`)[];
    readonly name?: string;
    readonly unique?: boolean;
  }[];
  readonly uniqueTogether?: readonly (readonly OwnName<M>[])[];
  readonly constraints?: readonly ModelConstraint<M>[];
  /** How an instance is shown (`String(instance)`, the admin): `(q) => q.text`. */
  readonly display?: (row: Row<M>) => string;
  readonly verboseName?: string;
  readonly verboseNamePlural?: string;
}

/** The type of a model: a class whose instances are rows, with `objects`, `meta` and the error classes. */
export interface ModelClass<L extends string, F extends FieldMap> extends AnyModel {
  readonly [modelTypes]: { readonly label: L; readonly fields: F };
  /** A new, unsaved instance; `save()` inserts it. */
  new (data: CreateInput<ModelClass<L, F>>): Instance<ModelClass<L, F>>;
  readonly label: L;
  readonly meta: ModelMeta;
  /** All rows, as a lazy QuerySet to filter, order and slice. */
  readonly objects: QuerySet<ModelClass<L, F>>;
  /** Thrown by `get()` when no row matches. */
  readonly DoesNotExist: typeof ObjectDoesNotExist;
  /** Thrown by `get()` when several rows match. */
  readonly MultipleObjectsReturned: typeof MultipleObjectsReturned;
}

const labelPattern = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;
const namePattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function definitionError(label: string, problem: string): CarafeError {
  return new CarafeError('CARAFE_DB_MODEL_DEFINITION', `model('${label}'): ${problem}.`);
}

function bindFields(meta: ModelMeta, fields: FieldMap): Field[] {
  const entries = Object.entries(fields) as [string, Field][];
  const bound: Field[] = [];
  const hasPk = entries.some(([, field]) => field.primaryKey);
  if (entries.filter(([, field]) => field.primaryKey).length > 1) {
    throw definitionError(meta.label, 'only one field may have primaryKey: true');
  }
  if (!hasPk) {
    if ('id' in fields) {
      throw definitionError(
        meta.label,
        '"id" is the automatic primary key; give your "id" field primaryKey: true',
      );
    }
    bound.push(f.bigAuto().bind(meta, 'id'));
  }
  for (const [name, field] of entries) {
    if (!namePattern.test(name) || name.includes('__')) {
      throw definitionError(
        meta.label,
        `"${name}" is not a valid field name (letters, digits, _ and $; no "__")`,
      );
    }
    if (reservedNames.has(name)) {
      throw definitionError(
        meta.label,
        `"${name}" is reserved for instance methods; rename the field`,
      );
    }
    if (field.kind === 'manyToMany' && field.primaryKey) {
      throw definitionError(
        meta.label,
        `"${name}": a many-to-many field cannot be the primary key`,
      );
    }
    const copy = field.bind(meta, name);
    if (copy.attname !== name && copy.attname in fields) {
      throw definitionError(
        meta.label,
        `"${copy.attname}" clashes with the column of foreign key "${name}"`,
      );
    }
    bound.push(copy);
  }
  return bound;
}

function checkNames(meta: ModelMeta, names: readonly string[], where: string): void {
  for (const raw of names) {
    const name = raw.startsWith('-') ? raw.slice(1) : raw;
    if (name.includes('.')) continue; // paths through relations are checked when first used
    meta.concreteField(name, where);
  }
}

function toConstraintSpecs(constraints: readonly ModelConstraint<AnyModel>[]): ConstraintSpec[] {
  return constraints.map((constraint) =>
    'check' in constraint
      ? { kind: 'check', name: constraint.name, check: constraint.check as ConstraintSpec & string }
      : { kind: 'unique', name: constraint.name, fields: constraint.unique },
  );
}

interface DefineContext {
  readonly registry: ModelRegistry;
  readonly autoCreated: boolean;
}

function buildMeta(
  label: string,
  fields: FieldMap,
  options: ModelOptions<AnyModel>,
  { registry, autoCreated }: DefineContext,
): ModelMeta {
  if (!labelPattern.test(label)) {
    throw definitionError(label, "the label must look like 'app.ModelName'");
  }
  const modelName = label.slice(label.indexOf('.') + 1);
  const appLabel = label.slice(0, label.indexOf('.'));
  const verboseName = options.verboseName ?? snakeCase(modelName).replaceAll('_', ' ');
  const meta = new ModelMeta({
    label,
    table: options.table ?? `${appLabel.toLowerCase()}_${snakeCase(modelName)}`,
    fields: [],
    ordering: options.ordering ?? [],
    indexes: (options.indexes ?? []) as IndexSpec[],
    uniqueTogether: options.uniqueTogether ?? [],
    constraints: toConstraintSpecs(options.constraints ?? []),
    display: options.display as ((instance: never) => string) | undefined,
    verboseName,
    verboseNamePlural: options.verboseNamePlural ?? `${verboseName}s`,
    autoCreated,
    registry,
  });
  meta.setFields(bindFields(meta, fields));
  checkNames(meta, meta.ordering, 'ordering');
  for (const index of meta.indexes) checkNames(meta, index.fields, 'indexes');
  for (const group of meta.uniqueTogether) checkNames(meta, group, 'uniqueTogether');
  for (const constraint of meta.constraints) {
    if (constraint.kind === 'unique')
      checkNames(meta, constraint.fields, `constraint "${constraint.name}"`);
  }
  return meta;
}

/** Defines a model in `context.registry`; `model()` uses the project's, migrations their own. */
export function defineModel(
  label: string,
  fields: FieldMap,
  options: ModelOptions<AnyModel>,
  context: DefineContext,
): AnyModel {
  const meta = buildMeta(label, fields, options, context);
  meta.model = makeModelClass(meta);
  context.registry.register(meta);
  return meta.model;
}

/**
 * Defines a model. Every field becomes a typed property of its rows; an `id` primary key is
 * added unless a field has `primaryKey: true`.
 *
 * ```ts
 * export const Question = model('polls.Question', {
 *   text: f.string({ max: 200 }),
 *   pubDate: f.datetime({ default: () => new Date() }),
 * }, { ordering: ['-pubDate'], display: (q) => q.text });
 * ```
 */
export function model<const L extends `${string}.${string}`, F extends FieldMap>(
  label: L,
  fields: F,
  options: ModelOptions<ModelClass<L, F>> = {},
): ModelClass<L, F> {
  return defineModel(label, fields, options as unknown as ModelOptions<AnyModel>, {
    registry: projectModels,
    autoCreated: false,
  }) as ModelClass<
    L,
    F
  >;
}

function lowerFirst(name: string): string {
  return `${name[0]!.toLowerCase()}${name.slice(1)}`;
}

// The automatic join model of a many-to-many field: a foreign key to each side, unique together.
setThroughFactory((field: RelationField): ModelMeta => {
  const source = field.model;
  const target = field.target;
  const self = source === target;
  const from = self ? `from${source.modelName}` : lowerFirst(source.modelName);
  const to = self ? `to${target.modelName}` : lowerFirst(target.modelName);
  const through = defineModel(
    `${source.appLabel}.${source.modelName}_${field.name}`,
    {
      [from]: f.foreignKey(() => source.model, { onDelete: 'cascade', relatedName: '+' }),
      [to]: f.foreignKey(() => target.model, { onDelete: 'cascade', relatedName: '+' }),
    },
    { table: `${source.table}_${snakeCase(field.name)}`, uniqueTogether: [[from, to]] },
    { registry: source.registry, autoCreated: true },
  );
  return through.meta;
});
