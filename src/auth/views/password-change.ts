// Changing one's password while logged in (Django's PasswordChangeView and its done page). The
// route carries `loginRequired()`, so `req.user` is a user here.
import { CarafeError, type HandlerResult, type HttpRequest, redirect } from '../../index.js';
import { updateSessionAuthHash } from '../login.js';
import type { AuthUser } from '../user.js';
import { newPasswordProblems, passwordChangeForm } from './forms.js';
import { page, type ViewRoutes, type ViewSettings } from './options.js';

function loggedIn(req: HttpRequest): AuthUser {
  const user = req.user;
  if (!user.isAuthenticated) {
    throw new CarafeError(
      'CARAFE_AUTH_LOGIN_REQUIRED',
      'The password change page needs loginRequired() on its route.',
    );
  }
  return user;
}

export function passwordChangeView(views: ViewSettings, routes: ViewRoutes) {
  const definition = passwordChangeForm(views.validators);
  return async function passwordChange(req: HttpRequest): Promise<HandlerResult> {
    const user = loggedIn(req);
    const title = 'Password change';
    if (req.method !== 'POST') {
      return page(req, routes, 'password_change_form.html', { title, form: definition.unbound() });
    }
    const form = await definition.bind(req);
    if (form.isValid()) {
      const { oldPassword, newPassword1, newPassword2 } = form.cleanedData;
      const problems = await newPasswordProblems(
        newPassword1,
        newPassword2,
        user,
        views.validators,
      );
      if (!(await user.checkPassword(oldPassword))) {
        form.addError('oldPassword', 'Your old password is not right. Please type it again.');
      } else if (problems.length > 0) {
        form.addError('newPassword2', problems);
      } else {
        await user.setPassword(newPassword1);
        await user.save({ updateFields: ['password'] });
        // The password change ends the user's other sessions; this one stays logged in.
        updateSessionAuthHash(req, user);
        return redirect(req.urlFor(routes.passwordChangeDone));
      }
    }
    return page(req, routes, 'password_change_form.html', { title, form }, { status: 400 });
  };
}

export function passwordChangeDoneView(routes: ViewRoutes) {
  return function passwordChangeDone(req: HttpRequest) {
    return page(req, routes, 'password_change_done.html', { title: 'Password change successful' });
  };
}
