// Which foreign keys of a many-to-many's join model point at each side.
import { CarafeError } from '../index.js';
import type { RelationField } from './fields/relation.js';
import type { ModelMeta } from './meta.js';

export interface ThroughKeys {
  readonly through: ModelMeta;
  /** The join model's foreign key to the model declaring the many-to-many field. */
  readonly source: RelationField;
  /** The join model's foreign key to the related model. */
  readonly target: RelationField;
}

const cache = new WeakMap<RelationField, ThroughKeys>();

export function throughKeys(field: RelationField): ThroughKeys {
  const known = cache.get(field);
  if (known !== undefined) return known;
  const through = field.through;
  if (through === undefined) throw new Error(`${field.model.label}.${field.name} is not resolved`);
  const keys = through.forwardRelations;
  const source = keys.find((key) => key.target === field.model);
  const target = keys.find((key) => key.target === field.target && key !== source);
  if (source === undefined || target === undefined) {
    throw new CarafeError(
      'CARAFE_DB_MODEL_DEFINITION',
      `${field.model.label}.${field.name}: the through model ${through.label} needs a foreign key to ` +
        `${field.model.label} and one to ${field.target.label}.`,
    );
  }
  const result = { through, source, target };
  cache.set(field, result);
  return result;
}
