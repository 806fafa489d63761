// Model instances. Own enumerable properties are exactly the stored values (so JSON.stringify
// and spreading give the row); loaded relations live behind a symbol and are reached through
// accessors that throw when the relation was not loaded, instead of querying behind your back.
import { CarafeError } from '../index.js';
import { MultipleObjectsReturned, ObjectDoesNotExist } from './errors.js';
import type { Field } from './fields/field.js';
import type { RelationField } from './fields/relation.js';
import { checkWritable, instanceMarker } from './fields/values.js';
import type { ModelMeta } from './meta.js';
import type { AnyModel } from './model-types.js';
import {
  deleteInstance,
  instanceErrors,
  refreshInstance,
  relatedManager,
  saveInstance,
  validateInstance,
} from './persistence.js';
import { QuerySet } from './query/queryset.js';
import { resolveRelations } from './registry.js';

const metaKey: unique symbol = Symbol('carafe.meta');
/** Passed to a model's constructor to make an empty instance for a row being read. */
const hydrating: unique symbol = Symbol('carafe.hydrating');

export const reservedNames: ReadonlySet<string> = new Set([
  'save',
  'delete',
  'refresh',
  'validate',
  'errors',
  'isNew',
  'related',
  'toJSON',
  'toString',
  'valueOf',
  'constructor',
  'hasOwnProperty',
]);

type Loaded = Record<string, unknown>;

interface PrivateAccess {
  savedOn(instance: ModelInstance): string | undefined;
  markSaved(instance: ModelInstance, using: string | undefined): void;
  loaded(instance: ModelInstance): Loaded | undefined;
  setLoaded(instance: ModelInstance, name: string, value: unknown): void;
}

let access: PrivateAccess;

export class ModelInstance {
  // Private state stays out of JSON.stringify, spreads and Object.keys: those see only the row.
  /** The database alias the row was loaded from or saved to; `undefined` while new. */
  #savedOn: string | undefined = undefined;
  /** Relations loaded by select() / prefetch() (or assigned), by name. */
  #loaded: Loaded | undefined = undefined;
  declare readonly [metaKey]: ModelMeta;
  declare readonly [instanceMarker]: string;

  static {
    // Module functions reach the private state; statics would show up on every model class.
    access = {
      savedOn: (instance) => instance.#savedOn,
      markSaved: (instance, using) => {
        instance.#savedOn = using;
      },
      loaded: (instance) => instance.#loaded,
      setLoaded: (instance, name, value) => {
        if (instance.#loaded === undefined) instance.#loaded = { [name]: value };
        else instance.#loaded[name] = value;
      },
    };
  }

  get isNew(): boolean {
    return this.#savedOn === undefined;
  }

  save(options?: {
    updateFields?: readonly string[];
    forceInsert?: boolean;
    using?: string;
  }): Promise<void> {
    return saveInstance(this, options ?? {});
  }

  delete(options?: { using?: string }) {
    return deleteInstance(this, options ?? {});
  }

  refresh(options?: { fields?: readonly string[] }): Promise<void> {
    return refreshInstance(this, options ?? {});
  }

  validate(options?: { exclude?: readonly string[]; unique?: boolean }): Promise<void> {
    return validateInstance(this, options ?? {});
  }

  errors(options?: { exclude?: readonly string[]; unique?: boolean }) {
    return instanceErrors(this, options ?? {});
  }

  /** A manager for a to-many relation: `await q.related('tags').add(tag)`. */
  related(name: string) {
    return relatedManager(this, name);
  }

  toJSON(): object {
    const relations = this.#loaded;
    return relations === undefined ? this : { ...this, ...relations };
  }

  toString(): string {
    const meta = this[metaKey];
    if (meta.display !== undefined) return meta.display(this as never);
    return `${meta.modelName} object (${String(pkOf(this) ?? 'unsaved')})`;
  }
}

export function metaOf(instance: ModelInstance): ModelMeta {
  return instance[metaKey];
}

export function isInstance(value: unknown): value is ModelInstance {
  return value instanceof ModelInstance;
}

export function pkOf(instance: ModelInstance): unknown {
  return Reflect.get(instance, instance[metaKey].pk.attname);
}

/** The database alias an instance was loaded from or saved to; `undefined` while new. */
export function savedOnOf(instance: ModelInstance): string | undefined {
  return access.savedOn(instance);
}

export function markSaved(instance: ModelInstance, using: string | undefined): void {
  access.markSaved(instance, using);
}

/** Stores a loaded relation value on an instance. */
export function setLoaded(instance: ModelInstance, name: string, value: unknown): void {
  access.setLoaded(instance, name, value);
}

/** Drops a loaded relation (after its key changed). */
export function forgetLoaded(instance: ModelInstance, name: string): void {
  const relations = access.loaded(instance);
  if (relations !== undefined) delete relations[name];
}

export function notLoaded(meta: ModelMeta, name: string, how: 'select' | 'prefetch'): CarafeError {
  return new CarafeError(
    'CARAFE_DB_RELATION_NOT_LOADED',
    `${meta.label}.${name} was not loaded. Add .${how}('${name}') to the query that fetched this ` +
      `${meta.modelName}; Carafe never runs a hidden query when a relation is touched.`,
  );
}

function readLoaded(instance: ModelInstance, name: string, how: 'select' | 'prefetch'): unknown {
  const relations = access.loaded(instance);
  if (relations !== undefined && name in relations) return relations[name];
  throw notLoaded(instance[metaKey], name, how);
}

/** `choice.question`: the selected row; assigning an instance also sets `questionId`. */
function defineForwardAccessor(prototype: object, field: RelationField): void {
  Object.defineProperty(prototype, field.name, {
    configurable: true,
    get(this: ModelInstance) {
      return readLoaded(this, field.name, 'select');
    },
    set(this: ModelInstance, value: unknown) {
      if (
        value !== null &&
        !(value instanceof ModelInstance && value[instanceMarker] === field.target.label)
      ) {
        throw new CarafeError(
          'CARAFE_DB_BAD_VALUE',
          `${field.model.label}.${field.name} takes a ${field.target.label} instance or null; to set the key, assign ${field.attname}.`,
        );
      }
      setLoaded(this, field.name, value);
      Reflect.set(this, field.attname, value === null ? null : pkOf(value));
    },
  });
}

export function prototypeOf(meta: ModelMeta): object {
  return (meta.model as unknown as { prototype: object }).prototype;
}

/** Reverse and many-to-many accessors read what prefetch() attached. */
export function defineRelationAccessor(prototype: object, name: string): void {
  Object.defineProperty(prototype, name, {
    configurable: true,
    get(this: ModelInstance) {
      return readLoaded(this, name, 'prefetch');
    },
  });
}

function fieldValue(
  meta: ModelMeta,
  field: Field,
  data: Record<string, unknown>,
  instance: ModelInstance,
): unknown {
  if (field.name in data) {
    const value = data[field.name];
    if (field.isRelation && value instanceof ModelInstance) setLoaded(instance, field.name, value);
    return value === undefined ? missing(meta, field) : checkWritable(field, value);
  }
  if (field.attname in data && data[field.attname] !== undefined)
    return checkWritable(field, data[field.attname]);
  return missing(meta, field);
}

function missing(meta: ModelMeta, field: Field): unknown {
  const fallback = field.getDefault();
  if (fallback !== undefined)
    return field.isRelation || field.hasDefault ? checkWritable(field, fallback) : fallback;
  // Left undefined: the database fills it in (auto-increment or a database default).
  if (field.generated || field.hasDbDefault) return undefined;
  throw new CarafeError(
    'CARAFE_DB_BAD_VALUE',
    `${meta.label}.${field.name} is required: give it a value, or declare a default or nullable: true.`,
  );
}

/** Fills a new instance from `create()`-style data, applying defaults and checking types. */
export function initInstance(
  instance: ModelInstance,
  meta: ModelMeta,
  data: Record<string, unknown>,
): void {
  resolveRelations();
  for (const key of Object.keys(data)) {
    meta.concreteField(key, 'the data to create');
  }
  for (const field of meta.concreteFields) {
    Reflect.set(instance, field.attname, fieldValue(meta, field, data, instance));
  }
}

/** Builds the class `model()` returns. */
export function makeModelClass(meta: ModelMeta): AnyModel {
  class DoesNotExist extends ObjectDoesNotExist {}
  class MultipleReturned extends MultipleObjectsReturned {}
  const modelClass = class extends ModelInstance {
    static readonly meta = meta;
    static readonly label = meta.label;
    static readonly DoesNotExist = DoesNotExist;
    static readonly MultipleObjectsReturned = MultipleReturned;
    static readonly objects: QuerySet<AnyModel> = new QuerySet(meta);

    constructor(data: Record<string, unknown> | typeof hydrating) {
      super();
      if (data === hydrating) return;
      if (typeof data !== 'object' || data === null) {
        throw new CarafeError(
          'CARAFE_DB_BAD_VALUE',
          `new ${meta.modelName}() takes an object of field values.`,
        );
      }
      initInstance(this, meta, data);
    }
  };
  Object.defineProperty(modelClass, 'name', { value: meta.modelName });
  meta.DoesNotExist = DoesNotExist;
  meta.MultipleObjectsReturned = MultipleReturned;
  Object.defineProperty(modelClass.prototype, metaKey, { value: meta });
  Object.defineProperty(modelClass.prototype, instanceMarker, { value: meta.label });
  for (const field of meta.forwardRelations) defineForwardAccessor(modelClass.prototype, field);
  for (const field of meta.manyToMany) defineRelationAccessor(modelClass.prototype, field.name);
  return modelClass as unknown as AnyModel;
}

/** An empty instance of `meta`'s model for a row read from `using`, without defaults or checks. */
export function blankInstance(meta: ModelMeta, using: string): ModelInstance {
  const instance = new (meta.model as unknown as new (marker: typeof hydrating) => ModelInstance)(
    hydrating,
  );
  access.markSaved(instance, using);
  return instance;
}
