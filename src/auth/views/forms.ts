// The forms of the auth pages (Django's AuthenticationForm, PasswordChangeForm,
// PasswordResetForm and SetPasswordForm). Checks that need the user — the old password, the
// validators — run in the views, which know who is asking.
import { ff, form } from '../../forms/index.js';
import {
  type PasswordValidator,
  passwordHelpTexts,
  validatePassword,
} from '../passwords/validators.js';
import type { AuthSettings } from '../settings.js';
import type { AuthUser } from '../user.js';

const loginForms = new WeakMap<AuthSettings, ReturnType<typeof makeLoginForm>>();

function makeLoginForm(label: string) {
  return form({
    username: ff.text({
      max: 254,
      label,
      attrs: { autofocus: true, autocomplete: 'username', autocapitalize: 'none' },
    }),
    password: ff.password({ attrs: { autocomplete: 'current-password' } }),
  });
}

/** `username` is the form's field name whatever the login field is; its label follows the model. */
export function loginForm(settings: AuthSettings) {
  let definition = loginForms.get(settings);
  if (definition === undefined) {
    const field = settings.user.meta.fieldByName.get(settings.usernameField);
    const label = field?.label ?? prettyName(settings.usernameField);
    definition = makeLoginForm(label.charAt(0).toUpperCase() + label.slice(1));
    loginForms.set(settings, definition);
  }
  return definition;
}

function prettyName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function newPasswordFields(validators: readonly PasswordValidator[]) {
  return {
    newPassword1: ff.password({
      label: 'New password',
      helpText: passwordHelpTexts(validators).join(' '),
      attrs: { autocomplete: 'new-password' },
    }),
    newPassword2: ff.password({
      label: 'New password confirmation',
      attrs: { autocomplete: 'new-password' },
    }),
  };
}

export function setPasswordForm(validators: readonly PasswordValidator[]) {
  return form(newPasswordFields(validators));
}

export function passwordChangeForm(validators: readonly PasswordValidator[]) {
  return form({
    oldPassword: ff.password({
      label: 'Old password',
      attrs: { autocomplete: 'current-password', autofocus: true },
    }),
    ...newPasswordFields(validators),
  });
}

export const passwordResetForm = form({
  email: ff.email({ label: 'Email', attrs: { autocomplete: 'email' } }),
});

/** What is wrong with the two new-password entries (for `newPassword2`); empty when nothing. */
export async function newPasswordProblems(
  newPassword1: string,
  newPassword2: string,
  user: AuthUser,
  validators: readonly PasswordValidator[],
): Promise<string[]> {
  if (newPassword1 !== newPassword2) return ['The two new passwords differ.'];
  return validatePassword(newPassword2, user, validators);
}
