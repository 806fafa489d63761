// The admin's URLs. Model pages take the app and model from the path (`/admin/polls/question/`),
// so models registered after the app was built are served without adding routes.
import { Blueprint, type Route } from '../index.js';
import { publicView, staffGate } from './access.js';
import { neverCache } from './never-cache.js';
import type { AdminSite } from './site.js';
import { autocompleteView } from './views/autocomplete.js';
import { addView, changeView } from './views/change-form.js';
import { changeListView } from './views/change-list.js';
import { deleteView } from './views/delete.js';
import { historyView } from './views/history.js';
import { appIndexView, indexView } from './views/index.js';
import {
  loginView,
  logoutView,
  passwordChangeDoneView,
  passwordChangeView,
} from './views/login.js';

export interface AdminRoutes {
  readonly blueprint: Blueprint;
  readonly index: Route<'/'>;
  readonly login: Route<'/login/'>;
  readonly logout: Route<'/logout/'>;
  readonly passwordChange: Route<'/password_change/'>;
  readonly passwordChangeDone: Route<'/password_change/done/'>;
  readonly autocomplete: Route<'/autocomplete/'>;
  readonly appIndex: Route<'/<app>/'>;
  readonly changeList: Route<'/<app>/<model>/'>;
  readonly add: Route<'/<app>/<model>/add/'>;
  readonly change: Route<'/<app>/<model>/<pk>/change/'>;
  readonly delete: Route<'/<app>/<model>/<pk>/delete/'>;
  readonly history: Route<'/<app>/<model>/<pk>/history/'>;
}

export function adminRoutes(site: AdminSite, prefix: string): AdminRoutes {
  const bp = new Blueprint('admin', { prefix, middleware: [neverCache, staffGate(site)] });
  const both = ['GET', 'POST'] as const;
  const login = bp.route(both, '/login/', loginView(site), {
    name: 'login',
    middleware: [publicView],
  });
  return {
    blueprint: bp,
    index: bp.get('/', indexView(site), { name: 'index' }),
    login,
    logout: bp.route(both, '/logout/', logoutView(site), {
      name: 'logout',
      middleware: [publicView],
    }),
    passwordChange: bp.route(both, '/password_change/', passwordChangeView(site), {
      name: 'password_change',
    }),
    passwordChangeDone: bp.get('/password_change/done/', passwordChangeDoneView(site), {
      name: 'password_change_done',
    }),
    autocomplete: bp.get('/autocomplete/', autocompleteView(site), { name: 'autocomplete' }),
    appIndex: bp.get('/<app>/', appIndexView(site), { name: 'app_index' }),
    changeList: bp.route(both, '/<app>/<model>/', changeListView(site), { name: 'changelist' }),
    add: bp.route(both, '/<app>/<model>/add/', addView(site), { name: 'add' }),
    change: bp.route(both, '/<app>/<model>/<pk>/change/', changeView(site), { name: 'change' }),
    delete: bp.route(both, '/<app>/<model>/<pk>/delete/', deleteView(site), { name: 'delete' }),
    history: bp.get('/<app>/<model>/<pk>/history/', historyView(site), { name: 'history' }),
  };
}
