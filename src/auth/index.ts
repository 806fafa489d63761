// 'carafe/auth': users, groups and permissions, password hashing and validation, login and
// logout through the session, `req.user`, route guards, the account pages, login throttling,
// API tokens, and the createsuperuser / changepassword commands.
export { type AuthOptions, auth } from './app.js';
export { type ChangepasswordOptions, changepasswordCommand } from './commands/changepassword.js';
export {
  type CreatesuperuserOptions,
  createsuperuserCommand,
} from './commands/createsuperuser.js';
export type { CommandStreams } from './commands/shared.js';
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
export { Group, Permission, Token, User, userModel } from './models.js';
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
export { PasswordResetTokenGenerator, type PasswordResetTokenOptions } from './reset-tokens.js';
export {
  type UserLoggedInPayload,
  type UserLoggedOutPayload,
  type UserLoginFailedPayload,
  userLoggedIn,
  userLoggedOut,
  userLoginFailed,
} from './signals.js';
export { forceLogin, forceLogout } from './testing.js';
export {
  cacheThrottleStore,
  LoginThrottled,
  type LoginThrottleOptions,
  MemoryThrottleStore,
  type MemoryThrottleStoreOptions,
  type ThrottleCache,
  type ThrottleStore,
} from './throttle.js';
export {
  type ApiToken,
  authenticateToken,
  type CreatedToken,
  type CreateTokenOptions,
  createToken,
  requestToken,
  revokeToken,
  tokenAuth,
} from './tokens.js';
export {
  AnonymousUser,
  type AuthUser,
  anonymousUser,
  asAuthUser,
  type CurrentUser,
  type UserMethods,
} from './user.js';
export type { AuthFields, AuthUserModel, UserModel } from './user-model.js';
export { type AuthViewsOptions, authViews } from './views/index.js';
