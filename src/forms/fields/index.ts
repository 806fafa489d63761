// `ff`: the form field builders, one namespace so `ff.` completes every kind.
import { choiceFields } from './choice.js';
import { fileFields } from './file.js';
import { numberFields } from './number.js';
import { temporalFields } from './temporal.js';
import { textFields } from './text.js';

export type { BooleanOptions, ChoiceOptions, MultipleChoiceOptions } from './choice.js';
export type { FileOptions } from './file.js';
export type { DecimalOptions, FloatOptions, IntegerOptions } from './number.js';
export type { DateOptions, DateTimeOptions, TimeOptions } from './temporal.js';
export type {
  EmailOptions,
  HiddenOptions,
  PasswordOptions,
  SlugOptions,
  TextOptions,
  UrlOptions,
  UuidOptions,
} from './text.js';

/** Form field builders: `ff.text({ max: 100 })`, `ff.integer({ required: false })`… */
export const ff = {
  ...textFields,
  ...numberFields,
  ...choiceFields,
  ...temporalFields,
  ...fileFields,
};
