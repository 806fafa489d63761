// What `authViews()` takes, checked once, and what every page of it shares.
import {
  CarafeError,
  type HttpRequest,
  type HttpResponse,
  type ResponseInit,
  type Route,
} from '../../index.js';
import { render, type TemplateContext } from '../../templates/index.js';
import { defaultPasswordValidators, type PasswordValidator } from '../passwords/validators.js';
import { PasswordResetTokenGenerator } from '../reset-tokens.js';

export interface AuthViewsOptions {
  /** The blueprint's name, which prefixes the route names (`accounts.login`); `accounts` by default. */
  readonly name?: string;
  /** The URL prefix; `/accounts` by default (so the login page is `auth()`'s default `loginUrl`). */
  readonly prefix?: string;
  /** Where a login without `?next=` goes (Django's LOGIN_REDIRECT_URL); `/` by default. */
  readonly loginRedirect?: string;
  /** Where logging out goes (Django's LOGOUT_REDIRECT_URL); without it, the logged-out page. */
  readonly logoutRedirect?: string;
  /** Send visitors who are already logged in from the login page to `loginRedirect`. */
  readonly redirectAuthenticatedUser?: boolean;
  /** Hosts besides the request's own that `next` may point at (`['shop.example.com']`). */
  readonly allowedRedirectHosts?: readonly string[];
  /** The rules new passwords must pass; Django's four by default. */
  readonly passwordValidators?: readonly PasswordValidator[];
  /** Seconds a reset link works (Django's PASSWORD_RESET_TIMEOUT); 3 days by default. */
  readonly passwordResetTimeout?: number;
  /** Makes and checks the reset tokens; give one to set its clock in tests. */
  readonly tokenGenerator?: PasswordResetTokenGenerator;
  /** The sender of reset emails; the `mail.from` setting by default. */
  readonly fromEmail?: string;
  /** An HTML template for the reset email, sent along with the text one. */
  readonly htmlEmailTemplate?: string;
  /**
   * Scheme and host of the links in reset emails (`https://example.com`); the request's by
   * default, which `allowedHosts` has already checked.
   */
  readonly siteUrl?: string;
  /** The site's name in reset emails; the host by default. */
  readonly siteName?: string;
  /** Log the user in once they have set a new password (Django's post_reset_login). */
  readonly loginAfterReset?: boolean;
}

export interface ViewRoutes {
  login: Route<'/login/'>;
  logout: Route<'/logout/'>;
  passwordChange: Route<'/password_change/'>;
  passwordChangeDone: Route<'/password_change/done/'>;
  passwordReset: Route<'/password_reset/'>;
  passwordResetDone: Route<'/password_reset/done/'>;
  passwordResetConfirm: Route<'/reset/<uidb64>/<token>/'>;
  passwordResetComplete: Route<'/reset/done/'>;
}

export interface ViewSettings {
  readonly loginRedirect: string;
  readonly logoutRedirect: string | undefined;
  readonly redirectAuthenticatedUser: boolean;
  readonly allowedRedirectHosts: readonly string[];
  readonly validators: readonly PasswordValidator[];
  readonly tokens: PasswordResetTokenGenerator;
  readonly fromEmail: string | undefined;
  readonly htmlEmailTemplate: string | undefined;
  readonly siteUrl: string | undefined;
  readonly siteName: string | undefined;
  readonly loginAfterReset: boolean;
}

function path(value: string | undefined, option: string, fallback: string): string {
  const given = value ?? fallback;
  if (typeof given !== 'string' || !(given.startsWith('/') || /^https?:\/\//i.test(given))) {
    throw new CarafeError(
      'CARAFE_AUTH_OPTION',
      `authViews({ ${option} }) takes a path such as /accounts/ or an http(s) URL, got ${JSON.stringify(given)}.`,
    );
  }
  return given;
}

export function resolveViewOptions(options: AuthViewsOptions): ViewSettings {
  if (options.tokenGenerator !== undefined && options.passwordResetTimeout !== undefined) {
    throw new CarafeError(
      'CARAFE_AUTH_OPTION',
      'authViews(): give passwordResetTimeout or tokenGenerator, not both (set the timeout on the generator).',
    );
  }
  const siteUrl = options.siteUrl?.replace(/\/+$/, '');
  if (siteUrl !== undefined && !/^https?:\/\/[^/?#]+$/i.test(siteUrl)) {
    throw new CarafeError(
      'CARAFE_AUTH_OPTION',
      `authViews({ siteUrl }) takes a scheme and host such as https://example.com, got ${JSON.stringify(options.siteUrl)}.`,
    );
  }
  return {
    loginRedirect: path(options.loginRedirect, 'loginRedirect', '/'),
    logoutRedirect:
      options.logoutRedirect === undefined
        ? undefined
        : path(options.logoutRedirect, 'logoutRedirect', '/'),
    redirectAuthenticatedUser: options.redirectAuthenticatedUser ?? false,
    allowedRedirectHosts: options.allowedRedirectHosts ?? [],
    validators: options.passwordValidators ?? defaultPasswordValidators,
    tokens:
      options.tokenGenerator ??
      new PasswordResetTokenGenerator({ timeout: options.passwordResetTimeout }),
    fromEmail: options.fromEmail,
    htmlEmailTemplate: options.htmlEmailTemplate,
    siteUrl,
    siteName: options.siteName,
    loginAfterReset: options.loginAfterReset ?? false,
  };
}

/** Renders one of the pages, with the links every page may want. */
export function page(
  req: HttpRequest,
  routes: ViewRoutes,
  template: string,
  context: TemplateContext,
  init?: ResponseInit,
): Promise<HttpResponse> {
  return render(
    req,
    `registration/${template}`,
    {
      authUrls: {
        login: req.urlFor(routes.login),
        logout: req.urlFor(routes.logout),
        passwordChange: req.urlFor(routes.passwordChange),
        passwordReset: req.urlFor(routes.passwordReset),
      },
      ...context,
    },
    init,
  );
}
