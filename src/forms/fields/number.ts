// Numbers: whole numbers and floats clean to `number`, decimals to an exact string ("12.50").
import { definitionError, InvalidValue } from '../errors.js';
import { type FieldOptions, FormField, type Maybe, type SpecOptions } from '../field.js';
import { decimalDigits, maxValue, minValue, type Validator } from '../from-db.js';
import { checkCount, checkFinite, schema } from './common.js';

type NumberWidget = 'number' | 'text' | 'hidden';

interface RangeOptions {
  readonly min?: number;
  readonly max?: number;
}

export interface IntegerOptions extends FieldOptions<number, NumberWidget>, RangeOptions {}
export interface FloatOptions extends FieldOptions<number, NumberWidget>, RangeOptions {}
interface DecimalLimits {
  /** Digits in total, before and after the point; give it with `decimalPlaces`. */
  readonly maxDigits?: number;
  readonly decimalPlaces?: number;
}
export interface DecimalOptions
  extends FieldOptions<string, NumberWidget>,
    RangeOptions,
    DecimalLimits {}

const integerPattern = /^[+-]?\d+$/;
const floatPattern = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const decimalPattern = /^([+-]?)(\d*)(?:\.(\d*))?$/;

function parseInteger(text: string): number {
  if (!integerPattern.test(text)) throw new InvalidValue(['Enter a whole number.']);
  const value = Number(text);
  if (value > Number.MAX_SAFE_INTEGER) {
    throw new InvalidValue([
      `Ensure this value is less than or equal to ${Number.MAX_SAFE_INTEGER}.`,
    ]);
  }
  if (value < Number.MIN_SAFE_INTEGER) {
    throw new InvalidValue([
      `Ensure this value is greater than or equal to ${Number.MIN_SAFE_INTEGER}.`,
    ]);
  }
  return value === 0 ? 0 : value;
}

function parseFloatText(text: string): number {
  const value = floatPattern.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new InvalidValue(['Enter a number.']);
  return value === 0 ? 0 : value;
}

/** `"+007.50"` → `"7.50"`, `".5"` → `"0.5"`, `"-0"` → `"0"`: one spelling per number, digits kept. */
export function parseDecimal(text: string): string {
  const match = decimalPattern.exec(text);
  const [, sign = '', whole = '', fraction] = match ?? [];
  if (match === null || (whole === '' && (fraction === undefined || fraction === ''))) {
    throw new InvalidValue(['Enter a number.']);
  }
  const digits = whole.replace(/^0+(?=\d)/, '') || '0';
  const body = fraction === undefined || fraction === '' ? digits : `${digits}.${fraction}`;
  const zero = /^[0.]*$/.test(body);
  return sign === '-' && !zero ? `-${body}` : body;
}

function rangeValidators(min: number | undefined, max: number | undefined): Validator<number>[] {
  const list: Validator<number>[] = [];
  if (min !== undefined) list.push(minValue(min));
  if (max !== undefined) list.push(maxValue(max));
  return list;
}

function checkRange(kind: string, options: RangeOptions): RangeOptions {
  const min = checkFinite(kind, 'min', options.min);
  const max = checkFinite(kind, 'max', options.max);
  if (min !== undefined && max !== undefined && min > max) {
    throw definitionError(`ff.${kind}(): min (${min}) is greater than max (${max})`);
  }
  return { min, max };
}

export function integerField<T>(options: SpecOptions & RangeOptions): FormField<T> {
  const { min, max } = checkRange('integer', options);
  return new FormField<T>({
    kind: 'integer',
    input: 'single',
    widgets: ['number', 'text', 'hidden'],
    options,
    empty: null,
    strip: true,
    parse: parseInteger,
    validators: rangeValidators(min, max),
    inputAttrs: { min, max },
    schema: schema({ type: 'integer', minimum: min, maximum: max }),
  });
}

export function floatField<T>(options: SpecOptions & RangeOptions): FormField<T> {
  const { min, max } = checkRange('float', options);
  return new FormField<T>({
    kind: 'float',
    input: 'single',
    widgets: ['number', 'text', 'hidden'],
    options,
    empty: null,
    strip: true,
    parse: parseFloatText,
    validators: rangeValidators(min, max),
    inputAttrs: { min, max, step: 'any' },
    schema: schema({ type: 'number', minimum: min, maximum: max }),
  });
}

export function decimalField<T>(options: SpecOptions & RangeOptions & DecimalLimits): FormField<T> {
  const { min, max } = checkRange('decimal', options);
  const maxDigits = checkCount('decimal', 'maxDigits', options.maxDigits, 1);
  const places = checkCount('decimal', 'decimalPlaces', options.decimalPlaces, 0);
  if ((maxDigits === undefined) !== (places === undefined) || (places ?? 0) > (maxDigits ?? 0)) {
    throw definitionError(
      'ff.decimal(): give both maxDigits and decimalPlaces, with decimalPlaces ≤ maxDigits',
    );
  }
  const validators: Validator<string>[] = rangeValidators(min, max).map(
    (check) => (value: string) => check(Number(value)),
  );
  if (maxDigits !== undefined && places !== undefined)
    validators.unshift(decimalDigits(maxDigits, places));
  return new FormField<T>({
    kind: 'decimal',
    input: 'single',
    widgets: ['number', 'text', 'hidden'],
    options,
    empty: null,
    strip: true,
    parse: parseDecimal,
    validators,
    inputAttrs: {
      min,
      max,
      step: places === undefined ? 'any' : places === 0 ? 1 : `0.${'0'.repeat(places - 1)}1`,
    },
    schema: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' },
  });
}

export const numberFields = {
  /** A whole number, within JavaScript's safe range; `min`/`max` add limits. */
  integer<const O extends IntegerOptions>(options?: O): FormField<Maybe<O, number>> {
    return integerField(options ?? {});
  },
  /** A finite floating-point number. */
  float<const O extends FloatOptions>(options?: O): FormField<Maybe<O, number>> {
    return floatField(options ?? {});
  },
  /** An exact decimal as a string: `ff.decimal({ maxDigits: 6, decimalPlaces: 2 })` takes up to `9999.99`. */
  decimal<const O extends DecimalOptions>(options?: O): FormField<Maybe<O, string>> {
    return decimalField(options ?? {});
  },
};
