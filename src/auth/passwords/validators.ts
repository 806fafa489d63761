// Password validators (Django's AUTH_PASSWORD_VALIDATORS): each says what is wrong with a new
// password, or nothing. `validatePassword` runs a list and collects every message, so a form
// can show them all at once.

/** What validators may know about the user the password is for (all optional). */
export interface PasswordUser {
  readonly username?: unknown;
  readonly email?: unknown;
  readonly firstName?: unknown;
  readonly lastName?: unknown;
}

export interface PasswordValidator {
  /** The message when `password` is not acceptable, else `undefined`. */
  validate(password: string, user?: PasswordUser): string | undefined | Promise<string | undefined>;
  /** The rule in one sentence, for the help text under a password field. */
  readonly helpText: string;
}

/** At least `length` characters (8 by default). */
export function minimumLength(length = 8): PasswordValidator {
  const unit = length === 1 ? 'character' : 'characters';
  return {
    helpText: `Your password must contain at least ${length} ${unit}.`,
    validate: (password) =>
      password.length < length
        ? `This password is too short: use at least ${length} ${unit}.`
        : undefined,
  };
}

/** Not made of digits only. */
export function notNumeric(): PasswordValidator {
  return {
    helpText: 'Your password can’t be entirely numeric.',
    validate: (password) =>
      /^\d+$/.test(password) ? 'This password is entirely numeric.' : undefined,
  };
}

let commonList: Promise<ReadonlySet<string>> | undefined;

function shippedCommonPasswords(): Promise<ReadonlySet<string>> {
  commonList ??= import('./common-passwords.js').then(
    ({ default: text }) => new Set(text.split('\n').filter((line) => line !== '')),
  );
  return commonList;
}

/**
 * Not among the ~10,000 most used passwords (compared in lower case). Give `passwords` to use
 * your own list instead of the one Carafe ships.
 */
export function notCommon(options: { passwords?: Iterable<string> } = {}): PasswordValidator {
  const own =
    options.passwords === undefined
      ? undefined
      : new Set([...options.passwords].map((password) => password.trim().toLowerCase()));
  return {
    helpText: 'Your password can’t be a commonly used password.',
    async validate(password) {
      const list = own ?? (await shippedCommonPasswords());
      return list.has(password.trim().toLowerCase()) ? 'This password is too common.' : undefined;
    },
  };
}

const attributeLabels: Readonly<Record<string, string>> = {
  username: 'username',
  email: 'email address',
  firstName: 'first name',
  lastName: 'last name',
};

/**
 * How alike two strings are, from 0 to 1: twice the characters they share (counting repeats)
 * over their total length. Order is ignored, so it errs towards "alike".
 */
function likeness(a: string, b: string): number {
  if (a.length + b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of b) counts.set(char, (counts.get(char) ?? 0) + 1);
  let shared = 0;
  for (const char of a) {
    const left = counts.get(char) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(char, left - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

/**
 * Not too close to the user's username, email, first or last name (or `attributes` you name):
 * compared with each whole value and with each word of it, in lower case. `maxSimilarity`
 * (0.7 by default) is the likeness from which a password is refused.
 */
export function notSimilarToUser(
  options: { attributes?: readonly (keyof PasswordUser)[]; maxSimilarity?: number } = {},
): PasswordValidator {
  const attributes = options.attributes ?? ['username', 'firstName', 'lastName', 'email'];
  const maxSimilarity = options.maxSimilarity ?? 0.7;
  return {
    helpText: 'Your password can’t be too similar to your other personal information.',
    validate(password, user) {
      if (user === undefined) return undefined;
      const lowered = password.toLowerCase();
      for (const attribute of attributes) {
        const value = user[attribute];
        if (typeof value !== 'string' || value === '') continue;
        const whole = value.toLowerCase();
        const parts = [whole, ...whole.split(/[^\p{L}\p{N}_]+/u).filter((part) => part !== '')];
        if (parts.some((part) => likeness(lowered, part) >= maxSimilarity)) {
          return `This password is too similar to the ${attributeLabels[attribute] ?? attribute}.`;
        }
      }
      return undefined;
    },
  };
}

/** Django's four: similarity to the user, at least 8 characters, not common, not all digits. */
export const defaultPasswordValidators: readonly PasswordValidator[] = Object.freeze([
  notSimilarToUser(),
  minimumLength(8),
  notCommon(),
  notNumeric(),
]);

/**
 * Every problem `validators` find with `password` (an empty list when it is acceptable). Pass
 * the user it is for, saved or not, so the similarity check has something to compare with.
 */
export async function validatePassword(
  password: string,
  user?: PasswordUser,
  validators: readonly PasswordValidator[] = defaultPasswordValidators,
): Promise<string[]> {
  const messages: string[] = [];
  for (const validator of validators) {
    const message = await validator.validate(password, user);
    if (message !== undefined) messages.push(message);
  }
  return messages;
}

/** The rules of `validators`, one sentence each, for a password field's help text. */
export function passwordHelpTexts(
  validators: readonly PasswordValidator[] = defaultPasswordValidators,
): string[] {
  return validators.map((validator) => validator.helpText);
}
