// What the two commands share: their options, the user model's field checks, the OS user name.
import { userInfo } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import type { AnyModel } from '../../db/index.js';
import type { AppDefinition } from '../../index.js';
import { defaultPasswordValidators, type PasswordValidator } from '../passwords/validators.js';

export interface CommandStreams {
  /** The project's apps (`config.apps`), to find `auth()`'s user model and login field. */
  readonly apps?: readonly AppDefinition[];
  /** Ask at the terminal (`true`), or take every value from the options and the environment. */
  readonly interactive: boolean;
  /** Where answers are read; `process.stdin` by default. Passwords are hidden when it is a TTY. */
  readonly input?: Readable;
  /** Where questions and messages go; `process.stdout` by default. */
  readonly output?: Writable;
  /** The database; `default` when omitted. */
  readonly using?: string;
  /** The rules a new password must pass; Django's four by default. */
  readonly validators?: readonly PasswordValidator[];
  /** Skip the password rules without asking (non-interactive runs, scripts). */
  readonly skipValidation?: boolean;
}

export function validatorsOf(options: CommandStreams): readonly PasswordValidator[] {
  return options.skipValidation ? [] : (options.validators ?? defaultPasswordValidators);
}

/**
 * What the model's own checks say about `value` for the text field `name` — blank, length and
 * validators, with the model layer's words. Uniqueness is the caller's to check.
 */
export function fieldProblems(model: AnyModel, name: string, value: string): string[] {
  const field = model.meta.fieldByName.get(name);
  if (field === undefined) return [];
  if (value === '') return field.blank ? [] : ['This field cannot be blank.'];
  const problems: string[] = [];
  if (field.maxLength !== undefined && value.length > field.maxLength) {
    problems.push(
      `Ensure this value has at most ${field.maxLength} characters (it has ${value.length}).`,
    );
  }
  for (const validator of field.validators) {
    const message = validator(value as never);
    if (message !== undefined) problems.push(message);
  }
  return problems;
}

/** The OS account's name, as Django's commands default to. */
export function systemUsername(): string | undefined {
  try {
    const name = userInfo().username;
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
}
