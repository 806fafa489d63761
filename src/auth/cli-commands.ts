// `carafe createsuperuser` and `carafe changepassword`: auth defines them as app commands, since
// only auth knows the configured user model and its login field.
import { parseArgs } from 'node:util';
import type { AppCommand } from '../index.js';
import { changepasswordCommand } from './commands/changepassword.js';
import { createsuperuserCommand } from './commands/createsuperuser.js';

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      noinput: { type: 'boolean' },
      'no-input': { type: 'boolean' },
      'skip-validation': { type: 'boolean' },
      database: { type: 'string' },
      username: { type: 'string' },
      email: { type: 'string' },
    },
  });
}

export const authCommands: Record<string, AppCommand> = {
  createsuperuser: {
    description:
      'Create a superuser (asks on a terminal; --noinput with --username/--email and CARAFE_SUPERUSER_PASSWORD)',
    async run(args, context): Promise<void> {
      const { values } = parse(args);
      // The command reports success itself ("Superuser created successfully.").
      await createsuperuserCommand({
        apps: context.app.apps,
        interactive: context.interactive && values.noinput !== true && values['no-input'] !== true,
        username: values.username,
        email: values.email,
        skipValidation: values['skip-validation'] === true,
        using: values.database,
      });
    },
  },
  changepassword: {
    description: "Change a user's password: carafe changepassword [username]",
    async run(args, context): Promise<void> {
      const { values, positionals } = parse(args);
      await changepasswordCommand({
        apps: context.app.apps,
        interactive: context.interactive && values.noinput !== true && values['no-input'] !== true,
        username: positionals[0],
        skipValidation: values['skip-validation'] === true,
        using: values.database,
      });
    },
  },
};
