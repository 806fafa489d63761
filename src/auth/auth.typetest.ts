// The guide's examples, type-checked: `req.user` narrows on isAuthenticated, the login and
// password-change handlers need no casts, and the guards are middleware.
import { type Equal, expectTrue } from '../../test/support/type-assert.js';
import { Blueprint, Carafe, Forbidden, redirect, safeRedirect } from '../index.js';
import { sessions } from '../sessions/index.js';
import {
  type AnonymousUser,
  type AuthUser,
  auth,
  authenticate,
  type CurrentUser,
  createUser,
  login,
  loginNotRequired,
  loginRequired,
  logout,
  permissionRequired,
  User,
  updateSessionAuthHash,
  validatePassword,
} from './index.js';

const app = new Carafe({ apps: [sessions(), auth()] });
const accounts = new Blueprint('accounts', { prefix: '/accounts' });

accounts.route(
  ['GET', 'POST'],
  '/login/',
  async (req) => {
    const form = await req.form();
    const user = await authenticate(req, {
      username: form.get('username') ?? '',
      password: form.get('password') ?? '',
    });
    expectTrue<Equal<typeof user, AuthUser | null>>();
    if (user !== null) {
      await login(req, user);
      return safeRedirect(req, req.query.get('next'), { fallback: '/' });
    }
    return 'try again';
  },
  { name: 'login', middleware: [loginNotRequired] },
);

accounts.post(
  '/logout/',
  async (req) => {
    await logout(req);
    return redirect('/');
  },
  { name: 'logout' },
);

accounts.post(
  '/password/',
  async (req) => {
    expectTrue<Equal<typeof req.user, CurrentUser>>();
    // @ts-expect-error the anonymous user has no email
    void req.user.email;
    if (!req.user.isAuthenticated) throw new Forbidden();
    const email: string = req.user.email;
    const form = await req.form();
    const password = form.get('new') ?? '';
    const problems = await validatePassword(password, req.user);
    if (problems.length > 0) return { problems, email };
    await req.user.setPassword(password);
    await req.user.save();
    updateSessionAuthHash(req, req.user);
    return redirect('/');
  },
  { name: 'password' },
);

app.get(
  '/mine',
  async (req) => {
    // Both kinds of user answer these without narrowing.
    const checks: [boolean, boolean, string] = [
      req.user.isStaff,
      await req.user.hasPerm('polls.change_question'),
      req.user.username,
    ];
    return { checks };
  },
  { name: 'mine', middleware: [loginRequired(), permissionRequired(['polls.view_question'])] },
);

app.register(accounts);

async function creating() {
  const ada = await createUser({ username: 'ada', password: 'a long passphrase' });
  expectTrue<Equal<typeof ada.username, string>>();
  await ada.hasPerm('polls.view_question');
  // @ts-expect-error username is required by the model
  await createUser({ password: 'x' });
  const row = await User.objects.get({ username: 'ada' });
  // @ts-expect-error rows loaded directly have no auth methods until asAuthUser()
  await row.hasPerm('polls.view_question');
}

type Anonymous = Extract<CurrentUser, { isAuthenticated: false }>;
expectTrue<Equal<Anonymous, AnonymousUser>>();
void creating;
