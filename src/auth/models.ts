// The auth app's models, with Django's table and column names (`auth_user`, `auth_group`,
// `auth_user_groups`, …), so rows can be copied over from a Django project. Permission names
// its model by label text (`'polls.question'`) where Django has a content-type foreign key.
// Token (API tokens for scripts) has no Django counterpart; its table is `auth_token`. Token
// points at `userModel`, which follows `auth({ userModel })`.
import { f, model, type SwappableRef, swappableModel } from '../db/index.js';
import type { UserModel } from './user-model.js';

export const Permission = model(
  'auth.Permission',
  {
    /** Shown to people: `Can change question`. */
    name: f.string({ max: 255 }),
    /** The model it is about, as its lower-case label: `polls.question`. */
    model: f.string({ max: 100 }),
    /** `change_question`; with the model's app it makes `polls.change_question`. */
    codename: f.string({ max: 100 }),
  },
  {
    uniqueTogether: [['model', 'codename']],
    ordering: ['model', 'codename'],
    display: (permission) => `${permission.model} | ${permission.name}`,
  },
);

export const Group = model(
  'auth.Group',
  {
    name: f.string({ max: 150, unique: true }),
    permissions: f.manyToMany(() => Permission, { relatedName: 'groups', blank: true }),
  },
  { display: (group) => group.name },
);

/** Django's username rule: letters, digits and `@ . + - _`. */
function usernameCharacters(value: string): string | undefined {
  return /^[\p{L}\p{N}_.@+-]+$/u.test(value)
    ? undefined
    : 'Enter a valid username: letters, digits and @ . + - _ only.';
}

export const User = model(
  'auth.User',
  {
    username: f.string({
      max: 150,
      unique: true,
      validators: [usernameCharacters],
      helpText: 'Required. 150 characters or fewer. Letters, digits and @ . + - _ only.',
    }),
    /** The hash (`scrypt$…`), never the password; set it with `setPassword()`. */
    password: f.string({ max: 128 }),
    firstName: f.string({ max: 150, blank: true, default: '' }),
    lastName: f.string({ max: 150, blank: true, default: '' }),
    email: f.email({ blank: true, default: '' }),
    isStaff: f.boolean({
      default: false,
      label: 'staff status',
      helpText: 'Whether the user can log into the admin site.',
    }),
    isActive: f.boolean({
      default: true,
      label: 'active',
      helpText: 'Whether the user can log in. Unselect this instead of deleting accounts.',
    }),
    isSuperuser: f.boolean({
      default: false,
      label: 'superuser status',
      helpText: 'Whether the user has every permission without their being given.',
    }),
    lastLogin: f.datetime({ nullable: true, blank: true }),
    dateJoined: f.datetime({ default: () => new Date() }),
    groups: f.manyToMany(() => Group, {
      relatedName: 'users',
      blank: true,
      helpText: 'The user has every permission of each of their groups.',
    }),
    userPermissions: f.manyToMany(() => Permission, {
      relatedName: 'users',
      blank: true,
      label: 'user permissions',
    }),
  },
  { display: (user) => user.username },
);

/**
 * The project's user model as a relation target (Django's `settings.AUTH_USER_MODEL`):
 * `f.foreignKey(userModel, { onDelete: 'cascade' })` points at `auth.User`, or at the model
 * given to `auth({ userModel })`, and its migrations say `swappable('auth.User')`.
 */
// The cast states what `auth({ userModel })` and the `AuthUserModel` declaration promise together.
export const userModel = swappableModel(
  'auth.User',
  () => User,
) as SwappableRef as SwappableRef<UserModel>;

/**
 * An API token for scripts (`Authorization: Bearer …`). Only a hash of its secret is stored; the
 * plain token is shown once, by `createToken()`. Points at the project's user model.
 */
export const Token = model(
  'auth.Token',
  {
    user: f.foreignKey(userModel, { onDelete: 'cascade', relatedName: 'tokens' }),
    /** What the token is for, to tell tokens apart when revoking one: `deploy script`. */
    name: f.string({ max: 100, blank: true, default: '' }),
    /** The public part of the token, by which it is found. */
    prefix: f.string({ max: 16, unique: true, editable: false }),
    /** SHA-256 of the secret part, in hex. */
    secretHash: f.string({ max: 64, editable: false }),
    created: f.datetime({ default: () => new Date(), editable: false }),
    /** Updated at most once a minute. */
    lastUsed: f.datetime({ nullable: true, blank: true, editable: false }),
    /** After this moment the token is refused; `null`: never. */
    expires: f.datetime({ nullable: true, blank: true }),
  },
  {
    ordering: ['-created'],
    display: (token) => (token.name === '' ? token.prefix : `${token.name} (${token.prefix})`),
  },
);

declare module '../db/index.js' {
  interface RegisteredModels {
    auth: typeof import('./models.js');
  }
}
