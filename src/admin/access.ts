// Who may use the admin: active staff members only (others are sent to the admin's login page),
// and on each model only what their permissions allow (a 403 otherwise), as in Django.
import { getUser, userModel } from '../auth/index.js';
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

/**
 * The history points at the user model that relations to `userModel` resolved to; a user of
 * another model could not be recorded. That happens only when `auth({ userModel })` came after
 * something had already used the models (the relations are fixed once per process).
 */
function checkUserModel(user: object): void {
  const model = userModel();
  if (isInstance(user) && !(user instanceof (model as unknown as abstract new () => object))) {
    throw new CarafeError(
      'CARAFE_ADMIN_USER_MODEL',
      `The admin records its history against ${model.meta.label}, but the logged-in user is a row of ` +
        `${String(Reflect.get(user.constructor, 'label'))}. Pass your user model to auth({ userModel }) ` +
        'in the config, before anything queries the database, so that relations to it follow.',
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
