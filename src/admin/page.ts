// What every admin page shows around its content: the header with the user's links, the
// breadcrumbs and the title. Views pass plain data; templates escape all of it.
import type { HttpRequest, HttpResponse, ResponseInit } from '../index.js';
import { render } from '../templates/index.js';
import type { ModelAdmin } from './model-admin.js';
import type { AdminSite } from './site.js';
import { capitalize, modelTitle } from './words.js';

export interface Crumb {
  readonly label: string;
  readonly url?: string;
}

export function renderPage(
  req: HttpRequest,
  site: AdminSite,
  template: string,
  context: Readonly<Record<string, unknown>>,
  init?: ResponseInit,
): Promise<HttpResponse> {
  const urls = site.urls;
  const user = req.user;
  const signedIn = user.isAuthenticated && user.isStaff;
  return render(
    req,
    template,
    {
      site: {
        header: site.header,
        title: site.title,
        siteUrl: site.siteUrl,
        indexUrl: req.urlFor(urls.index),
        logoutUrl: req.urlFor(urls.logout),
        passwordChangeUrl: req.urlFor(urls.passwordChange),
        signedIn,
      },
      ...context,
    },
    init,
  );
}

export function appCrumbs(req: HttpRequest, site: AdminSite, appLabel: string): Crumb[] {
  return [
    { label: 'Home', url: req.urlFor(site.urls.index) },
    { label: capitalize(appLabel), url: req.urlFor(site.urls.appIndex, { app: appLabel }) },
  ];
}

export function modelCrumbs(req: HttpRequest, site: AdminSite, admin: ModelAdmin): Crumb[] {
  return [
    ...appCrumbs(req, site, admin.appLabel),
    { label: modelTitle(admin.meta, true), url: req.urlFor(site.urls.changeList, admin.params) },
  ];
}
