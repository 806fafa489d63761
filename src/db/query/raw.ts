// Model.objects.raw`SELECT …`: your SQL, values bound as parameters, rows read as instances.
import { sql } from 'kysely';
import { CarafeError } from '../../index.js';
import { database } from '../connection/index.js';
import { decoderFor } from '../fields/codecs.js';
import { blankInstance } from '../instance.js';
import { compile } from './sql.js';
import type { QueryState } from './state.js';

export async function rawQuery(
  state: QueryState,
  strings: TemplateStringsArray,
  values: readonly unknown[],
): Promise<unknown[]> {
  const meta = state.meta;
  if (!Array.isArray(strings) || !('raw' in strings)) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      'raw is a tagged template: Model.objects.raw`SELECT * FROM my_table WHERE id = …` with values interpolated ' +
        '(they become bound parameters).',
    );
  }
  const db = database(state.using);
  const compiled = compile(sql(strings, ...values), db.dialect);
  const result = await db.run(compiled);
  const rows = result.rows as Record<string, unknown>[];
  const readers = meta.concreteFields.map((field) => ({
    field,
    decode: decoderFor(field, db.dialect),
  }));
  return rows.map((row) => {
    if (!(meta.pk.column in row)) {
      throw new CarafeError(
        'CARAFE_DB_BAD_VALUE',
        `raw() on ${meta.label} must select the primary key column "${meta.pk.column}".`,
      );
    }
    const instance = blankInstance(meta, db.name);
    for (const { field, decode } of readers) {
      if (!(field.column in row)) continue;
      const value = row[field.column];
      Reflect.set(
        instance,
        field.attname,
        decode === undefined || value === null ? value : decode(value),
      );
    }
    return instance;
  });
}
