// Deleting one object: GET shows what the cascade would remove and asks; POST (with its CSRF
// token) records the deletion in the history and deletes, in one transaction.
import { atomic } from '../../db/index.js';
import { type Handler, redirect } from '../../index.js';
import { messages } from '../../sessions/index.js';
import { denied, requirePermission } from '../access.js';
import { planDeletion } from '../deletion.js';
import { logAction } from '../log.js';
import { modelAdminFor, objectFor, objectParams } from '../lookup.js';
import { modelCrumbs, renderPage } from '../page.js';
import { pkOf } from '../query-access.js';
import type { AdminSite } from '../site.js';

export function deleteView(site: AdminSite): Handler<{ app: string; model: string; pk: string }> {
  return async (req) => {
    const admin = modelAdminFor(site, req.params);
    await requirePermission(req, admin, (can) => can.delete);
    const row = await objectFor(admin, req.params.pk);
    const meta = admin.meta;
    const plan = await planDeletion(req, site, meta, [row]);
    const blocked = plan.protectedRows.length > 0 || plan.forbiddenModels.length > 0;
    if (req.method === 'POST') {
      if (blocked) throw denied();
      const name = String(row);
      await atomic(async () => {
        await logAction(req, meta, row, 'delete');
        await row.delete();
      });
      messages.success(req, `The ${meta.verboseName} “${name}” was deleted successfully.`);
      return redirect(req.urlFor(site.urls.changeList, admin.params), 303);
    }
    const changeUrl = req.urlFor(site.urls.change, objectParams(admin, pkOf(meta, row)));
    return renderPage(req, site, 'admin/delete_confirmation.html', {
      title: 'Are you sure?',
      crumbs: [
        ...modelCrumbs(req, site, admin),
        { label: String(row), url: changeUrl },
        { label: 'Delete' },
      ],
      object: String(row),
      verboseName: meta.verboseName,
      plan,
      blocked,
      backUrl: changeUrl,
    });
  };
}
