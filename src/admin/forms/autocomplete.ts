// Foreign keys named in `autocompleteFields`: instead of a select listing every related row, the
// form holds the related row's key. Without JavaScript that is a text input (with the chosen
// row's name beside it); admin.js adds a search box that asks the autocomplete endpoint. Only
// the row in the submission (or the current one) is loaded: one query, whatever the table size.
import type { RelationField } from '../../db/index.js';
import { type FormDefinition, FormField, type FormFields, form } from '../../forms/index.js';
import { CarafeError, type HttpRequest } from '../../index.js';
import { parseKey } from '../lookup.js';
import type { ModelAdmin } from '../model-admin.js';
import { objectsOf, pkOf, type Row } from '../query-access.js';
import type { AdminSite } from '../site.js';
import { fieldLabel } from '../words.js';

export interface AutocompleteInfo {
  /** The endpoint the search box asks. */
  readonly url: string;
  /** The chosen row's name, shown beside the input. */
  readonly current: string | undefined;
}

export interface AutocompleteForm {
  readonly definition: FormDefinition<FormFields>;
  readonly info: ReadonlyMap<string, AutocompleteInfo>;
}

function relationOf(admin: ModelAdmin, name: string): RelationField {
  const field = admin.meta.fieldByName.get(name) as RelationField;
  field.resolve();
  return field;
}

/** The admin of the related model, which must be registered and searchable. */
export function searchableTarget(
  site: AdminSite,
  admin: ModelAdmin,
  field: RelationField,
): ModelAdmin {
  const target = site.adminOf(field.target.model);
  if (target === undefined || target.searchFields.length === 0) {
    throw new CarafeError(
      'CARAFE_ADMIN_AUTOCOMPLETE',
      `admin.register(${admin.meta.label}): autocompleteFields names "${field.name}", so ` +
        `${field.target.label} must be registered with searchFields, which the search box uses.`,
    );
  }
  return target;
}

async function rowFor(field: RelationField, key: unknown): Promise<Row | undefined> {
  if (key === undefined || key === null) return undefined;
  const target = field.target;
  const row = await objectsOf(target)
    .filter({ [target.pk.name]: key })
    .first();
  return row ?? undefined;
}

function keyField(field: RelationField, row: Row | undefined, url: string): FormField {
  const target = field.target;
  const rowKey = row === undefined ? undefined : pkOf(target, row);
  return new FormField({
    kind: 'modelChoice',
    input: 'single',
    widgets: ['text'],
    options: {
      label: fieldLabel(field),
      helpText: field.helpText,
      required: !field.blank,
      initial: row ?? null,
      attrs: { 'data-autocomplete': url, autocomplete: 'off' },
    },
    choices: rowKey === undefined ? [] : [[String(rowKey), String(row)]],
    empty: null,
    strip: true,
    resolve: () => row,
    format: (value) =>
      String(typeof value === 'object' && value !== null ? pkOf(target, value) : value),
    schema: { type: target.pk.family === 'number' ? 'integer' : 'string' },
  });
}

/**
 * The autocomplete fields of `admin` as a form of their own, built for this request: for a
 * submission, around the key it sent; otherwise around the instance's current value.
 */
export async function autocompleteForm(
  req: HttpRequest,
  site: AdminSite,
  admin: ModelAdmin,
  instance: Row | undefined,
  names: readonly string[],
): Promise<AutocompleteForm | undefined> {
  if (names.length === 0) return undefined;
  const body = req.method === 'POST' ? await req.form() : undefined;
  const fields: Record<string, FormField> = {};
  const info = new Map<string, AutocompleteInfo>();
  for (const name of names) {
    const field = relationOf(admin, name);
    searchableTarget(site, admin, field);
    const text = body?.get(name)?.trim() ?? '';
    const sent = text === '' ? undefined : parseKey(field.target.pk, text);
    const key =
      body === undefined
        ? instance === undefined
          ? undefined
          : Reflect.get(instance, field.attname)
        : sent;
    const row = await rowFor(field, key);
    const url = `${req.urlFor(site.urls.autocomplete)}?${new URLSearchParams({ app: admin.appLabel, model: admin.modelName, field: name })}`;
    fields[name] = keyField(field, row, url);
    info.set(name, { url, current: row === undefined ? undefined : String(row) });
  }
  return { definition: form(fields), info };
}
