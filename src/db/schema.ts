// createTables / dropTables: the tables of a set of models on one database, for tests, scripts
// and demos (projects use migrations). Both go through the migrations' schema editor, so the
// DDL — columns, keys, uniques, checks, indexes, deferrable foreign keys — lives in one place.
import { type Database, database } from './connection/index.js';
import type { ModelMeta } from './meta.js';
import { createSchemaEditor } from './migrations/schema-editor/index.js';
import type { AnyModel } from './model-types.js';
import { resolveRelations } from './registry.js';

export { constraintName } from './migrations/schema-editor/sql-text.js';

/** The models' metadata, each once; automatic join models come with their many-to-many fields. */
function modelMetas(models: readonly AnyModel[]): ModelMeta[] {
  resolveRelations();
  const metas: ModelMeta[] = [];
  for (const model of models) {
    const meta = model.meta;
    for (const field of [...meta.forwardRelations, ...meta.manyToMany]) void field.target;
    if (!meta.autoCreated && !metas.includes(meta)) metas.push(meta);
  }
  return metas;
}

function usingDatabase(options: { using?: string } | undefined): Database {
  return database(options?.using);
}

/**
 * Creates the tables of `models` (and their automatic many-to-many join tables) on a database.
 * Migrations do this for real projects; this is for tests, scripts and demos.
 */
export async function createTables(
  models: readonly AnyModel[],
  options?: { using?: string },
): Promise<void> {
  const editor = createSchemaEditor(usingDatabase(options));
  // Foreign keys wait for their target table when it comes later in the list.
  const existing = new Set<string>();
  for (const meta of modelMetas(models)) await editor.createModel(meta, existing);
  await editor.finish();
}

/** Drops the tables of `models` (and their automatic join tables), ignoring those that do not exist. */
export async function dropTables(
  models: readonly AnyModel[],
  options?: { using?: string },
): Promise<void> {
  const editor = createSchemaEditor(usingDatabase(options));
  const metas = modelMetas(models).reverse();
  await editor.run(
    async () => {
      for (const meta of metas) await editor.deleteModel(meta, { ifExists: true });
    },
    // Rows of other tables may point at the dropped ones; that is the caller's business here.
    { atomic: false, checkForeignKeys: false },
  );
}
