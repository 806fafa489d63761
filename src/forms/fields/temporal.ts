// Dates, times and instants, in the formats HTML inputs send: a date is 'YYYY-MM-DD' (as the
// model layer stores it), a time 'HH:MM:SS', a date-time a `Date`.
import { definitionError, InvalidValue } from '../errors.js';
import { type FieldOptions, FormField, type Maybe, type SpecOptions } from '../field.js';
import type { Validator } from '../from-db.js';
import { checkTimeZone, fromWallTime, wallTime } from '../time-zone.js';

interface DayLimits {
  /** The earliest accepted day, 'YYYY-MM-DD'. */
  readonly min?: string;
  readonly max?: string;
}
export interface DateOptions extends FieldOptions<string, 'date' | 'text' | 'hidden'>, DayLimits {}
export interface TimeOptions extends FieldOptions<string, 'time' | 'text' | 'hidden'> {}
export interface DateTimeOptions extends FieldOptions<Date, 'datetime-local' | 'text' | 'hidden'> {
  /**
   * The IANA zone a time typed without an offset is read in, and initial values are shown in
   * (default `'UTC'`). Use the user's zone when you know it.
   */
  readonly timeZone?: string;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const timePattern = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function validDay(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

function isDate(text: string): boolean {
  const match = datePattern.exec(text);
  return match !== null && validDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

function parseDate(text: string): string {
  if (!isDate(text)) throw new InvalidValue(['Enter a valid date.']);
  return text;
}

function parseTime(text: string): string {
  const match = timePattern.exec(text);
  const [, hh = '', mm = '', ss = '00', fraction] = match ?? [];
  if (match === null || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) {
    throw new InvalidValue(['Enter a valid time.']);
  }
  const trimmed = fraction?.replace(/0+$/, '');
  return `${hh}:${mm}:${ss}${trimmed ? `.${trimmed}` : ''}`;
}

function parseDateTime(text: string, timeZone: string): Date {
  const match = dateTimePattern.exec(text);
  const invalid = new InvalidValue(['Enter a valid date/time.']);
  if (match === null) throw invalid;
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 59) throw invalid;
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const wall = { year, month, day, hour, minute, second, millisecond };
  const offset = match[8];
  if (offset === undefined) return fromWallTime(wall, timeZone);
  const utc = fromWallTime(wall, 'UTC').getTime();
  if (offset.toUpperCase() === 'Z') return new Date(utc);
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  if (minutes > 18 * 60) throw invalid;
  return new Date(utc - sign * minutes * 60_000);
}

const two = (value: number) => String(value).padStart(2, '0');

/** What a `datetime-local` input shows: the wall-clock time in the field's zone. */
function formatDateTime(value: unknown, timeZone: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return String(value);
  const wall = wallTime(value, timeZone);
  const base = `${String(wall.year).padStart(4, '0')}-${two(wall.month)}-${two(wall.day)}T${two(wall.hour)}:${two(wall.minute)}`;
  return wall.second === 0 && wall.millisecond === 0 ? base : `${base}:${two(wall.second)}`;
}

function dayBound(kind: 'min' | 'max', limit: string | undefined): Validator<string>[] {
  if (limit === undefined) return [];
  if (typeof limit !== 'string' || !isDate(limit)) {
    throw definitionError(`ff.date(): ${kind} must be a date 'YYYY-MM-DD', got ${String(limit)}`);
  }
  return kind === 'min'
    ? [
        (value) =>
          value < limit ? `Ensure this value is greater than or equal to ${limit}.` : undefined,
      ]
    : [
        (value) =>
          value > limit ? `Ensure this value is less than or equal to ${limit}.` : undefined,
      ];
}

export function dateField<T>(options: SpecOptions & DayLimits): FormField<T> {
  return new FormField<T>({
    kind: 'date',
    input: 'single',
    widgets: ['date', 'text', 'hidden'],
    options,
    empty: null,
    strip: true,
    parse: parseDate,
    validators: [...dayBound('min', options.min), ...dayBound('max', options.max)],
    inputAttrs: { min: options.min, max: options.max },
    schema: { type: 'string', format: 'date' },
  });
}

export function timeField<T>(options: SpecOptions): FormField<T> {
  return new FormField<T>({
    kind: 'time',
    input: 'single',
    widgets: ['time', 'text', 'hidden'],
    options,
    empty: null,
    strip: true,
    parse: parseTime,
    schema: { type: 'string', format: 'time' },
  });
}

export function dateTimeField<T>(
  options: SpecOptions & { readonly timeZone?: string },
): FormField<T> {
  const timeZone = checkTimeZone('datetime', options.timeZone ?? 'UTC');
  return new FormField<T>({
    kind: 'datetime',
    input: 'single',
    widgets: ['datetime-local', 'text', 'hidden'],
    options,
    empty: null,
    strip: true,
    parse: (text) => parseDateTime(text, timeZone),
    format: (value) => formatDateTime(value, timeZone),
    schema: { type: 'string', format: 'date-time' },
  });
}

export const temporalFields = {
  /** A calendar day as 'YYYY-MM-DD', from a date picker. */
  date<const O extends DateOptions>(options?: O): FormField<Maybe<O, string>> {
    return dateField(options ?? {});
  },
  /** A time of day as 'HH:MM:SS'. */
  time<const O extends TimeOptions>(options?: O): FormField<Maybe<O, string>> {
    return timeField(options ?? {});
  },
  /**
   * An instant, as a `Date`. Accepts what `datetime-local` sends ('2024-05-01T13:45'), read in
   * `timeZone`, and ISO 8601 text with an offset ('…Z', '…+02:00').
   */
  datetime<const O extends DateTimeOptions>(options?: O): FormField<Maybe<O, Date>> {
    return dateTimeField(options ?? {});
  },
};
