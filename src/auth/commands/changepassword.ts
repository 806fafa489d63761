// `carafe changepassword [username]` (Django's): sets a user's password, asked twice at the
// terminal (three tries), or given as an option by a script.
import { CarafeError } from '../../index.js';
import { authSettingsOf } from '../app.js';
import { validatePassword } from '../passwords/validators.js';
import { findUser } from '../store.js';
import { type AuthUser, authUserOf } from '../user.js';
import { Prompter } from './prompt.js';
import { type CommandStreams, systemUsername, validatorsOf } from './shared.js';

export interface ChangepasswordOptions extends CommandStreams {
  /** The login field's value; the OS account's name by default, as in Django. */
  readonly username?: string;
  /** The new password, for runs without prompts (`interactive: false`). */
  readonly password?: string;
}

const maxTries = 3;

/**
 * Changes a user's password. Interactively it asks twice (hidden at a terminal) and gives up
 * after three mismatches or refusals by the password rules; without prompts it takes `password`.
 * Every session of the user ends, as with any password change. Resolves to the user.
 */
export async function changepasswordCommand(options: ChangepasswordOptions): Promise<AuthUser> {
  const settings = authSettingsOf(options.apps);
  const username = options.username ?? (options.interactive ? systemUsername() : undefined);
  if (username === undefined || username === '') {
    throw new CarafeError(
      'CARAFE_AUTH_MISSING_FIELD',
      `changepassword needs the ${settings.usernameField} of the user whose password to change.`,
    );
  }
  const record = await findUser(settings.user, settings.usernameField, username, options.using);
  if (record === null) {
    throw new CarafeError('CARAFE_AUTH_NO_SUCH_USER', `The user '${username}' does not exist.`);
  }
  const user = authUserOf(record);
  const validators = validatorsOf(options);
  let password: string;
  if (options.interactive) {
    password = await askPassword(user, username, options);
  } else {
    if (options.password === undefined || options.password === '') {
      throw new CarafeError(
        'CARAFE_AUTH_MISSING_FIELD',
        'changepassword without prompts needs the new password (the password option).',
      );
    }
    const problems = await validatePassword(options.password, user, validators);
    if (problems.length > 0) {
      throw new CarafeError('CARAFE_AUTH_PASSWORD_INVALID', problems.join(' '));
    }
    password = options.password;
  }
  await user.setPassword(password);
  await record.save({ updateFields: ['password'], using: options.using });
  (options.output ?? process.stdout).write(
    `Password changed successfully for user '${username}'.\n`,
  );
  return user;
}

async function askPassword(
  user: AuthUser,
  username: string,
  options: ChangepasswordOptions,
): Promise<string> {
  const prompter = new Prompter(options.input ?? process.stdin, options.output ?? process.stdout);
  try {
    prompter.write(`Changing password for user '${username}'\n`);
    for (let tries = 0; tries < maxTries; tries++) {
      const password = await prompter.ask('Password: ', { hidden: true });
      const again = await prompter.ask('Password (again): ', { hidden: true });
      if (password !== again) {
        prompter.write('Passwords do not match. Please try again.\n');
        continue;
      }
      const problems =
        password === ''
          ? ["Blank passwords aren't allowed."]
          : await validatePassword(password, user, validatorsOf(options));
      if (problems.length === 0) return password;
      for (const problem of problems) prompter.write(`${problem}\n`);
    }
    throw new CarafeError(
      'CARAFE_AUTH_PASSWORD_ATTEMPTS',
      `Aborting password change for user '${username}' after ${maxTries} attempts.`,
    );
  } finally {
    prompter.close();
  }
}
