import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { defineApp } from '../../index.js';
import { f, model } from '../index.js';
import { scratchFolder } from '../test-support/migration-folders.js';
import { loadMigrations, migrationApps } from './loader.js';

const Book = model('loaderlib.Book', { title: f.string({ max: 100 }) });

const header = "import { migration, op } from 'carafe/db/migrations';\n";

describe('migration loader', () => {
  const scratch = scratchFolder();
  after(() => scratch.remove());

  it('loads NNNN_name files in order from a file: URL folder and ignores the rest', async () => {
    scratch.write(
      'good/0002_second.ts',
      `${header}export default migration({ dependencies: [['lib', '0001_initial']], operations: [] });\n`,
    );
    scratch.write(
      'good/0001_initial.ts',
      `${header}export default migration({ initial: true, operations: [op.runSql({ forward: 'SELECT 1' })] });\n`,
    );
    scratch.write('good/0003_types.d.ts', 'export {};\n');
    scratch.write('good/0004_check.test.ts', 'throw new Error("must not be imported");\n');
    scratch.write('good/helpers.ts', 'throw new Error("must not be imported");\n');
    const app = defineApp({
      name: 'project.lib',
      models: [],
      migrations: pathToFileURL(`${scratch.path}/good/`),
    });
    const [migrationApp] = migrationApps([app]);
    assert.equal(migrationApp?.label, 'lib');
    const loaded = await loadMigrations(migrationApps([app]));
    assert.deepEqual(
      loaded.map((migration) => migration.key),
      ['lib.0001_initial', 'lib.0002_second'],
    );
    assert.equal(loaded[0]?.migration.initial, true);
    assert.equal(loaded[0]?.migration.operations.length, 1);
  });

  it('treats a missing folder as no migrations yet', async () => {
    const app = defineApp({ name: 'lib', migrations: `${scratch.path}/absent` });
    assert.deepEqual(await loadMigrations(migrationApps([app])), []);
  });

  it('names the file whose default export is not a migration', async () => {
    scratch.write('shape/0001_initial.ts', 'export default { operations: [] };\n');
    const app = defineApp({ name: 'lib', migrations: `${scratch.path}/shape` });
    await assert.rejects(loadMigrations(migrationApps([app])), {
      code: 'CARAFE_MIGRATION_LOAD',
      message: /shape\/0001_initial\.ts: the default export must be a migration/,
    });
  });

  it('names the file that cannot be imported', async () => {
    scratch.write(
      'syntax/0001_initial.ts',
      `${header}export default migration({ operations: [ });\n`,
    );
    const app = defineApp({ name: 'lib', migrations: `${scratch.path}/syntax` });
    await assert.rejects(loadMigrations(migrationApps([app])), {
      code: 'CARAFE_MIGRATION_LOAD',
      message: /syntax\/0001_initial\.ts: could not be imported/,
    });
  });

  it('names the file whose migration() call is malformed', async () => {
    scratch.write(
      'call/0001_initial.ts',
      `${header}export default migration({ operations: [], dependencies: ['lib'] });\n`,
    );
    const app = defineApp({ name: 'lib', migrations: `${scratch.path}/call` });
    await assert.rejects(loadMigrations(migrationApps([app])), {
      code: 'CARAFE_MIGRATION_LOAD',
      message:
        /call\/0001_initial\.ts: could not be imported: migration\(\{\.\.\.\}\): dependencies\[0\]/,
    });
  });

  it("requires an app's models to carry its label", () => {
    assert.throws(() => migrationApps([defineApp({ name: 'shelf', models: [Book] })]), {
      code: 'CARAFE_MIGRATION_APP_LABEL',
      message: /App "shelf" lists the model "loaderlib\.Book".*"shelf\.<Name>"/,
    });
    assert.equal(
      migrationApps([defineApp({ name: 'site.loaderlib', models: [Book] })])[0]?.models[0]?.label,
      'loaderlib.Book',
    );
  });

  it('refuses two apps with the same migration label', () => {
    assert.throws(
      () =>
        migrationApps([
          defineApp({ name: 'a.lib', models: [] }),
          defineApp({ name: 'b.lib', models: [] }),
        ]),
      { code: 'CARAFE_MIGRATION_APP_LABEL', message: /"a\.lib" and "b\.lib"/ },
    );
  });
});
