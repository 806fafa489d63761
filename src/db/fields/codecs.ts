// Per-dialect conversion between field values and what drivers send and return. The connection
// layer already makes dates UTC and 64-bit integers exact; what is left is per field kind.
// `undefined` means "pass through", so the common case costs nothing per row.
import type { Dialect } from '../connection/index.js';
import type { Field } from './field.js';
import type { RelationField } from './relation.js';
import { normalizeTime } from './values.js';

export type Codec = ((value: unknown) => unknown) | undefined;

/** Column family the stored value behaves as: relations take their target's primary key. */
export function storageField(field: Field): Field {
  let current = field;
  while (current.isRelation && current.concrete) current = (current as RelationField).target.pk;
  return current;
}

const toBoolean = (raw: unknown): unknown =>
  raw === null || typeof raw === 'boolean' ? raw : Number(raw) !== 0;
const toBigInt = (raw: unknown): unknown =>
  raw === null || typeof raw === 'bigint' ? raw : BigInt(raw as number | string);
const toNumber = (raw: unknown): unknown =>
  raw === null || typeof raw === 'number' ? raw : Number(raw);
const parseJson = (raw: unknown): unknown => (typeof raw === 'string' ? JSON.parse(raw) : raw);
const toTime = (raw: unknown): unknown =>
  typeof raw === 'string' ? (normalizeTime(raw) ?? raw) : raw;

/** SQLite stores instants as ISO text; text written by SQL itself (CURRENT_TIMESTAMP) has no zone: UTC. */
export function toDate(raw: unknown): unknown {
  if (typeof raw === 'string' && raw.charCodeAt(raw.length - 1) === 90 /* Z */)
    return new Date(raw);
  if (raw === null || raw instanceof Date) return raw;
  if (typeof raw === 'number') return new Date(raw);
  const text = String(raw);
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text.replace(' ', 'T')}Z`;
  return new Date(zoned);
}

function decimalFormatter(places: number): (raw: unknown) => unknown {
  return (raw) => {
    if (raw === null || typeof raw === 'string') return raw;
    if (typeof raw === 'bigint')
      return places === 0 ? raw.toString() : `${raw}.${'0'.repeat(places)}`;
    return (raw as number).toFixed(places);
  };
}

/** Turns a driver's value into the field's JavaScript value. */
export function decoderFor(field: Field, dialect: Dialect): Codec {
  const stored = storageField(field);
  switch (stored.kind) {
    case 'boolean':
      return dialect === 'postgres' ? undefined : toBoolean;
    case 'bigInteger':
      return toBigInt;
    case 'auto':
    case 'bigAuto':
    case 'duration':
      return toNumber;
    case 'decimal':
      return dialect === 'sqlite' ? decimalFormatter(stored.decimalPlaces ?? 0) : undefined;
    case 'datetime':
      return dialect === 'sqlite' ? toDate : undefined;
    case 'time':
      return toTime;
    case 'json':
      return dialect === 'postgres' ? undefined : parseJson;
    default:
      return undefined;
  }
}

const stringifyJson = (value: unknown): unknown => (value === null ? null : JSON.stringify(value));
const bigintText = (value: unknown): unknown =>
  typeof value === 'bigint' ? value.toString() : value;
const toBuffer = (value: unknown): unknown =>
  value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;

/** Turns a checked field value into a driver parameter. */
export function encoderFor(field: Field, dialect: Dialect): Codec {
  const stored = storageField(field);
  switch (stored.kind) {
    case 'json':
      return stringifyJson;
    case 'bigInteger':
      return dialect === 'sqlite' ? undefined : bigintText;
    case 'binary':
      return toBuffer;
    default:
      return undefined;
  }
}
