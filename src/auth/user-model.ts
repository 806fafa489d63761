// Which model holds the users: the built-in `auth.User`, or a project's own (Django's
// AUTH_USER_MODEL). A custom model must have the fields auth reads; this checks it once, when the
// app starts, and records how to reach its permissions from the Permission and Group side.

import type { AnyModel, Field, InstanceOf, ModelMeta, RelationField } from '../db/index.js';
import { CarafeError } from '../index.js';
import { Group, Permission, User } from './models.js';

/**
 * Tells TypeScript that the project swapped the user model, so `req.user` has its fields:
 * `declare module 'carafe/auth' { interface AuthUserModel { model: typeof Account } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface AuthUserModel {}

/** The project's user model: `auth.User`, unless `AuthUserModel` names another. */
export type UserModel = AuthUserModel extends { model: infer M extends AnyModel } ? M : typeof User;

/** The fields auth reads and writes on every user model. */
export interface AuthFields {
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  lastLogin: Date | null;
}

/** A user row of the project's model, before auth's methods are added. */
export type UserRow = InstanceOf<UserModel>;

/** What auth knows about the user model of one app. */
export interface UserModelInfo {
  readonly model: AnyModel;
  readonly meta: ModelMeta;
  /** How `Permission` reaches these users (`users` for `auth.User`), if they have permissions. */
  readonly permissionUsers: string | undefined;
  /** How `Group` reaches these users, if they have groups. */
  readonly groupUsers: string | undefined;
}

const required: readonly (readonly [name: string, kinds: readonly string[], what: string])[] = [
  ['password', ['string', 'text'], 'f.string({ max: 128 })'],
  ['isActive', ['boolean'], 'f.boolean({ default: true })'],
  ['isStaff', ['boolean'], 'f.boolean({ default: false })'],
  ['isSuperuser', ['boolean'], 'f.boolean({ default: false })'],
  ['lastLogin', ['datetime'], 'f.datetime({ nullable: true, blank: true })'],
];

function contractError(meta: ModelMeta, problem: string): CarafeError {
  return new CarafeError(
    'CARAFE_AUTH_USER_MODEL',
    `auth({ userModel: ${meta.label} }): ${problem}. A user model needs password, isActive, isStaff, ` +
      'isSuperuser and lastLogin fields, a unique login field (usernameField), and may have ' +
      "groups (many-to-many to 'auth.Group') and userPermissions (many-to-many to 'auth.Permission'). " +
      'See the authentication guide, "Your own user model".',
  );
}

function isRelation(field: Field): field is RelationField {
  return field.isRelation;
}

/** The accessor on `target` that leads back to the user model through `name`, if it has one. */
function reverseName(meta: ModelMeta, name: string, target: ModelMeta): string | undefined {
  const field = meta.fieldByName.get(name);
  if (field === undefined) return undefined;
  if (
    !isRelation(field) ||
    field.kind !== 'manyToMany' ||
    !field.resolve() ||
    field.target !== target
  ) {
    throw contractError(meta, `"${name}" must be a many-to-many field to '${target.label}'`);
  }
  const related = field.relatedName;
  if (related === undefined) {
    throw contractError(
      meta,
      `"${name}" needs a relatedName (not '+'): permissions are looked up through it`,
    );
  }
  return related;
}

/** Checks `model` against what auth needs; throws `CARAFE_AUTH_USER_MODEL` naming what is missing. */
export function describeUserModel(model: AnyModel): UserModelInfo {
  const meta = model.meta;
  for (const [name, kinds, what] of required) {
    const field = meta.fieldByName.get(name);
    if (field === undefined || !kinds.includes(field.kind)) {
      throw contractError(meta, `it has no ${name} field like ${what}`);
    }
  }
  return {
    model,
    meta,
    permissionUsers: reverseName(meta, 'userPermissions', Permission.meta),
    groupUsers: reverseName(meta, 'groups', Group.meta),
  };
}

/** Checks that people can log in with `name`: a stored, unique field of the user model. */
export function checkLoginField(meta: ModelMeta, name: string): void {
  const login = meta.fieldByName.get(name);
  if (login === undefined || !login.concrete || login.isRelation) {
    throw contractError(meta, `the login field "${name}" is not one of its fields`);
  }
  if (!login.unique && !login.primaryKey) {
    throw contractError(meta, `the login field "${name}" must be unique: f.…({ unique: true })`);
  }
}

/** The built-in model's description, made on first use. */
let builtIn: UserModelInfo | undefined;
export function builtInUserModel(): UserModelInfo {
  builtIn ??= describeUserModel(User);
  return builtIn;
}
