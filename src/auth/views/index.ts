// `authViews()`: Django's `django.contrib.auth.urls` as a blueprint — login, logout, password
// change and password reset pages, with templates a project overrides by name.
import { fileURLToPath } from 'node:url';
import { Blueprint } from '../../index.js';
import { loginNotRequired, loginRequired } from '../guards.js';
import { loginView, logoutView } from './login.js';
import { type AuthViewsOptions, resolveViewOptions, type ViewRoutes } from './options.js';
import { passwordChangeDoneView, passwordChangeView } from './password-change.js';
import {
  passwordResetCompleteView,
  passwordResetConfirmView,
  passwordResetDoneView,
  passwordResetView,
} from './password-reset.js';

export type { AuthViewsOptions } from './options.js';

/**
 * The shipped templates (`registration/login.html`, …). They stay in `src/`, which the package
 * ships, and this module sits at the same depth in `src/` and `dist/`, so one path fits both.
 */
const templates = fileURLToPath(new URL('../../../src/auth/templates/', import.meta.url));

/**
 * The account pages as a blueprint: `app.register(authViews())` serves `/accounts/login/`,
 * `/accounts/logout/` (POST), `/accounts/password_change/`, `/accounts/password_reset/` and
 * the rest, named `accounts.login`, `accounts.password_reset_confirm`, …
 */
export function authViews(options: AuthViewsOptions = {}): Blueprint {
  const views = resolveViewOptions(options);
  const blueprint = new Blueprint(options.name ?? 'accounts', {
    prefix: options.prefix ?? '/accounts',
    templates,
  });
  // Handlers reach the routes through this object, filled below, to link the pages together.
  const routes = {} as ViewRoutes;
  const open = { middleware: [loginNotRequired] };
  const guarded = { middleware: [loginRequired()] };
  routes.login = blueprint.route(['GET', 'POST'], '/login/', loginView(views, routes), {
    name: 'login',
    ...open,
  });
  routes.logout = blueprint.post('/logout/', logoutView(views, routes), { name: 'logout' });
  routes.passwordChange = blueprint.route(
    ['GET', 'POST'],
    '/password_change/',
    passwordChangeView(views, routes),
    { name: 'password_change', ...guarded },
  );
  routes.passwordChangeDone = blueprint.get(
    '/password_change/done/',
    passwordChangeDoneView(routes),
    { name: 'password_change_done', ...guarded },
  );
  routes.passwordReset = blueprint.route(
    ['GET', 'POST'],
    '/password_reset/',
    passwordResetView(views, routes),
    { name: 'password_reset', ...open },
  );
  routes.passwordResetDone = blueprint.get('/password_reset/done/', passwordResetDoneView(routes), {
    name: 'password_reset_done',
    ...open,
  });
  routes.passwordResetConfirm = blueprint.route(
    ['GET', 'POST'],
    '/reset/<uidb64>/<token>/',
    passwordResetConfirmView(views, routes),
    { name: 'password_reset_confirm', ...open },
  );
  routes.passwordResetComplete = blueprint.get('/reset/done/', passwordResetCompleteView(routes), {
    name: 'password_reset_complete',
    ...open,
  });
  return blueprint;
}
