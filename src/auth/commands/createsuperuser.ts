// `carafe createsuperuser` (Django's): asks for the login name, the email and the password at the
// terminal, or takes them from options and CARAFE_SUPERUSER_* environment variables.
import { CarafeError } from '../../index.js';
import { authSettingsOf } from '../app.js';
import { createSuperuser, type NewUser } from '../create-user.js';
import { validatePassword } from '../passwords/validators.js';
import { findUser } from '../store.js';
import type { AuthUser } from '../user.js';
import type { UserModelInfo } from '../user-model.js';
import { Prompter } from './prompt.js';
import { type CommandStreams, fieldProblems, systemUsername, validatorsOf } from './shared.js';

export interface CreatesuperuserOptions extends CommandStreams {
  /** The login field's value (`username`, or `email` with such a user model). */
  readonly username?: string;
  readonly email?: string;
  /**
   * Without prompts only; otherwise `CARAFE_SUPERUSER_PASSWORD`. With neither, the user gets an
   * unusable password (set one later with `changepassword`).
   */
  readonly password?: string;
  /** Where `CARAFE_SUPERUSER_*` variables are read; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** `isStaff` → `IS_STAFF`, for `CARAFE_SUPERUSER_<FIELD>` (Django's DJANGO_SUPERUSER_<FIELD>). */
function envName(field: string): string {
  return `CARAFE_SUPERUSER_${field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

interface Target {
  readonly info: UserModelInfo;
  readonly loginField: string;
  /** Whether to ask for an email besides the login field. */
  readonly email: boolean;
  readonly using: string | undefined;
}

/** What is wrong with `value` for the login field; `taken` when only that someone has it. */
async function loginProblems(
  target: Target,
  value: string,
): Promise<{ readonly problems: string[]; readonly taken: boolean }> {
  if (value === '') return { problems: ['This field cannot be blank.'], taken: false };
  const problems = fieldProblems(target.info.model, target.loginField, value);
  if (problems.length > 0) return { problems, taken: false };
  const taken = (await findUser(target.info, target.loginField, value, target.using)) !== null;
  return { problems: taken ? [`That ${target.loginField} is already taken.`] : [], taken };
}

async function save(
  target: Target,
  values: Record<string, string>,
  password: string | undefined,
): Promise<AuthUser> {
  const data = { ...values, password: password ?? null } as NewUser<typeof target.info.model>;
  const user = await createSuperuser(data, { model: target.info.model, using: target.using });
  return user as unknown as AuthUser;
}

/**
 * Creates a superuser. Interactively it asks for each value (passwords hidden at a terminal,
 * the password rules applied with the choice to bypass them); otherwise it reads the options,
 * then `CARAFE_SUPERUSER_USERNAME`, `CARAFE_SUPERUSER_EMAIL` and `CARAFE_SUPERUSER_PASSWORD`,
 * and throws a `CarafeError` naming what is missing or wrong. Resolves to the new user.
 */
export async function createsuperuserCommand(options: CreatesuperuserOptions): Promise<AuthUser> {
  const settings = authSettingsOf(options.apps);
  const target: Target = {
    info: settings.user,
    loginField: settings.usernameField,
    email: settings.usernameField !== 'email' && settings.user.meta.fieldByName.has('email'),
    using: options.using,
  };
  return options.interactive ? interactive(target, options) : unattended(target, options);
}

async function unattended(target: Target, options: CreatesuperuserOptions): Promise<AuthUser> {
  const env = options.env ?? process.env;
  const variable = envName(target.loginField);
  const login = (options.username ?? env[variable])?.normalize('NFKC');
  if (login === undefined || login === '') {
    throw new CarafeError(
      'CARAFE_AUTH_MISSING_FIELD',
      `createsuperuser without prompts needs the ${target.loginField}: pass --username or set ${variable}.`,
    );
  }
  const values: Record<string, string> = { [target.loginField]: login };
  const { problems, taken } = await loginProblems(target, login);
  if (problems.length > 0) {
    throw new CarafeError(
      taken ? 'CARAFE_AUTH_USER_EXISTS' : 'CARAFE_AUTH_INVALID_FIELD',
      `${target.loginField}: ${problems.join(' ')}`,
    );
  }
  if (target.email) {
    const email = options.email ?? env.CARAFE_SUPERUSER_EMAIL ?? '';
    const issues = fieldProblems(target.info.model, 'email', email);
    if (issues.length > 0) {
      throw new CarafeError('CARAFE_AUTH_INVALID_FIELD', `email: ${issues.join(' ')}`);
    }
    values.email = email;
  }
  const password = options.password ?? env.CARAFE_SUPERUSER_PASSWORD;
  if (password !== undefined) {
    if (password === '') {
      throw new CarafeError('CARAFE_AUTH_PASSWORD_INVALID', 'The password cannot be blank.');
    }
    const problems = await validatePassword(password, values, validatorsOf(options));
    if (problems.length > 0) {
      throw new CarafeError(
        'CARAFE_AUTH_PASSWORD_INVALID',
        `${problems.join(' ')} Choose another password, or skip the rules with --skip-validation.`,
      );
    }
  }
  const user = await save(target, values, password);
  (options.output ?? process.stdout).write('Superuser created successfully.\n');
  return user;
}

async function interactive(target: Target, options: CreatesuperuserOptions): Promise<AuthUser> {
  const prompter = new Prompter(options.input ?? process.stdin, options.output ?? process.stdout);
  try {
    const values: Record<string, string> = {};
    values[target.loginField] = await askLogin(prompter, target, options.username);
    if (target.email) values.email = await askEmail(prompter, target, options.email);
    const password = await askPassword(prompter, values, options);
    const user = await save(target, values, password);
    prompter.write('Superuser created successfully.\n');
    return user;
  } finally {
    prompter.close();
  }
}

async function askLogin(
  prompter: Prompter,
  target: Target,
  given: string | undefined,
): Promise<string> {
  const field = target.loginField;
  if (given !== undefined) {
    const { problems } = await loginProblems(target, given.normalize('NFKC'));
    if (problems.length === 0) return given.normalize('NFKC');
    for (const problem of problems) prompter.write(`Error: ${problem}\n`);
  }
  // Django offers the OS account's name when it would do.
  const system = field === 'username' ? systemUsername() : undefined;
  const suggestion =
    system !== undefined && (await loginProblems(target, system)).problems.length === 0
      ? system
      : undefined;
  const label = field.charAt(0).toUpperCase() + field.slice(1);
  const question =
    suggestion === undefined ? `${label}: ` : `${label} (leave blank to use '${suggestion}'): `;
  for (;;) {
    const answer = (await prompter.ask(question)).trim().normalize('NFKC');
    const value = answer === '' && suggestion !== undefined ? suggestion : answer;
    const { problems } = await loginProblems(target, value);
    if (problems.length === 0) return value;
    for (const problem of problems) prompter.write(`Error: ${problem}\n`);
  }
}

async function askEmail(
  prompter: Prompter,
  target: Target,
  given: string | undefined,
): Promise<string> {
  if (given !== undefined) {
    const problems = fieldProblems(target.info.model, 'email', given);
    if (problems.length === 0) return given;
    for (const problem of problems) prompter.write(`Error: ${problem}\n`);
  }
  for (;;) {
    const value = (await prompter.ask('Email address: ')).trim();
    const problems = fieldProblems(target.info.model, 'email', value);
    if (problems.length === 0) return value;
    for (const problem of problems) prompter.write(`Error: ${problem}\n`);
  }
}

async function askPassword(
  prompter: Prompter,
  values: Record<string, string>,
  options: CreatesuperuserOptions,
): Promise<string> {
  for (;;) {
    const password = await prompter.ask('Password: ', { hidden: true });
    const again = await prompter.ask('Password (again): ', { hidden: true });
    if (password !== again) {
      prompter.write("Error: Your passwords didn't match.\n");
      continue;
    }
    if (password.trim() === '') {
      prompter.write("Error: Blank passwords aren't allowed.\n");
      continue;
    }
    const problems = await validatePassword(password, values, validatorsOf(options));
    if (problems.length === 0) return password;
    for (const problem of problems) prompter.write(`${problem}\n`);
    if (await prompter.confirm('Bypass password validation and create user anyway? [y/N]: ')) {
      return password;
    }
  }
}
