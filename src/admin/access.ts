// Who may use the admin: active staff members only (others are sent to the admin's login page),
// and on each model only what their permissions allow (a 403 otherwise), as in Django.
import { getUser, User } from '../auth/index.js';
import { isInstance, type ModelMeta } from '../db/index.js';
import { CarafeError, Forbidden, type HttpRequest, type Middleware, redirect } from '../index.js';
import { ModelAdmin } from './model-admin.js';
import type { PermissionAction } from './options.js';
import type { AdminSite } from './site.js';

export type ModelPermissions = Readonly<Record<PermissionAction, boolean>>;

/** Marks the admin routes anyone may reach: the login and logout pages. */
export const publicView: Middleware = (_req, next) => next();

/** Sends anyone who is not active staff to the admin's login page, with `?next=`. */
export function staffGate(site: AdminSite): Middleware {
  return async (req, next) => {
    const route = req.route?.route;
    if (route === undefined || route.middleware.includes(publicView)) return next();
    const user = await getUser(req);
    if (user.isAuthenticated && user.isActive && user.isStaff) {
      checkUserModel(user);
      return next();
    }
    return redirect(`${req.urlFor(site.urls.login)}?next=${encodeURIComponent(req.url)}`);
  };
}

/** The history points at auth.User rows; another user model cannot be recorded there yet. */
function checkUserModel(user: object): void {
  if (isInstance(user) && !(user instanceof User)) {
    throw new CarafeError(
      'CARAFE_ADMIN_USER_MODEL',
      'The admin records its history against auth.User, so it works only with the built-in user ' +
        'model for now; auth({ userModel }) with your own model is not supported by the admin yet.',
    );
  }
}

/** `polls.change_question`: the permission name for an action on a model. */
export function permissionName(meta: ModelMeta, action: PermissionAction): string {
  return `${meta.appLabel.toLowerCase()}.${action}_${meta.modelName.toLowerCase()}`;
}

/** What the request's user may do with a model; one query per request at most. */
export async function permissionsFor(
  req: HttpRequest,
  admin: ModelAdmin | ModelMeta,
): Promise<ModelPermissions> {
  const meta = admin instanceof ModelAdmin ? admin.meta : admin;
  const user = req.user;
  const [view, add, change, remove] = await Promise.all(
    (['view', 'add', 'change', 'delete'] as const).map((action) =>
      user.hasPerm(permissionName(meta, action)),
    ),
  );
  return {
    view: view === true,
    add: add === true,
    change: change === true,
    delete: remove === true,
  };
}

/** Whether the user may see the model at all (view or change, as in Django). */
export function canView(permissions: ModelPermissions): boolean {
  return permissions.view || permissions.change;
}

export function denied(): Forbidden {
  return new Forbidden('You do not have permission to do this.', {
    code: 'CARAFE_ADMIN_PERMISSION_DENIED',
  });
}

/** The user's permissions on the model; a 403 unless `allowed` says yes. */
export async function requirePermission(
  req: HttpRequest,
  admin: ModelAdmin,
  allowed: (permissions: ModelPermissions) => boolean,
): Promise<ModelPermissions> {
  const permissions = await permissionsFor(req, admin);
  if (!allowed(permissions)) throw denied();
  return permissions;
}
