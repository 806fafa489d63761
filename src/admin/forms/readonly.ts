// A field shown but not edited: its label and its value as a change-list cell. Foreign keys
// and many-to-many fields show the related rows' names (one query each).
import type { RelationField } from '../../db/index.js';
import { type Cell, cellFor } from '../changelist/columns.js';
import type { ModelAdmin } from '../model-admin.js';
import { objectsOf, type Row } from '../query-access.js';
import { fieldLabel } from '../words.js';

interface Related {
  related(name: string): { all(): PromiseLike<object[]> };
}

export async function readonlyCell(
  admin: ModelAdmin,
  row: Row | undefined,
  name: string,
): Promise<{ label: string; cell: Cell }> {
  const field = admin.meta.fieldByName.get(name)!;
  const label = fieldLabel(field);
  if (row === undefined) return { label, cell: cellFor(null) };
  if (field.kind === 'manyToMany') {
    const rows = await (row as unknown as Related).related(name).all();
    return { label, cell: cellFor(rows.map(String).join(', ')) };
  }
  const value = Reflect.get(row, field.attname);
  if (field.isRelation && value !== null && value !== undefined) {
    const target = (field as RelationField).target;
    const related = await objectsOf(target)
      .filter({ [target.pk.name]: value })
      .first();
    return { label, cell: cellFor(related === null ? value : String(related)) };
  }
  return { label, cell: cellFor(value, field) };
}
