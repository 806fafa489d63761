// 'carafe/auth': users, groups and permissions, password hashing and validation, login and
// logout through the session, `req.user`, and route guards.
export { type AuthOptions, auth } from './app.js';
export {
  type CreatePermissionsOptions,
  createPermissions,
  defaultPermissionActions,
} from './create-permissions.js';
export {
  type CreateUserOptions,
  createSuperuser,
  createUser,
  type NewUser,
} from './create-user.js';
export {
  type GuardOptions,
  loginNotRequired,
  loginRequired,
  permissionRequired,
  staffRequired,
} from './guards.js';
export { authenticate, getUser, login, logout, updateSessionAuthHash } from './login.js';
export { Group, Permission, User } from './models.js';
export {
  hashPassword,
  isUsablePassword,
  type PasswordCheck,
  unusablePassword,
  verifyPassword,
} from './passwords/hashers.js';
export {
  defaultPasswordValidators,
  minimumLength,
  notCommon,
  notNumeric,
  notSimilarToUser,
  type PasswordUser,
  type PasswordValidator,
  passwordHelpTexts,
  validatePassword,
} from './passwords/validators.js';
export {
  type UserLoggedInPayload,
  type UserLoggedOutPayload,
  type UserLoginFailedPayload,
  userLoggedIn,
  userLoggedOut,
  userLoginFailed,
} from './signals.js';
export {
  AnonymousUser,
  type AuthUser,
  anonymousUser,
  asAuthUser,
  type CurrentUser,
  type UserMethods,
} from './user.js';
export type { AuthFields, AuthUserModel, UserModel } from './user-model.js';
