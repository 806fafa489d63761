// The search behind autocomplete fields: `GET /admin/autocomplete/?app=polls&model=choice&
// field=question&term=what` answers JSON `{ results: [{ id, text }], more }`, searching the
// related model's `searchFields`, for users who may view that model.

import type { RelationField } from '../../db/index.js';
import { type Handler, json, NotFound } from '../../index.js';
import { canView, requirePermission } from '../access.js';
import { defaultOrdering, matchingQuery } from '../changelist/build.js';
import { searchableTarget } from '../forms/autocomplete.js';
import { pkOf } from '../query-access.js';
import type { AdminSite } from '../site.js';

const pageSize = 20;

export function autocompleteView(site: AdminSite): Handler {
  return async (req) => {
    const query = req.query;
    const source = site.modelAdmin(query.get('app') ?? '', query.get('model') ?? '');
    const name = query.get('field') ?? '';
    if (source === undefined || !source.autocompleteFields.has(name)) {
      throw new NotFound('No such autocomplete field.');
    }
    const field = source.meta.fieldByName.get(name) as RelationField;
    field.resolve();
    const target = searchableTarget(site, source, field);
    await requirePermission(req, target, canView);
    const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
    const search = new URLSearchParams({ q: query.get('term') ?? '' });
    const rows = await matchingQuery(target, search)
      .orderBy(...defaultOrdering(target))
      .slice((page - 1) * pageSize, page * pageSize + 1);
    return json({
      results: rows
        .slice(0, pageSize)
        .map((row) => ({ id: String(pkOf(target.meta, row)), text: String(row) })),
      more: rows.length > pageSize,
    });
  };
}
