// What `auth()` was given, per application, for the functions that only have a request.
import { type Carafe, CarafeError, type HttpRequest } from '../index.js';
import type { LoginThrottle } from './throttle.js';
import type { UserModelInfo } from './user-model.js';

export interface AuthSettings {
  readonly user: UserModelInfo;
  /** The field people log in with. */
  readonly usernameField: string;
  /** A path (`/accounts/login/`), an absolute URL, or a route name (`accounts.login`). */
  readonly loginUrl: string;
  /** The query parameter carrying where to go after logging in. */
  readonly redirectField: string;
  /** Counts failed logins; `undefined` when `auth({ loginThrottle: false })`. */
  readonly throttle: LoginThrottle | undefined;
  /** Whether the user is read on demand (`getUser`) rather than before every handler. */
  readonly lazyUser: boolean;
}

const installed = new WeakMap<Carafe, AuthSettings>();

export function installSettings(app: Carafe, settings: AuthSettings): void {
  installed.set(app, settings);
}

export function settingsOf(req: HttpRequest): AuthSettings {
  const settings = installed.get(req.app);
  if (settings === undefined) {
    throw new CarafeError(
      'CARAFE_AUTH_NOT_INSTALLED',
      'Authentication is not installed: add auth() to config.apps, after sessions().',
    );
  }
  return settings;
}
