// Names people read, from the names developers write.
import type { Field, ModelMeta } from '../db/index.js';

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `pubDate` → "pub date". */
export function words(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/** A field's label as a heading: its `label`, else its name in words, capitalized. */
export function fieldLabel(field: Field): string {
  return capitalize(field.label ?? words(field.name));
}

export function modelTitle(meta: ModelMeta, plural = false): string {
  return capitalize(plural ? meta.verboseNamePlural : meta.verboseName);
}

/** `3 questions`, `1 question`. */
export function countOf(count: number, meta: ModelMeta): string {
  return `${count} ${count === 1 ? meta.verboseName : meta.verboseNamePlural}`;
}

/** `a, b and c`. */
export function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
