// Type-level tests for what a project writes for the command: app commands and the database setting.
import { type Equal, expectTrue } from '../../test/support/type-assert.js';
import type { DatabaseSetting } from '../db/index.js';
import { type Carafe, defineApp, defineConfig, type ResolvedConfig } from '../index.js';

defineApp({
  name: 'reports',
  commands: {
    // No return: exit code 0.
    send: {
      description: 'Sends the reports.',
      run(args, context) {
        expectTrue<Equal<typeof args, readonly string[]>>();
        expectTrue<Equal<typeof context.app, Carafe>>();
        context.print(args.join(' '));
      },
    },
    // An exit code, from an async command.
    verify: {
      description: 'Verifies them.',
      async run(args) {
        return args.length === 0 ? 1 : undefined;
      },
    },
    // @ts-expect-error a command needs a description
    broken: { run() {} },
  },
});

defineApp({
  name: 'wrong',
  commands: {
    // @ts-expect-error the exit code is a number
    text: { description: 'x', run: () => 'done' },
  },
});

defineConfig({ database: 'sqlite://db.sqlite3' });
defineConfig({
  database: {
    default: 'sqlite://db.sqlite3',
    replica: { url: 'postgres://r/app', pool: { max: 2 } },
  },
});
// @ts-expect-error a URL is a string
defineConfig({ database: 5432 });
defineConfig({ staticRoot: 'staticfiles' });

expectTrue<Equal<ResolvedConfig['database'], DatabaseSetting | undefined>>();
expectTrue<Equal<ResolvedConfig['staticRoot'], string | undefined>>();
