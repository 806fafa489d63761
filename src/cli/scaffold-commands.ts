// `carafe new` and `carafe startapp`, listed with the other built-in commands.
import type { BuiltinCommand } from './commands.js';

export const scaffoldCommands: readonly BuiltinCommand[] = [
  {
    name: 'new',
    group: 'Project',
    summary: 'Make a new project in ./<name>: config, one app, a test, ready to run.',
    details:
      'Writes package.json, carafe.config.ts, tsconfig.json, src/main.ts, the pages app with its ' +
      'home page and test, scripts/test.mjs, .gitignore, a README and .env.example with a new ' +
      'secret key (copy it to .env for development). Refuses a folder that exists and is not empty.',
    positionals: [
      { name: 'name', description: 'The folder and npm package name.', required: true },
    ],
    options: {
      carafe: {
        type: 'string',
        value: 'SPEC',
        description:
          "The carafe dependency in package.json (default: this version, ^x.y.z); 'file:/path/to/carafe' for a checkout.",
      },
    },
    examples: ['carafe new mysite', 'carafe new mysite --carafe file:../carafe'],
    load: async () => (await import('./commands/new.js')).runNew,
  },
  {
    name: 'startapp',
    group: 'Project',
    summary: 'Make an app in src/<name>/: models, routes, admin, templates, migrations, tests.',
    details:
      'Run it in the project folder. The app is not listed in carafe.config.ts for you: the ' +
      'command prints the lines to add.',
    positionals: [
      { name: 'name', description: 'The app name: a-z, 0-9 and _ (polls).', required: true },
    ],
    options: {},
    examples: ['carafe startapp polls'],
    load: async () => (await import('./commands/startapp.js')).runStartapp,
  },
];
