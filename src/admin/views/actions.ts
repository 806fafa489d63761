// Bulk actions, posted from the change list: the ticked rows (or, with `select_across`, every
// row the search and filters match) and the action's name. "Delete selected" is built in and
// asks for confirmation first; other actions run the developer's function on a QuerySet.
import { atomic } from '../../db/index.js';
import { type FormBody, type HandlerResult, type HttpRequest, redirect } from '../../index.js';
import { messages } from '../../sessions/index.js';
import { denied, permissionsFor } from '../access.js';
import { matchingQuery } from '../changelist/build.js';
import { planDeletion } from '../deletion.js';
import { logDeletions } from '../log.js';
import { parseKey } from '../lookup.js';
import type { ModelAdmin } from '../model-admin.js';
import { modelCrumbs, renderPage } from '../page.js';
import { type LooseQuery, pkOf, typedQuery } from '../query-access.js';
import type { AdminSite } from '../site.js';
import { countOf } from '../words.js';

export const deleteSelected = 'delete_selected';

/** The actions the user may run on the model, for the menu. */
export async function actionChoices(
  req: HttpRequest,
  admin: ModelAdmin,
): Promise<{ name: string; label: string }[]> {
  const permissions = await permissionsFor(req, admin);
  const choices = permissions.delete
    ? [{ name: deleteSelected, label: `Delete selected ${admin.meta.verboseNamePlural}` }]
    : [];
  for (const action of admin.actions) {
    if (permissions[action.permission]) choices.push({ name: action.name, label: action.label });
  }
  return choices;
}

function selectedRows(admin: ModelAdmin, req: HttpRequest, body: FormBody): LooseQuery {
  const matching = matchingQuery(admin, req.query);
  if (body.get('select_across') === '1') return matching;
  const keys = body
    .getAll('_selected_action')
    .map((text) => parseKey(admin.meta.pk, text))
    .filter((key) => key !== undefined);
  return matching.filter({ [admin.meta.pk.name]: { in: keys } });
}

async function confirmOrDelete(
  req: HttpRequest,
  site: AdminSite,
  admin: ModelAdmin,
  body: FormBody,
  rows: LooseQuery,
): Promise<HandlerResult> {
  const meta = admin.meta;
  const found = await rows;
  const plan = await planDeletion(req, site, meta, found);
  const blocked = plan.protectedRows.length > 0 || plan.forbiddenModels.length > 0;
  if (body.get('post') === 'yes') {
    if (blocked) throw denied();
    await atomic(async () => {
      await logDeletions(req, meta, found);
      await rows.delete();
    });
    messages.success(req, `Successfully deleted ${countOf(found.length, meta)}.`);
    return redirect(req.url, 303);
  }
  return renderPage(req, site, 'admin/delete_selected_confirmation.html', {
    title: 'Are you sure?',
    crumbs: [...modelCrumbs(req, site, admin), { label: 'Delete multiple objects' }],
    verboseName: meta.verboseName,
    verboseNamePlural: meta.verboseNamePlural,
    plan,
    blocked,
    keys: found.map((row) => String(pkOf(meta, row))),
    selectAcross: body.get('select_across') === '1',
    backUrl: req.url,
  });
}

/** Handles a POST to the change list. */
export async function runAction(
  req: HttpRequest,
  site: AdminSite,
  admin: ModelAdmin,
): Promise<HandlerResult> {
  const body = await req.form();
  const name = body.get('action') ?? '';
  const permissions = await permissionsFor(req, admin);
  const chosen = admin.actions.find((action) => action.name === name);
  if (name !== deleteSelected && chosen === undefined) {
    messages.warning(req, 'No action selected.');
    return redirect(req.url, 303);
  }
  if (!permissions[chosen?.permission ?? 'delete']) throw denied();
  const rows = selectedRows(admin, req, body);
  if (body.get('select_across') !== '1' && body.getAll('_selected_action').length === 0) {
    messages.warning(
      req,
      'Items must be selected in order to perform actions on them. No items have been changed.',
    );
    return redirect(req.url, 303);
  }
  if (chosen === undefined) return confirmOrDelete(req, site, admin, body, rows);
  const result = await chosen.run(req, typedQuery(admin.model, rows));
  return result ?? redirect(req.url, 303);
}
