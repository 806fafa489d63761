// What deleting some rows would take with them, to show before asking "Are you sure?": the
// rows each foreign key's `onDelete: 'cascade'` reaches (as a tree under the row they hang
// from), rows that `protect` or `restrict` them, and the models among the cascade the user may
// not delete. It follows the same relations the model layer's delete does, one query per
// relation and level, never one per row.

import type { ModelMeta, RelationField } from '../db/index.js';
import type { HttpRequest } from '../index.js';
import { permissionsFor } from './access.js';
import { objectsOf, pkOf, type Row } from './query-access.js';
import type { AdminSite } from './site.js';
import { modelTitle } from './words.js';

export interface DeletionNode {
  readonly label: string;
  readonly url: string | undefined;
  readonly children: DeletionNode[];
}

export interface DeletionPlan {
  /** The rows asked for, each with what cascades from it. */
  readonly tree: readonly DeletionNode[];
  /** How many rows of each model go, the rows asked for included. */
  readonly summary: readonly { readonly model: string; readonly count: number }[];
  /** Rows that forbid the deletion (`protect`, or `restrict` outside the cascade). */
  readonly protectedRows: readonly string[];
  /** Models in the cascade the user has no delete permission on. */
  readonly forbiddenModels: readonly string[];
}

interface Batch {
  readonly meta: ModelMeta;
  readonly rows: readonly Row[];
}

function keyOf(meta: ModelMeta, key: unknown): string {
  return `${meta.label}:${String(key)}`;
}

export async function planDeletion(
  req: HttpRequest,
  site: AdminSite,
  meta: ModelMeta,
  rows: readonly Row[],
): Promise<DeletionPlan> {
  const nodes = new Map<string, DeletionNode>();
  const counts = new Map<ModelMeta, number>();
  const blocking: { field: RelationField; rows: Row[] }[] = [];
  const protectedRows: string[] = [];
  const nodeFor = (of: ModelMeta, row: Row): DeletionNode => {
    const admin = site.adminOf(of.model);
    const node: DeletionNode = {
      label: `${modelTitle(of)}: ${String(row)}`,
      url:
        admin === undefined
          ? undefined
          : req.urlFor(site.urls.change, { ...admin.params, pk: String(pkOf(of, row)) }),
      children: [],
    };
    nodes.set(keyOf(of, pkOf(of, row)), node);
    counts.set(of, (counts.get(of) ?? 0) + 1);
    return node;
  };
  const tree = rows.map((row) => nodeFor(meta, row));
  let level: Batch[] = [{ meta, rows }];
  while (level.length > 0) {
    const next: Batch[] = [];
    for (const batch of level) {
      const keys = batch.rows.map((row) => pkOf(batch.meta, row));
      for (const field of batch.meta.incoming) {
        if (!field.concrete || field.model.autoCreated || field.onDelete === 'doNothing') continue;
        if (field.onDelete === 'setNull' || field.onDelete === 'setDefault') continue;
        const found = await objectsOf(field.model).filter({ [field.name]: { in: keys } });
        if (field.onDelete === 'protect') {
          protectedRows.push(...found.map((row) => `${modelTitle(field.model)}: ${String(row)}`));
          continue;
        }
        if (field.onDelete === 'restrict') {
          blocking.push({ field, rows: found });
          continue;
        }
        const fresh = found.filter((row) => !nodes.has(keyOf(field.model, pkOf(field.model, row))));
        for (const row of fresh) {
          const parent = nodes.get(keyOf(batch.meta, Reflect.get(row, field.attname)));
          parent?.children.push(nodeFor(field.model, row));
        }
        if (fresh.length > 0) next.push({ meta: field.model, rows: fresh });
      }
    }
    level = next;
  }
  // `restrict` allows the deletion when the referencing rows go in the same cascade.
  for (const { field, rows: referencing } of blocking) {
    for (const row of referencing) {
      if (!nodes.has(keyOf(field.model, pkOf(field.model, row)))) {
        protectedRows.push(`${modelTitle(field.model)}: ${String(row)}`);
      }
    }
  }
  const forbiddenModels: string[] = [];
  for (const of of counts.keys()) {
    const admin = site.adminOf(of.model);
    if (admin !== undefined && !(await permissionsFor(req, admin)).delete) {
      forbiddenModels.push(modelTitle(of, true));
    }
  }
  return {
    tree,
    summary: [...counts].map(([of, count]) => ({ model: modelTitle(of, count !== 1), count })),
    protectedRows,
    forbiddenModels,
  };
}
