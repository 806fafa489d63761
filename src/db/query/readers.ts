// Readers turn driver rows into results: instances (with select()ed relations and annotations),
// plain values or tuples. Converters are chosen once per compiled query, not per row.
import type { Dialect } from '../connection/index.js';
import { type Codec, decoderFor } from '../fields/codecs.js';
import { blankInstance, type ModelInstance, setLoaded } from '../instance.js';
import type { ModelMeta } from '../meta.js';

export type Row = Record<string, unknown>;
export type Reader = (rows: readonly Row[], using: string) => unknown[];

export interface ColumnReader {
  readonly key: string;
  /** The column's place in the SELECT list, for rows read as arrays. */
  readonly index: number;
  readonly attname: string;
  readonly decode: Codec;
}

export interface NestedReader {
  /** Loaded-relation name on the parent. */
  readonly name: string;
  /** Index of the parent in the nested list, or -1 for the base instance. */
  readonly parent: number;
  readonly meta: ModelMeta;
  readonly pkKey: string;
  readonly pkIndex: number;
  readonly columns: readonly ColumnReader[];
}

function readColumns(
  target: Row,
  row: Row,
  columns: readonly ColumnReader[],
  positional: boolean,
): void {
  for (let index = 0; index < columns.length; index++) {
    const reader = columns[index]!;
    const raw = positional ? (row as unknown as unknown[])[reader.index] : row[reader.key];
    target[reader.attname] = reader.decode === undefined || raw === null ? raw : reader.decode(raw);
  }
}

/**
 * Instances from rows. `positional` readers take rows as arrays in SELECT order (SQLite builds
 * those cheaper than objects with named keys); the others take objects keyed by column.
 */
export function instanceReader(
  meta: ModelMeta,
  base: readonly ColumnReader[],
  nested: readonly NestedReader[],
  annotations: readonly ColumnReader[],
  positional = false,
): Reader {
  return (rows, using) => {
    const results = new Array<unknown>(rows.length);
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      const instance = blankInstance(meta, using);
      readColumns(instance as unknown as Row, row, base, positional);
      if (nested.length > 0) {
        const made: (ModelInstance | null)[] = [];
        for (const reader of nested) {
          const parent = reader.parent < 0 ? instance : made[reader.parent];
          if (parent === null || parent === undefined) {
            made.push(null);
            continue;
          }
          const pk = positional ? (row as unknown as unknown[])[reader.pkIndex] : row[reader.pkKey];
          if (pk === null) {
            setLoaded(parent, reader.name, null);
            made.push(null);
            continue;
          }
          const child = blankInstance(reader.meta, using);
          readColumns(child as unknown as Row, row, reader.columns, positional);
          setLoaded(parent, reader.name, child);
          made.push(child);
        }
      }
      if (annotations.length > 0)
        readColumns(instance as unknown as Row, row, annotations, positional);
      results[index] = instance;
    }
    return results;
  };
}

/** Readers for every column of `meta` in field order, keyed by column name. */
export function columnReaders(meta: ModelMeta, dialect: Dialect): ColumnReader[] {
  return meta.concreteFields.map((field, index) => ({
    key: field.column,
    index,
    attname: field.attname,
    decode: decoderFor(field, dialect),
  }));
}

export function valuesReader(
  keys: readonly { key: string; name: string; decode: Codec }[],
  shape: 'object' | 'tuple' | 'flat',
): Reader {
  return (rows) =>
    rows.map((row) => {
      if (shape === 'flat') {
        const only = keys[0]!;
        const raw = row[only.key];
        return only.decode === undefined || raw === null ? raw : only.decode(raw);
      }
      const values = keys.map(({ key, decode }) => {
        const raw = row[key];
        return decode === undefined || raw === null ? raw : decode(raw);
      });
      if (shape === 'tuple') return values;
      const result: Row = {};
      keys.forEach(({ name }, index) => {
        result[name] = values[index];
      });
      return result;
    });
}
