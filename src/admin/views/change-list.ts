// The list of a model's rows: GET shows it, POST runs a bulk action on the ticked rows.
import type { Handler } from '../../index.js';
import { canView, requirePermission } from '../access.js';
import { buildChangeList, href } from '../changelist/build.js';
import { modelAdminFor } from '../lookup.js';
import { appCrumbs, renderPage } from '../page.js';
import type { AdminSite } from '../site.js';
import { modelTitle } from '../words.js';
import { actionChoices, runAction } from './actions.js';

export function changeListView(site: AdminSite): Handler<{ app: string; model: string }> {
  return async (req) => {
    const admin = modelAdminFor(site, req.params);
    const permissions = await requirePermission(req, admin, canView);
    if (req.method === 'POST') return runAction(req, site, admin);
    const list = await buildChangeList(admin, req.query);
    const changeUrl = (key: string) => req.urlFor(site.urls.change, { ...admin.params, pk: key });
    const query = req.query;
    return renderPage(req, site, 'admin/change_list.html', {
      title: `Select ${admin.meta.verboseName} to ${permissions.change ? 'change' : 'view'}`,
      crumbs: [...appCrumbs(req, site, admin.appLabel), { label: modelTitle(admin.meta, true) }],
      verboseName: admin.meta.verboseName,
      verboseNamePlural: admin.meta.verboseNamePlural,
      addUrl: permissions.add ? req.urlFor(site.urls.add, admin.params) : undefined,
      list,
      rows: list.rows.map((row) => ({ ...row, url: changeUrl(row.key) })),
      actions: await actionChoices(req, admin),
      clearSearchHref: href(query, { q: null }),
      searchHidden: [...query].filter(([name]) => name !== 'q' && name !== 'p'),
    });
  };
}
