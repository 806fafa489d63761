// One object's history: every LogEntry recorded for it, oldest first, with who and when.
import type { Handler } from '../../index.js';
import { canView, requirePermission } from '../access.js';
import { modelAdminFor, objectFor, objectParams } from '../lookup.js';
import { LogEntry } from '../models.js';
import { modelCrumbs, renderPage } from '../page.js';
import { pkOf } from '../query-access.js';
import type { AdminSite } from '../site.js';

export function historyView(site: AdminSite): Handler<{ app: string; model: string; pk: string }> {
  return async (req) => {
    const admin = modelAdminFor(site, req.params);
    await requirePermission(req, admin, canView);
    const row = await objectFor(admin, req.params.pk);
    const key = pkOf(admin.meta, row);
    const entries = await LogEntry.objects
      .filter({ model: admin.meta.label.toLowerCase(), objectId: String(key) })
      .orderBy('actionTime', 'id')
      .select('user');
    return renderPage(req, site, 'admin/object_history.html', {
      title: `Change history: ${String(row)}`,
      crumbs: [
        ...modelCrumbs(req, site, admin),
        { label: String(row), url: req.urlFor(site.urls.change, objectParams(admin, key)) },
        { label: 'History' },
      ],
      entries: entries.map((entry) => ({
        time: entry.actionTime,
        // The user's display: the username of auth.User, whatever a custom user model shows.
        user: String(entry.user),
        action: entry.action,
        message: entry.changeMessage,
      })),
    });
  };
}
