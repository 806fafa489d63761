// The `date` filter: a preset through Intl.DateTimeFormat (`{{ q.pubDate | date('long') }}`) or
// a Django-style format string (`{{ q.pubDate | date('Y-m-d H:i') }}`), in the configured time
// zone and locale. Formatters are built once per format, not per call.
import { describe, filterError } from './values.js';

export interface DateSettings {
  readonly locale: string;
  readonly timeZone: string;
}

const presets: Readonly<Record<string, Intl.DateTimeFormatOptions>> = {
  short: { dateStyle: 'short' },
  medium: { dateStyle: 'medium' },
  long: { dateStyle: 'long' },
  full: { dateStyle: 'full' },
  time: { timeStyle: 'short' },
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
};

/** The letters of Django's `date` format this filter knows. */
export const formatLetters = 'd j D l m n M F y Y H G h g i s A a';

interface Fields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export function dateFilter(settings: DateSettings): (value: unknown, format?: unknown) => string {
  const formatters = new Map<string, Intl.DateTimeFormat>();
  const formatter = (key: string, options: Intl.DateTimeFormatOptions) => {
    let cached = formatters.get(key);
    if (cached === undefined) {
      const locale = key === 'fields' ? 'en-US' : settings.locale;
      cached = new Intl.DateTimeFormat(locale, { ...options, timeZone: settings.timeZone });
      formatters.set(key, cached);
    }
    return cached;
  };
  const fieldsOf = (date: Date): Fields => {
    const parts = formatter('fields', {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    }).formatToParts(date);
    const field = (type: Intl.DateTimeFormatPartTypes) =>
      Number(parts.find((part) => part.type === type)?.value);
    return {
      year: field('year'),
      month: field('month'),
      day: field('day'),
      hour: field('hour'),
      minute: field('minute'),
      second: field('second'),
    };
  };
  const name = (date: Date, key: string, options: Intl.DateTimeFormatOptions) =>
    formatter(key, options).format(date);

  return function date(value: unknown, format: unknown = 'medium'): string {
    const instant = toDate(value);
    if (instant === undefined) return '';
    if (typeof format !== 'string') {
      throw filterError(
        'date',
        `takes a preset name or a format string (got ${describe(format)}).`,
      );
    }
    if (format === 'iso') return instant.toISOString();
    if (Object.hasOwn(presets, format)) return formatter(format, presets[format]!).format(instant);
    let fields: Fields | undefined;
    let output = '';
    for (let i = 0; i < format.length; i++) {
      const char = format[i]!;
      if (char === '\\') {
        output += format[++i] ?? '';
        continue;
      }
      if (!/[A-Za-z]/.test(char)) {
        output += char;
        continue;
      }
      fields ??= fieldsOf(instant);
      output += formatLetter(char, fields, instant, name, format);
    }
    return output;
  };
}

function formatLetter(
  letter: string,
  fields: Fields,
  date: Date,
  name: (date: Date, key: string, options: Intl.DateTimeFormatOptions) => string,
  format: string,
): string {
  const hour12 = fields.hour % 12 === 0 ? 12 : fields.hour % 12;
  switch (letter) {
    case 'd':
      return pad(fields.day, 2);
    case 'j':
      return String(fields.day);
    case 'D':
      return name(date, 'D', { weekday: 'short' });
    case 'l':
      return name(date, 'l', { weekday: 'long' });
    case 'm':
      return pad(fields.month, 2);
    case 'n':
      return String(fields.month);
    case 'M':
      return name(date, 'M', { month: 'short' });
    case 'F':
      return name(date, 'F', { month: 'long' });
    case 'y':
      return pad(fields.year % 100, 2);
    case 'Y':
      return pad(fields.year, 4);
    case 'H':
      return pad(fields.hour, 2);
    case 'G':
      return String(fields.hour);
    case 'h':
      return pad(hour12, 2);
    case 'g':
      return String(hour12);
    case 'i':
      return pad(fields.minute, 2);
    case 's':
      return pad(fields.second, 2);
    case 'A':
      return fields.hour < 12 ? 'AM' : 'PM';
    case 'a':
      return fields.hour < 12 ? 'a.m.' : 'p.m.';
    default:
      throw filterError(
        'date',
        `does not know the format letter "${letter}" in ${JSON.stringify(format)}. Known letters: ${formatLetters}; presets: ${Object.keys(presets).join(', ')}, iso. Put a backslash before a letter meant literally.`,
      );
  }
}

/** A Date, an ISO 8601 string or a timestamp in milliseconds; nothing for null, undefined, ''. */
function toDate(value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string' || typeof value === 'number'
        ? new Date(value)
        : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw filterError(
      'date',
      `needs a Date, an ISO 8601 string or a timestamp (got ${describe(value)}).`,
    );
  }
  return date;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
