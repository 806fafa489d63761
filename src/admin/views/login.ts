// Logging in to the admin (staff accounts only), out again, and changing one's password. The
// session work is auth's own `authenticate`, `login`, `logout` and `updateSessionAuthHash`.
import {
  authenticate,
  login,
  logout,
  updateSessionAuthHash,
  validatePassword,
} from '../../auth/index.js';
import { ff, form } from '../../forms/index.js';
import { type Handler, redirect, safeRedirect } from '../../index.js';
import { denied } from '../access.js';
import { renderPage } from '../page.js';
import type { AdminSite } from '../site.js';

const LoginForm = form({
  username: ff.text({ max: 254, attrs: { autocomplete: 'username', autofocus: true } }),
  password: ff.password({ attrs: { autocomplete: 'current-password' } }),
});

const PasswordChangeForm = form(
  {
    oldPassword: ff.password({
      label: 'Old password',
      attrs: { autocomplete: 'current-password', autofocus: true },
    }),
    newPassword1: ff.password({ label: 'New password', attrs: { autocomplete: 'new-password' } }),
    newPassword2: ff.password({
      label: 'New password confirmation',
      attrs: { autocomplete: 'new-password' },
    }),
  },
  {
    clean(data) {
      if (data.newPassword1 !== data.newPassword2) {
        return { newPassword2: 'The two password fields didn’t match.' };
      }
    },
  },
);

const wrongLogin =
  'Please enter the correct username and password for a staff account. Both fields may be case-sensitive.';

export function loginView(site: AdminSite): Handler {
  return async (req) => {
    const index = req.urlFor(site.urls.index);
    const next = req.query.get('next') ?? undefined;
    const user = req.user;
    const isStaff = user.isAuthenticated && user.isStaff;
    if (req.method === 'GET' && isStaff) return safeRedirect(req, next, { fallback: index });
    const page = (loginForm: ReturnType<typeof LoginForm.unbound>, status = 200) =>
      renderPage(
        req,
        site,
        'admin/login.html',
        {
          title: 'Log in',
          form: loginForm,
          next,
          signedInAs: user.isAuthenticated && !isStaff ? String(user) : undefined,
        },
        { status },
      );
    if (req.method === 'GET') return page(LoginForm.unbound());
    const submitted = await LoginForm.bind(req);
    if (!submitted.isValid()) return page(submitted, 400);
    const found = await authenticate(req, submitted.cleanedData);
    if (found === null || !found.isStaff) {
      submitted.addError('__all__', wrongLogin);
      return page(submitted, 400);
    }
    await login(req, found);
    return safeRedirect(req, next, { fallback: index, status: 303 });
  };
}

/**
 * POST (with its CSRF token) logs out. GET, from a link or a typed URL, only asks: a state change
 * by GET could be triggered by any page that embeds the URL.
 */
export function logoutView(site: AdminSite): Handler {
  return async (req) => {
    if (req.method === 'GET') {
      if (!req.user.isAuthenticated) return redirect(req.urlFor(site.urls.login));
      return renderPage(req, site, 'admin/logout_confirmation.html', {
        title: 'Log out?',
        indexUrl: req.urlFor(site.urls.index),
      });
    }
    await logout(req);
    return renderPage(req, site, 'admin/logged_out.html', {
      title: 'Logged out',
      loginUrl: req.urlFor(site.urls.login),
    });
  };
}

export function passwordChangeView(site: AdminSite): Handler {
  return async (req) => {
    const user = req.user;
    if (!user.isAuthenticated) throw denied();
    const page = (changeForm: ReturnType<typeof PasswordChangeForm.unbound>, status = 200) =>
      renderPage(
        req,
        site,
        'admin/password_change.html',
        { title: 'Password change', form: changeForm },
        { status },
      );
    if (req.method === 'GET') return page(PasswordChangeForm.unbound());
    const submitted = await PasswordChangeForm.bind(req);
    if (submitted.isValid()) {
      const data = submitted.cleanedData;
      if (!(await user.checkPassword(data.oldPassword))) {
        submitted.addError(
          'oldPassword',
          'Your old password was entered incorrectly. Please enter it again.',
        );
      } else {
        const problems = await validatePassword(data.newPassword1, user);
        if (problems.length > 0) submitted.addError('newPassword2', problems);
      }
    }
    if (!submitted.isValid()) return page(submitted, 400);
    await user.setPassword(submitted.cleanedData.newPassword1);
    await user.save();
    updateSessionAuthHash(req, user);
    return redirect(req.urlFor(site.urls.passwordChangeDone), 303);
  };
}

export function passwordChangeDoneView(site: AdminSite): Handler {
  return (req) =>
    renderPage(req, site, 'admin/password_change_done.html', {
      title: 'Password change successful',
    });
}
