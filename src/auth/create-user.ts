// createUser / createSuperuser (Django's UserManager.create_user / create_superuser): the
// password is hashed on the way in, and a user created without one cannot log in with any.

import type { AnyModel, CreateInput, Instance } from '../db/index.js';
import { CarafeError } from '../index.js';
import { User } from './models.js';
import { hashPassword, unusablePassword } from './passwords/hashers.js';
import type { AuthRecord } from './store.js';
import { asAuthUser, type UserMethods } from './user.js';
import { describeUserModel } from './user-model.js';

/** A new user's fields, with the password in plain text (or none: it then never matches). */
export type NewUser<M extends AnyModel> = Omit<CreateInput<M>, 'password'> & {
  readonly password?: string | null;
};

export interface CreateUserOptions<M extends AnyModel> {
  /** The user model; `auth.User` by default. Pass yours when you swapped it. */
  readonly model?: M;
  /** The database to save to; `default` when omitted. */
  readonly using?: string;
}

/** Django's normalize_email: the domain part is not case-sensitive, so it is lowered. */
function normalizeEmail(email: unknown): unknown {
  if (typeof email !== 'string') return email;
  const at = email.lastIndexOf('@');
  return at === -1 ? email : `${email.slice(0, at)}${email.slice(at).toLowerCase()}`;
}

/** Saves a new user with a hashed password; returns it with auth's methods. */
export async function createUser<M extends AnyModel = typeof User>(
  data: NoInfer<NewUser<M>>,
  options: CreateUserOptions<M> = {},
): Promise<Instance<M> & UserMethods> {
  const model: AnyModel = options.model ?? User;
  describeUserModel(model);
  const { password, ...fields } = data as Record<string, unknown>;
  if (password !== undefined && password !== null && typeof password !== 'string') {
    throw new CarafeError(
      'CARAFE_AUTH_PASSWORD',
      'createUser({ password }) takes a string or null.',
    );
  }
  const values: Record<string, unknown> = { ...fields };
  if (typeof values.username === 'string') values.username = values.username.normalize('NFKC');
  if ('email' in values) values.email = normalizeEmail(values.email);
  values.password =
    typeof password === 'string' ? await hashPassword(password) : unusablePassword();
  const Model = model as unknown as new (data: Record<string, unknown>) => AuthRecord;
  const user = new Model(values);
  await user.save({ using: options.using });
  return asAuthUser(user) as unknown as Instance<M> & UserMethods;
}

/** `createUser` with `isStaff` and `isSuperuser` set: every permission, and the admin. */
export async function createSuperuser<M extends AnyModel = typeof User>(
  data: NoInfer<NewUser<M>>,
  options: CreateUserOptions<M> = {},
): Promise<Instance<M> & UserMethods> {
  const flags = data as { isStaff?: unknown; isSuperuser?: unknown };
  if (flags.isStaff === false || flags.isSuperuser === false) {
    throw new CarafeError(
      'CARAFE_AUTH_SUPERUSER',
      'createSuperuser() makes staff superusers: leave out isStaff and isSuperuser, or use createUser().',
    );
  }
  return createUser<M>(
    { ...data, isStaff: true, isSuperuser: true } as NoInfer<NewUser<M>>,
    options,
  );
}
