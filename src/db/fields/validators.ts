// Validators shared by model fields and (later) form fields. Each returns a message when the
// value is not acceptable, so callers can collect every problem instead of stopping at the first.
import type { Validator } from './types.js';

export function maxLength(limit: number): Validator<string> {
  return (value) =>
    value.length > limit
      ? `Ensure this value has at most ${limit} characters (it has ${value.length}).`
      : undefined;
}

export function minValue(limit: number): Validator<number> {
  return (value) =>
    value < limit ? `Ensure this value is greater than or equal to ${limit}.` : undefined;
}

export function maxValue(limit: number): Validator<number> {
  return (value) =>
    value > limit ? `Ensure this value is less than or equal to ${limit}.` : undefined;
}

// Deliberately simple: one @, no spaces, a dot in the domain. Real verification means sending mail.
const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export const email: Validator<string> = (value) =>
  emailPattern.test(value) ? undefined : 'Enter a valid email address.';

export const url: Validator<string> = (value) => {
  if (!/^https?:\/\//i.test(value)) return 'Enter a valid URL.';
  try {
    new URL(value);
    return undefined;
  } catch {
    return 'Enter a valid URL.';
  }
};

export const slug: Validator<string> = (value) =>
  /^[-a-zA-Z0-9_]+$/.test(value)
    ? undefined
    : 'Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.';

/** Checks the digit counts of a decimal given as a string such as `"-12.50"`. */
export function decimalDigits(maxDigits: number, decimalPlaces: number): Validator<string> {
  return (value) => {
    const [whole = '', fraction = ''] = value.replace(/^-/, '').split('.');
    const wholeDigits =
      whole.replace(/^0+(?=\d)/, '') === '0' ? 0 : whole.replace(/^0+/, '').length;
    if (fraction.length > decimalPlaces)
      return `Ensure that there are no more than ${decimalPlaces} decimal places.`;
    if (wholeDigits > maxDigits - decimalPlaces) {
      return `Ensure that there are no more than ${maxDigits - decimalPlaces} digits before the decimal point.`;
    }
    return undefined;
  };
}
