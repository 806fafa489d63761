// Resetting a forgotten password by email (Django's PasswordResetView, …DoneView, …ConfirmView
// and …CompleteView). The request page answers the same whether the address is known or not,
// so it tells nobody who has an account. The link's token moves into the session at once and
// the browser is sent to a URL without it, so the token never leaks through a Referer header.
import { CarafeError, type HandlerResult, type HttpRequest, redirect } from '../../index.js';
import { sendMail } from '../../mail/index.js';
import { markSafe, renderToString } from '../../templates/index.js';
import { login } from '../login.js';
import { isUsablePassword } from '../passwords/hashers.js';
import { type AuthSettings, settingsOf } from '../settings.js';
import { type AuthRecord, findUser, findUsersByEmail, recordPk } from '../store.js';
import { type AuthUser, authUserOf } from '../user.js';
import { newPasswordProblems, passwordResetForm, setPasswordForm } from './forms.js';
import { page, type ViewRoutes, type ViewSettings } from './options.js';

declare module '../../sessions/index.js' {
  interface SessionValues {
    /** A checked reset token, between the emailed link and the new password (Django's name). */
    _password_reset_token: string;
  }
}

const sessionKey = '_password_reset_token';
/** What the link's token is replaced with once it is in the session. */
const setPasswordToken = 'set-password';

function encodeUid(record: AuthRecord): string {
  return Buffer.from(String(recordPk(record))).toString('base64url');
}

const integerKinds = new Set(['auto', 'bigAuto', 'integer', 'smallInteger', 'bigInteger']);

async function userFromUid(settings: AuthSettings, uidb64: string): Promise<AuthUser | null> {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(uidb64)) return null;
  const text = Buffer.from(uidb64, 'base64url').toString('utf8');
  const pk = settings.user.meta.pk;
  const value = integerKinds.has(pk.kind) ? (/^\d{1,15}$/.test(text) ? Number(text) : null) : text;
  if (value === null) return null;
  try {
    const record = await findUser(settings.user, pk.name, value);
    return record === null ? null : authUserOf(record);
  } catch (error) {
    // A value of the wrong shape for the key (not a UUID, say): no such user.
    if (error instanceof CarafeError && error.code === 'CARAFE_DB_BAD_VALUE') return null;
    throw error;
  }
}

/**
 * The text email's variables, printed as they are: HTML escaping would only garble plain text
 * (`o&#39;brien@example.com`). The HTML email gets the same values, escaped as usual.
 */
function asPlainText(values: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    plain[key] = typeof value === 'string' ? markSafe(value) : value;
  }
  return plain;
}

async function sendResetEmail(
  req: HttpRequest,
  views: ViewSettings,
  routes: ViewRoutes,
  record: AuthRecord,
  email: string,
): Promise<void> {
  const user = authUserOf(record);
  const uid = encodeUid(record);
  const token = views.tokens.makeToken(req.app, user);
  const origin = new URL(views.siteUrl ?? `${req.scheme}://${req.host}`);
  const settings = settingsOf(req);
  const link = req.urlFor(routes.passwordResetConfirm, { uidb64: uid, token });
  const values = {
    user,
    username: String(Reflect.get(record, settings.usernameField) ?? ''),
    email,
    uid,
    token,
    protocol: origin.protocol.slice(0, -1),
    domain: origin.host,
    siteName: views.siteName ?? origin.host,
    resetUrl: `${origin.origin}${link}`,
  };
  const text = asPlainText(values);
  const subject = await renderToString(req.app, 'registration/password_reset_subject.txt', text);
  const body = await renderToString(req.app, 'registration/password_reset_email.txt', text);
  const html =
    views.htmlEmailTemplate === undefined
      ? undefined
      : await renderToString(req.app, views.htmlEmailTemplate, values);
  await sendMail({
    to: email,
    // A subject is one line, whatever the template's line breaks.
    subject: subject.replace(/\s*[\r\n]+\s*/g, ' ').trim(),
    text: body,
    ...(html === undefined ? {} : { html }),
    ...(views.fromEmail === undefined ? {} : { from: views.fromEmail }),
  });
}

export function passwordResetView(views: ViewSettings, routes: ViewRoutes) {
  return async function passwordReset(req: HttpRequest): Promise<HandlerResult> {
    const title = 'Password reset';
    if (req.method !== 'POST') {
      return page(req, routes, 'password_reset_form.html', {
        title,
        form: passwordResetForm.unbound(),
      });
    }
    const form = await passwordResetForm.bind(req);
    if (!form.isValid()) {
      return page(req, routes, 'password_reset_form.html', { title, form }, { status: 400 });
    }
    const settings = settingsOf(req);
    if (!settings.user.meta.fieldByName.has('email')) {
      throw new CarafeError(
        'CARAFE_AUTH_NO_EMAIL_FIELD',
        `Password reset by email needs an "email" field on ${settings.user.meta.label}.`,
      );
    }
    const wanted = form.cleanedData.email;
    for (const record of await findUsersByEmail(settings.user, wanted)) {
      const email = String(Reflect.get(record, 'email') ?? '');
      // The lookup ignores case in SQL; Unicode case folding decides, as in Django.
      if (!isUsablePassword(record.password) || !sameAddress(email, wanted)) continue;
      try {
        await sendResetEmail(req, views, routes, record, email);
      } catch (error) {
        // The page must look the same either way: a failure is logged, not shown.
        req.app.logger.error(
          { err: error, code: 'CARAFE_AUTH_RESET_MAIL' },
          'sending a password reset email failed',
        );
      }
    }
    return redirect(req.urlFor(routes.passwordResetDone));
  };
}

function sameAddress(a: string, b: string): boolean {
  const fold = (value: string) => value.normalize('NFKC').toLocaleLowerCase('en-US');
  return fold(a) === fold(b);
}

export function passwordResetDoneView(routes: ViewRoutes) {
  return function passwordResetDone(req: HttpRequest) {
    return page(req, routes, 'password_reset_done.html', { title: 'Password reset sent' });
  };
}

export function passwordResetConfirmView(views: ViewSettings, routes: ViewRoutes) {
  const definition = setPasswordForm(views.validators);
  return async function passwordResetConfirm(
    req: HttpRequest<{ uidb64: string; token: string }>,
  ): Promise<HandlerResult> {
    const { uidb64, token } = req.params;
    const title = 'Enter new password';
    const invalid = () =>
      page(req, routes, 'password_reset_confirm.html', {
        title: 'Password reset unsuccessful',
        validlink: false,
        form: null,
      });
    const settings = settingsOf(req);
    const user = await userFromUid(settings, uidb64);
    if (user === null) return invalid();
    if (token !== setPasswordToken) {
      if (!views.tokens.checkToken(req.app, user, token)) return invalid();
      req.session.set(sessionKey, token);
      return redirect(req.urlFor(routes.passwordResetConfirm, { uidb64, token: setPasswordToken }));
    }
    const stored = req.session.get(sessionKey);
    if (typeof stored !== 'string' || !views.tokens.checkToken(req.app, user, stored)) {
      return invalid();
    }
    if (req.method !== 'POST') {
      return page(req, routes, 'password_reset_confirm.html', {
        title,
        validlink: true,
        form: definition.unbound(),
      });
    }
    const form = await definition.bind(req);
    if (form.isValid()) {
      const { newPassword1, newPassword2 } = form.cleanedData;
      const problems = await newPasswordProblems(
        newPassword1,
        newPassword2,
        user,
        views.validators,
      );
      if (problems.length === 0) {
        await user.setPassword(newPassword1);
        await user.save({ updateFields: ['password'] });
        req.session.delete(sessionKey);
        // Whoever was locked out by failed logins can log in with the new password at once.
        await settings.throttle?.succeeded(String(Reflect.get(user, settings.usernameField) ?? ''));
        if (views.loginAfterReset) await login(req, user);
        return redirect(req.urlFor(routes.passwordResetComplete));
      }
      form.addError('newPassword2', problems);
    }
    return page(
      req,
      routes,
      'password_reset_confirm.html',
      { title, validlink: true, form },
      { status: 400 },
    );
  };
}

export function passwordResetCompleteView(routes: ViewRoutes) {
  return function passwordResetComplete(req: HttpRequest) {
    return page(req, routes, 'password_reset_complete.html', { title: 'Password reset complete' });
  };
}
