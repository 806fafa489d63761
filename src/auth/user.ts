// The user a request sees: a row of the user model with auth's methods (`hasPerm`,
// `checkPassword`, …), or the anonymous user. The methods live on a prototype placed between
// the row and its model's own prototype, so the row stays an instance of its model, keeps its
// own properties (JSON, spreading) and saves as usual; the model class itself is not changed.

import { type AnyModel, isInstance } from '../db/index.js';
import { CarafeError } from '../index.js';
import {
  hashPassword,
  isUsablePassword,
  unusablePassword,
  verifyPassword,
} from './passwords/hashers.js';
import { type AuthRecord, allPermissionCodes, userPermissionCodes } from './store.js';
import {
  builtInUserModel,
  describeUserModel,
  type UserModelInfo,
  type UserRow,
} from './user-model.js';

/** What auth adds to a user row. */
export interface UserMethods {
  readonly isAuthenticated: true;
  readonly isAnonymous: false;
  /**
   * Whether the user has `'app.codename'` (`'polls.change_question'`): given to them or to one
   * of their groups. An active superuser has every permission; an inactive user has none.
   */
  hasPerm(permission: string): Promise<boolean>;
  /** Whether the user has every one of `permissions`. */
  hasPerms(permissions: readonly string[]): Promise<boolean>;
  /** Whether the user has any permission in the app `appLabel` (what the admin index asks). */
  hasModulePerms(appLabel: string): Promise<boolean>;
  /** Every `'app.codename'` the user has, their groups' included. */
  getAllPermissions(): Promise<ReadonlySet<string>>;
  /** Hashes `password` into the `password` field; `save()` stores it. */
  setPassword(password: string): Promise<void>;
  /** Whether `password` is the user's; an outdated hash is replaced and saved on success. */
  checkPassword(password: string): Promise<boolean>;
  /** Makes every password fail (for accounts that log in some other way); `save()` stores it. */
  setUnusablePassword(): void;
  readonly hasUsablePassword: boolean;
}

/** A user row of the project's user model, with auth's methods. */
export type AuthUser = UserRow & UserMethods;

/** The user of a request that nobody logged into. */
export class AnonymousUser {
  readonly id = null;
  readonly username = '';
  readonly isAuthenticated = false;
  readonly isAnonymous = true;
  readonly isActive = false;
  readonly isStaff = false;
  readonly isSuperuser = false;

  async hasPerm(_permission: string): Promise<boolean> {
    return false;
  }

  async hasPerms(_permissions: readonly string[]): Promise<boolean> {
    return false;
  }

  async hasModulePerms(_appLabel: string): Promise<boolean> {
    return false;
  }

  async getAllPermissions(): Promise<ReadonlySet<string>> {
    return new Set();
  }

  toString(): string {
    return 'AnonymousUser';
  }
}

/** The one anonymous user; it holds nothing, so every request can share it. */
export const anonymousUser: AnonymousUser = Object.freeze(new AnonymousUser());

/** `req.user`: the logged-in user, or the anonymous user. Narrow with `isAuthenticated`. */
export type CurrentUser = AuthUser | AnonymousUser;

// Permissions are read once per user object, which a request loads afresh: once per request.
const permissionCache = new WeakMap<object, Promise<ReadonlySet<string>>>();

const describedModels = new WeakMap<object, UserModelInfo>();

function infoOf(user: AuthRecord): UserModelInfo {
  const model = user.constructor as unknown as AnyModel;
  const builtIn = builtInUserModel();
  if (model === builtIn.model) return builtIn;
  let info = describedModels.get(model);
  if (info === undefined) {
    info = describeUserModel(model);
    describedModels.set(model, info);
  }
  return info;
}

function allPermissions(user: AuthRecord): Promise<ReadonlySet<string>> {
  let permissions = permissionCache.get(user);
  if (permissions === undefined) {
    if (!user.isActive) permissions = Promise.resolve(new Set());
    else if (user.isSuperuser) permissions = allPermissionCodes();
    else permissions = userPermissionCodes(infoOf(user), user);
    permissionCache.set(user, permissions);
    // A failed query is not remembered: the next call tries again.
    permissions.catch(() => permissionCache.delete(user));
  }
  return permissions;
}

async function hasPerm(user: AuthRecord, permission: string): Promise<boolean> {
  if (!user.isActive) return false;
  if (user.isSuperuser) return true;
  return (await allPermissions(user)).has(permission);
}

const methods: ThisType<AuthRecord> &
  Omit<UserMethods, 'hasUsablePassword' | 'isAuthenticated' | 'isAnonymous'> = {
  hasPerm(permission) {
    return hasPerm(this, permission);
  },
  async hasPerms(permissions) {
    for (const permission of permissions) {
      if (!(await hasPerm(this, permission))) return false;
    }
    return true;
  },
  async hasModulePerms(appLabel) {
    if (!this.isActive) return false;
    if (this.isSuperuser) return true;
    const prefix = `${appLabel}.`;
    for (const permission of await allPermissions(this)) {
      if (permission.startsWith(prefix)) return true;
    }
    return false;
  },
  getAllPermissions() {
    return allPermissions(this);
  },
  async setPassword(password) {
    this.password = await hashPassword(password);
  },
  async checkPassword(password) {
    const { valid, needsUpgrade } = await verifyPassword(password, this.password);
    if (valid && needsUpgrade) {
      this.password = await hashPassword(password);
      if (!this.isNew) await this.save({ updateFields: ['password'] });
    }
    return valid;
  },
  setUnusablePassword() {
    this.password = unusablePassword();
  },
};

const descriptors: PropertyDescriptorMap = {
  isAuthenticated: { value: true },
  isAnonymous: { value: false },
  hasUsablePassword: {
    get(this: AuthRecord) {
      return isUsablePassword(this.password);
    },
  },
};
for (const [name, value] of Object.entries(methods)) descriptors[name] = { value, writable: true };

const authPrototypes = new WeakMap<object, object>();
const isAuthPrototype = new WeakSet<object>();

/**
 * Gives a user row auth's methods (`hasPerm`, `setPassword`, …) and returns it. `req.user`,
 * `authenticate()` and `createUser()` return rows that already have them; use this for rows you
 * load yourself: `asAuthUser(await User.objects.get({ username: 'ada' }))`.
 */
export function asAuthUser<U extends object>(user: U): U & UserMethods {
  if (!isInstance(user)) {
    throw new CarafeError(
      'CARAFE_AUTH_NOT_A_USER',
      'asAuthUser() takes a row of the user model (an instance returned by its queries or constructor).',
    );
  }
  const current: object = Object.getPrototypeOf(user);
  if (!isAuthPrototype.has(current)) {
    infoOf(user as unknown as AuthRecord);
    let prototype = authPrototypes.get(current);
    if (prototype === undefined) {
      prototype = Object.create(current, descriptors) as object;
      authPrototypes.set(current, prototype);
      isAuthPrototype.add(prototype);
    }
    Object.setPrototypeOf(user, prototype);
  }
  return user as unknown as U & UserMethods;
}

/** A row auth loaded itself, typed as the project's user. */
export function authUserOf(record: AuthRecord): AuthUser {
  return asAuthUser(record) as unknown as AuthUser;
}
