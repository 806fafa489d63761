// The four permissions every model gets (add, change, delete, view), created after migrating
// as Django's post_migrate handler does. Running it again creates only what is missing.

import { type AnyModel, atomic, type ModelMeta } from '../db/index.js';
import { postMigrate } from '../db/migrations/index.js';
import { type AppDefinition, CarafeError } from '../index.js';
import { Permission } from './models.js';

export const defaultPermissionActions = ['add', 'change', 'delete', 'view'] as const;

export interface CreatePermissionsOptions {
  /** The apps whose models get permissions (`config.apps`). */
  readonly apps?: readonly AppDefinition[];
  /** Models to give permissions to, besides the apps'. */
  readonly models?: readonly AnyModel[];
  /** The database to write to; `default` when omitted. */
  readonly using?: string;
}

function isModel(value: unknown): value is AnyModel {
  if (typeof value !== 'function') return false;
  const meta: unknown = (value as { meta?: unknown }).meta;
  return typeof meta === 'object' && meta !== null && typeof (meta as ModelMeta).label === 'string';
}

function metasOf(options: CreatePermissionsOptions): ModelMeta[] {
  const found = new Map<string, ModelMeta>();
  const add = (value: unknown, where: string) => {
    if (!isModel(value)) {
      throw new CarafeError(
        'CARAFE_AUTH_NOT_A_MODEL',
        `createPermissions(): ${where} is not a model; list the classes model() returned.`,
      );
    }
    // Automatic join tables have no permissions of their own, as in Django.
    if (!value.meta.autoCreated) found.set(value.meta.label, value.meta);
  };
  for (const app of options.apps ?? []) {
    for (const [index, value] of (app.models ?? []).entries()) {
      add(value, `${app.name}: models[${index}]`);
    }
  }
  for (const [index, value] of (options.models ?? []).entries()) add(value, `models[${index}]`);
  return [...found.values()];
}

/**
 * Creates `add_<model>`, `change_<model>`, `delete_<model>` and `view_<model>` for each model
 * of `apps` and `models` that lacks them; returns how many were created. `migrate` runs it after
 * migrating when `auth()` is listed; call it yourself after creating tables another way.
 */
export async function createPermissions(options: CreatePermissionsOptions): Promise<number> {
  const metas = metasOf(options);
  if (metas.length === 0) return 0;
  const modelNames = metas.map((meta) => meta.label.toLowerCase());
  const objects =
    options.using === undefined ? Permission.objects : Permission.objects.using(options.using);
  return atomic(
    async () => {
      const existing = new Set(
        (await objects.filter({ model: { in: modelNames } }).valuesList('model', 'codename')).map(
          ([model, codename]) => `${model} ${codename}`,
        ),
      );
      const missing: { name: string; model: string; codename: string }[] = [];
      for (const meta of metas) {
        const model = meta.label.toLowerCase();
        const lowerName = meta.modelName.toLowerCase();
        for (const action of defaultPermissionActions) {
          const codename = `${action}_${lowerName}`;
          if (existing.has(`${model} ${codename}`)) continue;
          missing.push({ name: `Can ${action} ${meta.verboseName}`, model, codename });
        }
      }
      if (missing.length > 0) await objects.bulkCreate(missing);
      return missing.length;
    },
    { using: options.using },
  );
}

// Django creates permissions after every migrate; so do we, when auth() is among the apps and
// its permission table exists on that database.
postMigrate.connect(async ({ apps, using, state }) => {
  if (!apps.some((app) => app.name === 'carafe.auth')) return;
  if (!state.models.has('auth.Permission')) return;
  await createPermissions({ apps, using });
});
