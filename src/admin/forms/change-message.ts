// The history's words for one save: "Added.", "Changed text and votes.", and a sentence per
// inline row added, changed or deleted ("Added choice “Yes”.").
import type { Field, ModelMeta } from '../../db/index.js';
import { joinWords, words } from '../words.js';
import type { AnyInlineFormset, InlinePart } from './inlines.js';

function nameOf(field: Field | undefined, name: string): string {
  return field?.label ?? words(field?.name ?? name);
}

function fieldNames(meta: ModelMeta, names: readonly string[]): string[] {
  return names
    .filter((name) => name !== 'DELETE')
    .map((name) => nameOf(meta.fieldByName.get(name), name));
}

type Pending = () => string[];

/** What an inline formset is about to do, read before saving (new rows have no instance yet). */
function inlineChanges(meta: ModelMeta, formset: AnyInlineFormset): Pending {
  const kept = new Set(formset.keptForms());
  const added = formset.forms.filter((form) => kept.has(form) && form.instance === undefined);
  const changed = formset.forms
    .filter((form) => kept.has(form) && form.instance !== undefined && form.hasChanged())
    .map((form) => ({ form, fields: fieldNames(meta, form.changedFields()) }));
  const deleted = formset
    .deletedForms()
    .filter((form) => form.instance !== undefined)
    .map((form) => String(form.instance));
  return () => [
    ...added.map((form) => `Added ${meta.verboseName} “${String(form.instance)}”.`),
    ...changed.map(
      ({ form, fields }) =>
        `Changed ${joinWords(fields)} for ${meta.verboseName} “${String(form.instance)}”.`,
    ),
    ...deleted.map((repr) => `Deleted ${meta.verboseName} “${repr}”.`),
  ];
}

/**
 * Reads what a save will do before it happens and returns the function that words it after
 * (when the new rows have their names).
 */
export function changeMessage(
  meta: ModelMeta,
  adding: boolean,
  changedFields: readonly string[],
  inlines: readonly InlinePart[],
): () => string {
  const pending = inlines
    .filter((part) => part.formset !== undefined)
    .map((part) => inlineChanges(part.meta, part.formset!));
  return () => {
    const own = fieldNames(meta, changedFields);
    const first = adding ? ['Added.'] : own.length > 0 ? [`Changed ${joinWords(own)}.`] : [];
    const sentences = [...first, ...pending.flatMap((words) => words())];
    return sentences.length > 0 ? sentences.join(' ') : 'No fields changed.';
  };
}
