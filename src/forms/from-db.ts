// Everything the forms take from the model layer comes through this one file, so when
// 'carafe/db' exports these publicly each line becomes an import from '../db/index.js'.
export {
  decimalDigits,
  email as emailValidator,
  maxLength,
  maxValue,
  minValue,
  slug as slugValidator,
  url as urlValidator,
} from '../db/fields/validators.js';
export type { Validator } from '../db/fields/types.js';
