// A browser's `datetime-local` input sends a wall-clock time with no zone. These helpers turn
// it into an instant in a named IANA zone and back, with Intl (no time zone database to ship).
import { definitionError } from './errors.js';

export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Checks a zone name when a field is defined, so a typo fails at startup. */
export function checkTimeZone(kind: string, timeZone: string): string {
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    throw definitionError(
      `ff.${kind}(): "${timeZone}" is not a time zone this Node.js knows (use an IANA name such as "Europe/Paris")`,
    );
  }
}

/** The wall-clock reading of `instant` in `timeZone`. */
export function wallTime(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
    millisecond: instant.getUTCMilliseconds(),
  };
}

function asUtc(wall: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return date.getTime();
}

function offsetAt(timeZone: string, instant: number): number {
  return asUtc(wallTime(new Date(instant), timeZone)) - instant;
}

const day = 86_400_000;

/**
 * The instant a wall-clock time names in `timeZone`. When clocks go back and the time occurs
 * twice, the earlier instant is taken; when they go forward and it never occurs, it is read with
 * the offset from before the change (02:30 in a 02:00→03:00 gap is 03:30), as Python's zoneinfo does.
 */
export function fromWallTime(wall: WallTime, timeZone: string): Date {
  const guess = asUtc(wall);
  const before = guess - offsetAt(timeZone, guess - day);
  const after = guess - offsetAt(timeZone, guess + day);
  const matches = [before, after].filter(
    (instant) => asUtc(wallTime(new Date(instant), timeZone)) === guess,
  );
  return new Date(matches.length > 0 ? Math.min(...matches) : before);
}
