// Number filters, formatted with Intl.NumberFormat in the configured locale.
import { describe, filterError, integerArgument } from './values.js';

/** A number from a number, a bigint or a numeric string; nothing for null, undefined and ''. */
function toNumber(filter: string, value: unknown): number | bigint | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  throw filterError(filter, `needs a number or a numeric string (got ${describe(value)}).`);
}

/**
 * `{{ total | number }}` gives `1,234.5`; `{{ price | number(2) }}` always two decimals:
 * `1,234.50`.
 */
export function numberFilter(locale: string): (value: unknown, decimals?: unknown) => string {
  const formatters = new Map<number | undefined, Intl.NumberFormat>();
  return function number(value: unknown, decimals?: unknown): string {
    const amount = toNumber('number', value);
    if (amount === undefined) return '';
    const places =
      decimals === undefined || decimals === null
        ? undefined
        : integerArgument('number', 'the number of decimals', decimals, 0, 20);
    let formatter = formatters.get(places);
    if (formatter === undefined) {
      formatter = new Intl.NumberFormat(
        locale,
        places === undefined
          ? {}
          : { minimumFractionDigits: places, maximumFractionDigits: places },
      );
      formatters.set(places, formatter);
    }
    return formatter.format(amount);
  };
}

const units = ['KB', 'MB', 'GB', 'TB', 'PB'];

/** `{{ upload.size | filesizeformat }}`: `1 byte`, `912 bytes`, `13.0 KB`, `4.1 MB` (1 KB = 1024 bytes). */
export function filesizeFilter(locale: string): (value: unknown) => string {
  const oneDecimal = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return function filesizeformat(value: unknown): string {
    const bytes = Number(toNumber('filesizeformat', value) ?? 0);
    const sign = bytes < 0 ? '-' : '';
    let size = Math.abs(bytes);
    if (size < 1024) return `${sign}${whole.format(size)} ${size === 1 ? 'byte' : 'bytes'}`;
    let unit = -1;
    while (size >= 1024 && unit < units.length - 1) {
      size /= 1024;
      unit++;
    }
    return `${sign}${oneDecimal.format(size)} ${units[unit]}`;
  };
}
