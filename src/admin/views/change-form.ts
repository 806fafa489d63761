// The add and change pages: the model form laid out in fieldsets, read-only fields, autocomplete
// relations and inline rows, saved together in one transaction with a history entry. A user
// who may view but not change the model sees every field read-only and no save buttons.
import { atomic } from '../../db/index.js';
import type { BoundField, Form, FormFields, ModelForm } from '../../forms/index.js';
import {
  type FormBody,
  type Handler,
  type HandlerResult,
  type HttpRequest,
  redirect,
} from '../../index.js';
import { messages } from '../../sessions/index.js';
import { canView, denied, requirePermission } from '../access.js';
import {
  type AutocompleteInfo,
  autocompleteForm,
  changedRelations,
  foreignKeyValues,
  saveManyToMany,
} from '../forms/autocomplete.js';
import { changeMessage } from '../forms/change-message.js';
import { inlineParts } from '../forms/inlines.js';
import { editedFields, mainForm } from '../forms/main-form.js';
import { readonlyCell } from '../forms/readonly.js';
import { logAction } from '../log.js';
import { modelAdminFor, objectFor, objectParams } from '../lookup.js';
import type { ModelAdmin } from '../model-admin.js';
import { modelCrumbs, renderPage } from '../page.js';
import { pkOf, type Row } from '../query-access.js';
import type { AdminSite } from '../site.js';

type AnyModelForm = ModelForm<ModelAdmin['model'], FormFields>;

interface PageForms {
  readonly main: AnyModelForm;
  readonly related: Form<FormFields> | undefined;
  readonly autocomplete: ReadonlyMap<string, AutocompleteInfo>;
  /** Autocomplete fields whose submitted rows differ from the stored ones. */
  readonly relatedChanged: readonly string[];
}

async function buildForms(
  req: HttpRequest,
  site: AdminSite,
  admin: ModelAdmin,
  row: Row | undefined,
  bind: boolean,
): Promise<PageForms> {
  const names = admin.formFields.filter(
    (name) => admin.autocompleteFields.has(name) && !admin.readonlyFields.has(name),
  );
  const auto = await autocompleteForm(req, site, admin, row, names);
  const related =
    auto === undefined
      ? undefined
      : bind
        ? await auto.definition.bind(req)
        : auto.definition.unbound();
  const definition = mainForm(admin);
  const instance = row as never;
  const main = bind
    ? await definition.bind(req, {
        instance,
        values: related?.isValid() ? foreignKeyValues(admin, related) : undefined,
      })
    : await definition.unbound({ instance });
  const relatedChanged =
    auto !== undefined && related?.isValid() === true ? changedRelations(admin, auto, related) : [];
  return { main, related, autocomplete: auto?.info ?? new Map(), relatedChanged };
}

async function fieldsets(admin: ModelAdmin, row: Row | undefined, forms: PageForms | undefined) {
  const edited = new Set(forms === undefined ? [] : editedFields(admin));
  return Promise.all(
    admin.fieldsets.map(async (set) => ({
      ...set,
      rows: await Promise.all(
        set.fields.map(async (name) => {
          if (forms !== undefined && edited.has(name)) {
            return { kind: 'field', field: forms.main.field(name) };
          }
          if (forms?.related !== undefined && forms.autocomplete.has(name)) {
            const field: BoundField = forms.related.field(name);
            return { kind: 'field', field, autocomplete: forms.autocomplete.get(name) };
          }
          return { kind: 'readonly', ...(await readonlyCell(admin, row, name)) };
        }),
      ),
    })),
  );
}

function afterSave(
  req: HttpRequest,
  site: AdminSite,
  admin: ModelAdmin,
  body: FormBody,
  saved: object,
  adding: boolean,
): HandlerResult {
  const meta = admin.meta;
  const name = `The ${meta.verboseName} “${String(saved)}” was ${adding ? 'added' : 'changed'} successfully.`;
  if (body.get('_continue') !== null) {
    messages.success(req, `${name} You may edit it again below.`);
    return redirect(req.urlFor(site.urls.change, objectParams(admin, pkOf(meta, saved))), 303);
  }
  if (body.get('_addanother') !== null) {
    messages.success(req, `${name} You may add another ${meta.verboseName} below.`);
    return redirect(req.urlFor(site.urls.add, admin.params), 303);
  }
  messages.success(req, name);
  return redirect(req.urlFor(site.urls.changeList, admin.params), 303);
}

async function formPage(
  req: HttpRequest,
  site: AdminSite,
  admin: ModelAdmin,
  row: Row | undefined,
): Promise<HandlerResult> {
  const adding = row === undefined;
  const permissions = await requirePermission(req, admin, (can) =>
    adding ? can.add : canView(can),
  );
  const editable = adding ? permissions.add : permissions.change;
  const bind = req.method === 'POST';
  if (bind && !editable) throw denied();
  const forms = editable ? await buildForms(req, site, admin, row, bind) : undefined;
  const inlines = await inlineParts(req, admin, row, bind);
  if (bind && forms !== undefined) {
    const { main, related } = forms;
    const valid =
      (related?.isValid() ?? true) &&
      main.isValid() &&
      inlines.every((part) => part.formset === undefined || part.formset.isValid());
    if (valid) {
      const changed = [...main.changedFields(), ...forms.relatedChanged];
      const message = changeMessage(admin.meta, adding, changed, inlines);
      const saved = await atomic(async () => {
        const object = await main.save();
        if (related !== undefined) await saveManyToMany(admin, related, object);
        for (const part of inlines) await part.formset?.save({ parent: object });
        await logAction(req, admin.meta, object, adding ? 'add' : 'change', message());
        return object;
      });
      return afterSave(req, site, admin, await req.form(), saved, adding);
    }
  }
  const meta = admin.meta;
  const verb = adding ? 'Add' : editable ? 'Change' : 'View';
  const key = row === undefined ? undefined : pkOf(meta, row);
  const objectUrls =
    key === undefined
      ? undefined
      : {
          history: req.urlFor(site.urls.history, objectParams(admin, key)),
          delete: permissions.delete
            ? req.urlFor(site.urls.delete, objectParams(admin, key))
            : undefined,
        };
  const topErrors = [...(forms?.main.topErrors() ?? []), ...(forms?.related?.topErrors() ?? [])];
  // A submission that reaches this point did not validate.
  const invalid = bind;
  return renderPage(
    req,
    site,
    'admin/change_form.html',
    {
      title: `${verb} ${meta.verboseName}`,
      subtitle: row === undefined ? undefined : String(row),
      crumbs: [
        ...modelCrumbs(req, site, admin),
        { label: row === undefined ? `Add ${meta.verboseName}` : String(row) },
      ],
      editable,
      canAddAnother: permissions.add,
      invalid,
      topErrors,
      fieldsets: await fieldsets(admin, row, forms),
      inlines,
      objectUrls,
    },
    { status: invalid ? 400 : 200 },
  );
}

export function addView(site: AdminSite): Handler<{ app: string; model: string }> {
  return (req) => formPage(req, site, modelAdminFor(site, req.params), undefined);
}

export function changeView(site: AdminSite): Handler<{ app: string; model: string; pk: string }> {
  return async (req) => {
    const admin = modelAdminFor(site, req.params);
    // Permissions first: someone who may not see the model learns nothing about its keys.
    await requirePermission(req, admin, canView);
    return formPage(req, site, admin, await objectFor(admin, req.params.pk));
  };
}
