// The input of a many-to-many autocomplete field: one text input holding the chosen rows' keys,
// separated by commas ("3,7"), which is all a browser without JavaScript needs; admin.js hides it
// behind a search box and the list of chosen rows. Keys sent as repeated values (`tags=3&tags=7`)
// are read too, so a plain form post or a test client works the usual way.
import { FormField } from '../../forms/index.js';

type RawField = Parameters<FormField['clean']>[0];

/** Every key in the submitted texts, once each, in order. */
export function keyTexts(texts: readonly string[]): string[] {
  return [...new Set(texts.flatMap((text) => text.split(/[\s,]+/)).filter((key) => key !== ''))];
}

function split(raw: RawField): RawField {
  return { values: keyTexts(raw.values), files: raw.files };
}

export class KeyListField extends FormField {
  override clean(raw: RawField): unknown {
    return super.clean(split(raw));
  }

  /** The keys as the text input shows them. */
  override display(value: unknown): string {
    const shown = super.display(value);
    return Array.isArray(shown) ? shown.join(',') : String(shown);
  }

  /** A submission is shown again as it was typed, mistakes included, to be corrected. */
  override displayRaw(raw: RawField): string {
    return raw.values.join(',');
  }

  /** The same rows in another order, or spelled with spaces, are no change. */
  override hasChanged(initial: unknown, raw: RawField): boolean {
    const before = new Set(keyTexts([this.display(initial)]));
    const after = keyTexts(raw.values);
    return before.size !== after.length || after.some((key) => !before.has(key));
  }
}
