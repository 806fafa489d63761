// Everything the forms take from the model layer comes through this one file: the validators
// model fields use (so a form and a model reject the same values with the same words) and the
// metadata model forms read.
import { validators } from '../db/index.js';

export const { decimalDigits, maxLength, maxValue, minValue } = validators;
export const emailValidator = validators.email;
export const slugValidator = validators.slug;
export const urlValidator = validators.url;

export type { RelationKind } from '../db/fields/types.js';
export type {
  AnyModel,
  CreateInput,
  Field,
  FieldErrors,
  Instance,
  ModelMeta,
  PkValue,
  RelationField,
  Validator,
} from '../db/index.js';
export { atomic } from '../db/index.js';
export type { FieldsOf, InfoOf, TargetOf } from '../db/model-types.js';
// Not public in 'carafe/db' yet; each becomes part of the import above once it is.
export { resolveRelations } from '../db/registry.js';
