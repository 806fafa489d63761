// 'carafe/admin': Django's admin site for Carafe models. List the site in `config.apps` after
// sessions(), security() and auth(), register models, and /admin/ lists, searches, filters,
// adds, edits and deletes them, with a history of every change.
import { adminSite } from './site.js';

export { type LogAction, LogEntry, logActions } from './models.js';
export {
  type ActionFunction,
  type ActionResult,
  type AdminAction,
  type AdminInline,
  type Fieldset,
  type InlineOptions,
  inline,
  type ListColumn,
  type ListDisplayItem,
  type ModelAdminOptions,
  type PermissionAction,
} from './options.js';
export { AdminSite, type AdminSiteOptions, adminSite } from './site.js';

/** The default admin site, mounted at `/admin/`: `admin.register(Question, { … })`. */
export const admin = adminSite();
