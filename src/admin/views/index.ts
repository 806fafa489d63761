// The admin's home page (every app and model the user may see, and their recent actions) and
// one app's page.
import type { Handler } from '../../index.js';
import { type HttpRequest, NotFound } from '../../index.js';
import { canView, denied, permissionsFor } from '../access.js';
import { LogEntry } from '../models.js';
import { appCrumbs, renderPage } from '../page.js';
import type { AdminSite } from '../site.js';
import { capitalize, modelTitle } from '../words.js';

interface AppEntry {
  readonly label: string;
  readonly url: string;
  readonly models: {
    readonly name: string;
    readonly url: string | undefined;
    readonly addUrl: string | undefined;
  }[];
}

async function visibleApps(req: HttpRequest, site: AdminSite, only?: string): Promise<AppEntry[]> {
  const apps = new Map<string, AppEntry>();
  for (const admin of site.registered) {
    if (only !== undefined && admin.appLabel !== only) continue;
    const permissions = await permissionsFor(req, admin);
    if (!Object.values(permissions).some(Boolean)) continue;
    let app = apps.get(admin.appLabel);
    if (app === undefined) {
      const url = req.urlFor(site.urls.appIndex, { app: admin.appLabel });
      app = { label: capitalize(admin.appLabel), url, models: [] };
      apps.set(admin.appLabel, app);
    }
    app.models.push({
      name: modelTitle(admin.meta, true),
      url: canView(permissions) ? req.urlFor(site.urls.changeList, admin.params) : undefined,
      addUrl: permissions.add ? req.urlFor(site.urls.add, admin.params) : undefined,
    });
  }
  return [...apps.values()];
}

async function recentActions(req: HttpRequest, site: AdminSite) {
  const user = req.user;
  if (!user.isAuthenticated) return [];
  const entries = await LogEntry.objects.filter({ user: user.id }).limit(10);
  return entries.map((entry) => {
    const admin = site.registered.find(
      (candidate) => candidate.meta.label.toLowerCase() === entry.model,
    );
    const url =
      admin === undefined || entry.action === 'delete'
        ? undefined
        : req.urlFor(site.urls.change, { ...admin.params, pk: entry.objectId });
    return {
      action: entry.action,
      repr: entry.objectRepr,
      model: admin === undefined ? entry.model : modelTitle(admin.meta),
      url,
    };
  });
}

export function indexView(site: AdminSite): Handler {
  return async (req) =>
    renderPage(req, site, 'admin/index.html', {
      title: site.title,
      apps: await visibleApps(req, site),
      recent: await recentActions(req, site),
    });
}

export function appIndexView(site: AdminSite): Handler<{ app: string }> {
  return async (req) => {
    const label = req.params.app;
    if (!site.registered.some((admin) => admin.appLabel === label)) {
      throw new NotFound('No such app in the admin.');
    }
    const apps = await visibleApps(req, site, label);
    if (apps.length === 0) throw denied();
    return renderPage(req, site, 'admin/app_index.html', {
      title: `${capitalize(label)} administration`,
      apps,
      crumbs: appCrumbs(req, site, label)
        .slice(0, 1)
        .concat({ label: capitalize(label) }),
    });
  };
}
