// Relations named in `autocompleteFields`: instead of a select listing every related row, the
// form holds the related rows' keys. Without JavaScript that is a text input (a foreign key's
// key, or a many-to-many's keys separated by commas) with the chosen rows' names beside it;
// admin.js adds a search box that asks the autocomplete endpoint. Only the rows in the
// submission (or the current ones) are loaded, whatever the table size.
import type { RelationField } from '../../db/index.js';
import {
  type Form,
  type FormDefinition,
  FormField,
  type FormFields,
  form,
} from '../../forms/index.js';
import { CarafeError, type HttpRequest } from '../../index.js';
import { parseKey } from '../lookup.js';
import type { ModelAdmin } from '../model-admin.js';
import { objectsOf, pkOf, type Row } from '../query-access.js';
import type { AdminSite } from '../site.js';
import { fieldLabel } from '../words.js';
import { KeyListField, keyTexts } from './key-list.js';

export interface ChosenRow {
  readonly id: string;
  readonly text: string;
}

export interface AutocompleteInfo {
  /** The endpoint the search box asks. */
  readonly url: string;
  /** A many-to-many field, which holds several rows. */
  readonly multiple: boolean;
  /** The chosen rows, named beside the input. */
  readonly current: readonly ChosenRow[];
}

export interface AutocompleteForm {
  readonly definition: FormDefinition<FormFields>;
  readonly info: ReadonlyMap<string, AutocompleteInfo>;
  /** The keys each field held before this request, to tell what a save changes. */
  readonly stored: ReadonlyMap<string, readonly string[]>;
}

// The admin reaches many-to-many managers by names read from its options (see query-access).
interface Related {
  related(name: string): {
    all(): PromiseLike<Row[]>;
    set(items: readonly unknown[]): Promise<void>;
  };
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

/** The related rows with these keys (keys that cannot be one are left for the field to refuse). */
async function rowsFor(field: RelationField, texts: readonly string[]): Promise<Row[]> {
  const target = field.target;
  const keys = texts
    .map((text) => parseKey(target.pk, text))
    .filter((key) => key !== undefined && key !== null);
  if (keys.length === 0) return [];
  const rows = await objectsOf(target).filter({ [target.pk.name]: { in: keys } });
  const order = new Map(keys.map((key, index) => [String(key), index]));
  return rows.sort(
    (a, b) => (order.get(String(pkOf(target, a))) ?? 0) - (order.get(String(pkOf(target, b))) ?? 0),
  );
}

function storedKey(field: RelationField, instance: Row | undefined): string[] {
  const key: unknown = instance === undefined ? null : Reflect.get(instance, field.attname);
  return key === null || key === undefined ? [] : [String(key)];
}

/** What the field holds now: its stored rows, none on an add page. */
async function storedRows(field: RelationField, instance: Row | undefined): Promise<Row[]> {
  if (instance === undefined) return [];
  if (field.kind === 'manyToMany') {
    return (instance as unknown as Related).related(field.name).all();
  }
  return rowsFor(field, storedKey(field, instance));
}

/** The keys the field holds now; a foreign key's is on the row, no query needed. */
async function storedKeys(field: RelationField, instance: Row | undefined): Promise<string[]> {
  if (field.kind !== 'manyToMany') return storedKey(field, instance);
  return chosen(field, await storedRows(field, instance)).map((row) => row.id);
}

function keyField(field: RelationField, rows: readonly Row[], url: string): FormField {
  const target = field.target;
  const multiple = field.kind === 'manyToMany';
  const keyOf = (row: unknown) =>
    String(typeof row === 'object' && row !== null ? pkOf(target, row) : row);
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  const keySchema = { type: target.pk.family === 'number' ? 'integer' : 'string' };
  const spec = {
    kind: multiple ? 'modelMultipleChoice' : 'modelChoice',
    input: multiple ? ('multiple' as const) : ('single' as const),
    widgets: ['text' as const],
    options: {
      label: fieldLabel(field),
      helpText: field.helpText,
      required: !field.blank,
      initial: multiple ? rows : (rows[0] ?? null),
      attrs: {
        'data-autocomplete': url,
        'data-autocomplete-multiple': multiple,
        autocomplete: 'off',
      },
    },
    choices: rows.map((row) => [keyOf(row), String(row)] as const),
    empty: multiple ? [] : null,
    strip: true,
    resolve: (key: unknown) => byKey.get(String(key)),
    format: keyOf,
    schema: multiple ? { type: 'array', items: keySchema, uniqueItems: true } : keySchema,
  };
  return multiple ? new KeyListField(spec) : new FormField(spec);
}

function chosen(field: RelationField, rows: readonly Row[]): ChosenRow[] {
  return rows.map((row) => ({ id: String(pkOf(field.target, row)), text: String(row) }));
}

/**
 * The autocomplete fields of `admin` as a form of their own, built for this request: for a
 * submission, around the keys it sent; otherwise around the instance's current rows.
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
  const stored = new Map<string, readonly string[]>();
  for (const name of names) {
    const field = relationOf(admin, name);
    searchableTarget(site, admin, field);
    const multiple = field.kind === 'manyToMany';
    const sent = body?.getAll(name);
    const rows =
      sent === undefined
        ? await storedRows(field, instance)
        : await rowsFor(
            field,
            multiple ? keyTexts(sent) : sent.slice(-1).map((text) => text.trim()),
          );
    const query = new URLSearchParams({
      app: admin.appLabel,
      model: admin.modelName,
      field: name,
    });
    const url = `${req.urlFor(site.urls.autocomplete)}?${query}`;
    fields[name] = keyField(field, rows, url);
    const current = chosen(field, rows);
    info.set(name, { url, multiple, current });
    stored.set(
      name,
      sent === undefined ? current.map((row) => row.id) : await storedKeys(field, instance),
    );
  }
  return { definition: form(fields), info, stored };
}

function cleanedRows(related: Form<FormFields>, name: string): object[] {
  const value: unknown = Reflect.get(related.cleanedData ?? {}, name);
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.filter((row): row is object => typeof row === 'object' && row !== null);
}

/** The autocomplete fields a valid submission changes (a many-to-many's order is no change). */
export function changedRelations(
  admin: ModelAdmin,
  auto: AutocompleteForm,
  related: Form<FormFields>,
): string[] {
  return [...auto.stored]
    .filter(([name, before]) => {
      const target = relationOf(admin, name).target;
      const after = new Set(cleanedRows(related, name).map((row) => String(pkOf(target, row))));
      return after.size !== before.length || before.some((key) => !after.has(key));
    })
    .map(([name]) => name);
}

/** The chosen foreign keys, for the model form to save with the row. */
export function foreignKeyValues(
  admin: ModelAdmin,
  related: Form<FormFields>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(related.cleanedData ?? {})) {
    if (relationOf(admin, name).kind !== 'manyToMany') values[name] = value;
  }
  return values;
}

/** Stores the chosen many-to-many rows of a saved row (a join table needs the row's key first). */
export async function saveManyToMany(
  admin: ModelAdmin,
  related: Form<FormFields>,
  saved: object,
): Promise<void> {
  for (const name of Object.keys(related.cleanedData ?? {})) {
    if (relationOf(admin, name).kind !== 'manyToMany') continue;
    await (saved as Related).related(name).set(cleanedRows(related, name));
  }
}
