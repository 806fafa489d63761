// From URL parameters to what they name: a registered model, one of its rows. Anything else is
// a 404, never an error page showing a stack.
import type { Field } from '../db/index.js';
import { NotFound } from '../index.js';
import type { ModelAdmin } from './model-admin.js';
import { objectsOf, type Row } from './query-access.js';
import type { AdminSite } from './site.js';

export function modelAdminFor(
  site: AdminSite,
  params: { readonly app: string; readonly model: string },
): ModelAdmin {
  const admin = site.modelAdmin(params.app, params.model);
  if (admin === undefined) throw new NotFound('No such model in the admin.');
  return admin;
}

/** A primary key (of `pk`'s kind) from text, or undefined when the text cannot be one. */
export function parseKey(pk: Field, text: string): unknown {
  if (pk.family === 'number') return /^-?\d{1,15}$/.test(text) ? Number(text) : undefined;
  if (pk.family === 'bigint') return /^-?\d{1,19}$/.test(text) ? BigInt(text) : undefined;
  if (pk.family === 'uuid') return /^[0-9a-f-]{36}$/i.test(text) ? text.toLowerCase() : undefined;
  return text;
}

export async function objectFor(admin: ModelAdmin, text: string): Promise<Row> {
  const key = parseKey(admin.meta.pk, text);
  const row =
    key === undefined
      ? null
      : await objectsOf(admin.meta)
          .filter({ [admin.meta.pk.name]: key })
          .first();
  if (row === null) {
    throw new NotFound(`${admin.meta.verboseName} with key “${text}” does not exist.`);
  }
  return row;
}

/** The URL parameters of one object's pages. */
export function objectParams(
  admin: ModelAdmin,
  key: unknown,
): { app: string; model: string; pk: string } {
  return { ...admin.params, pk: String(key) };
}
