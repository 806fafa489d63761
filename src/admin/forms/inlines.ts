// Inline rows on a parent's page: an inline formset when the user may change the child model
// (new rows only with its add permission, Delete boxes only with its delete permission), a
// read-only table when they may only view it, nothing otherwise.
import type { AnyModel, Field, RelationField } from '../../db/index.js';
import {
  type FormFields,
  type InlineFormset,
  type InlineFormsetDefinition,
  inlineFormset,
} from '../../forms/index.js';
import type { HttpRequest } from '../../index.js';
import { permissionsFor } from '../access.js';
import { type Cell, cellFor } from '../changelist/columns.js';
import type { ModelAdmin, ResolvedInline } from '../model-admin.js';
import { objectsOf, pkOf, type Row } from '../query-access.js';
import { fieldLabel, modelTitle } from '../words.js';

type Definition = InlineFormsetDefinition<AnyModel, AnyModel, FormFields>;
export type AnyInlineFormset = InlineFormset<AnyModel, AnyModel, FormFields>;

export interface InlinePart {
  readonly title: string;
  readonly meta: AnyModel['meta'];
  /** Set when the rows are editable. */
  readonly formset: AnyInlineFormset | undefined;
  /** Set when they are only shown. */
  readonly table:
    | { readonly headers: readonly string[]; readonly rows: readonly Cell[][] }
    | undefined;
}

const made = new WeakMap<ResolvedInline, Map<string, Definition>>();

function definitionFor(
  admin: ModelAdmin,
  inline: ResolvedInline,
  canAdd: boolean,
  canDelete: boolean,
): Definition {
  let byPermissions = made.get(inline);
  if (byPermissions === undefined) {
    byPermissions = new Map();
    made.set(inline, byPermissions);
  }
  const key = `${canAdd}:${canDelete}`;
  let definition = byPermissions.get(key);
  if (definition === undefined) {
    const { label: _label, extra, canDelete: allowDelete, ...options } = inline.options;
    definition = inlineFormset(admin.model, inline.model, {
      ...options,
      extra: canAdd ? (extra ?? 3) : 0,
      canDelete: canDelete && allowDelete !== false,
    }) as unknown as Definition;
    byPermissions.set(key, definition);
  }
  return definition;
}

function shownFields(definition: Definition): Field[] {
  return [...definition.form.modelFields];
}

async function viewTable(definition: Definition, parent: Row | undefined) {
  const fields = shownFields(definition);
  const headers = fields.map(fieldLabel);
  if (parent === undefined) return { headers, rows: [] };
  const fk: RelationField = definition.fk;
  const joins = fields
    .filter((field) => field.isRelation && field.concrete)
    .map((field) => field.name);
  let query = objectsOf(definition.form.model.meta).filter({
    [fk.name]: pkOf(definition.parent.meta, parent),
  });
  if (joins.length > 0) query = query.select(...joins);
  const children = await query;
  const rows = children.map((child) =>
    fields.map((field) =>
      cellFor(
        Reflect.get(child, field.isRelation && field.concrete ? field.name : field.attname),
        field,
      ),
    ),
  );
  return { headers, rows };
}

/**
 * The inlines of `admin`'s page for `parent` (none on an add page), bound to the request's
 * submission when `bind` is true.
 */
export async function inlineParts(
  req: HttpRequest,
  admin: ModelAdmin,
  parent: Row | undefined,
  bind: boolean,
): Promise<InlinePart[]> {
  const parts: InlinePart[] = [];
  for (const inline of admin.inlines) {
    const meta = inline.model.meta;
    const permissions = await permissionsFor(req, meta);
    const title = inline.options.label ?? modelTitle(meta, true);
    if (permissions.change) {
      const definition = definitionFor(admin, inline, permissions.add, permissions.delete);
      const options = { parent: parent as never };
      const formset = bind
        ? await definition.bind(req, options)
        : await definition.unbound(options);
      parts.push({ title, meta, formset, table: undefined });
    } else if (permissions.view) {
      const definition = definitionFor(admin, inline, false, false);
      parts.push({ title, meta, formset: undefined, table: await viewTable(definition, parent) });
    }
  }
  return parts;
}
