// The login and logout pages (Django's LoginView and LogoutView).
import {
  CarafeError,
  type HandlerResult,
  type HttpRequest,
  isSafeRedirectTarget,
  redirect,
  safeRedirect,
} from '../../index.js';
import { authenticate, login, logout } from '../login.js';
import { settingsOf } from '../settings.js';
import { LoginThrottled } from '../throttle.js';
import { loginForm } from './forms.js';
import { page, type ViewRoutes, type ViewSettings } from './options.js';

/** The same words for an unknown name, a wrong password and an inactive account. */
function wrongCredentials(label: string): string {
  return `Wrong ${label.toLowerCase()} or password. Both are case-sensitive.`;
}

/** `next` from the form of a POST, else from the query string. */
async function nextOf(req: HttpRequest, field: string): Promise<string> {
  if (req.method === 'POST') {
    const posted = (await req.form()).get(field);
    if (posted) return posted;
  }
  return req.query.get(field) ?? '';
}

/** The page to go to: `next` when it stays on this site (or an allowed host), else `fallback`. */
function safeNext(req: HttpRequest, views: ViewSettings, next: string): string | undefined {
  const hosts = [req.host, ...views.allowedRedirectHosts];
  return next !== '' && isSafeRedirectTarget(next, hosts, req.isSecure) ? next : undefined;
}

export function loginView(views: ViewSettings, routes: ViewRoutes) {
  return async function loginPage(req: HttpRequest): Promise<HandlerResult> {
    const settings = settingsOf(req);
    const next = await nextOf(req, settings.redirectField);
    const redirectOptions = {
      fallback: views.loginRedirect,
      allowedHosts: views.allowedRedirectHosts,
    };
    if (views.redirectAuthenticatedUser && req.user.isAuthenticated) {
      const target = safeNext(req, views, next) ?? views.loginRedirect;
      if (target.split('?')[0] === req.path) {
        throw new CarafeError(
          'CARAFE_AUTH_LOGIN_LOOP',
          'authViews({ redirectAuthenticatedUser }) would send logged-in visitors back to the login page: set loginRedirect to another page.',
        );
      }
      return redirect(target);
    }
    const definition = loginForm(settings);
    const context = {
      title: 'Log in',
      next: safeNext(req, views, next) ?? '',
      redirectField: settings.redirectField,
    };
    if (req.method !== 'POST') {
      return page(req, routes, 'login.html', { ...context, form: definition.unbound() });
    }
    const form = await definition.bind(req);
    let status = 400;
    if (form.isValid()) {
      try {
        const user = await authenticate(req, form.cleanedData);
        if (user !== null) {
          await login(req, user);
          return safeRedirect(req, next, redirectOptions);
        }
        form.addError('__all__', wrongCredentials(definition.fields.username.label ?? 'username'));
      } catch (error) {
        if (!(error instanceof LoginThrottled)) throw error;
        form.addError('__all__', error.message);
        status = 429;
      }
    }
    return page(req, routes, 'login.html', { ...context, form }, { status });
  };
}

export function logoutView(views: ViewSettings, routes: ViewRoutes) {
  return async function logoutPage(req: HttpRequest): Promise<HandlerResult> {
    const next = safeNext(req, views, await nextOf(req, settingsOf(req).redirectField));
    await logout(req);
    const target = next ?? views.logoutRedirect;
    if (target !== undefined) return redirect(target);
    return page(req, routes, 'logged_out.html', { title: 'Logged out' });
  };
}
