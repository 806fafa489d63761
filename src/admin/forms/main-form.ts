// The model form of an add or change page: every field the fieldsets show, except the read-only
// ones and the autocomplete relations (which have a form of their own). Made once per model.
import type { AnyModel } from '../../db/index.js';
import { type FormFields, type ModelFormDefinition, modelForm } from '../../forms/index.js';
import type { ModelAdmin } from '../model-admin.js';

export type MainForm = ModelFormDefinition<AnyModel, FormFields>;

const made = new WeakMap<ModelAdmin, MainForm>();

/** The field names the page edits with the model form. */
export function editedFields(admin: ModelAdmin): string[] {
  return admin.formFields.filter(
    (name) => !admin.readonlyFields.has(name) && !admin.autocompleteFields.has(name),
  );
}

export function mainForm(admin: ModelAdmin): MainForm {
  let definition = made.get(admin);
  if (definition === undefined) {
    definition = modelForm(admin.model, { fields: editedFields(admin) }) as MainForm;
    made.set(admin, definition);
  }
  return definition;
}
