// Choices and checkboxes. A choice cleans to one of the listed values (typed as their union), a
// multiple choice to a list of them, a boolean to true or false.
import { definitionError } from '../errors.js';
import {
  type ChoiceItem,
  type ChoiceValueOf,
  type FieldOptions,
  FormField,
  type Maybe,
  type SpecOptions,
} from '../field.js';

export interface ChoiceOptions<V> extends FieldOptions<V, 'select' | 'radio' | 'hidden'> {}
export interface MultipleChoiceOptions<V>
  extends Omit<FieldOptions<V[], 'checkboxes' | 'select'>, 'initial'> {
  readonly initial?: readonly V[];
}
export interface BooleanOptions extends FieldOptions<boolean, 'checkbox'> {}

function checkChoices(kind: string, choices: readonly ChoiceItem[]): void {
  if (!Array.isArray(choices) || choices.length === 0) {
    throw definitionError(`ff.${kind}(): give a non-empty list of choices`);
  }
  const seen = new Set<string>();
  for (const item of choices) {
    const value: unknown = Array.isArray(item) ? item[0] : item;
    const label: unknown = Array.isArray(item) ? item[1] : '';
    if ((typeof value !== 'string' && typeof value !== 'number') || typeof label !== 'string') {
      throw definitionError(
        `ff.${kind}(): each choice is a string or number, or a [value, label] pair; got ${JSON.stringify(item)}`,
      );
    }
    if (seen.has(String(value)))
      throw definitionError(`ff.${kind}(): the choice ${JSON.stringify(value)} is listed twice`);
    seen.add(String(value));
  }
}

function values(choices: readonly ChoiceItem[]): (string | number)[] {
  return choices.map((item) => (Array.isArray(item) ? item[0] : (item as string | number)));
}

/** The choice field behind `ff.choice` and model fields with choices. */
export function choiceField<T>(
  kind: string,
  choices: readonly ChoiceItem[],
  options: SpecOptions,
  multiple: boolean,
): FormField<T> {
  checkChoices(kind, choices);
  const allowed = values(choices);
  return new FormField<T>({
    kind,
    input: multiple ? 'multiple' : 'single',
    widgets: multiple ? ['checkboxes', 'select'] : ['select', 'radio', 'hidden'],
    options,
    choices,
    empty: multiple ? [] : null,
    strip: false,
    schema: multiple
      ? { type: 'array', items: { enum: allowed }, uniqueItems: true }
      : { enum: allowed },
  });
}

export function booleanField(options: SpecOptions): FormField<boolean> {
  return new FormField<boolean>({
    kind: 'boolean',
    input: 'checkbox',
    widgets: ['checkbox'],
    options,
    empty: false,
    schema: { type: 'boolean' },
  });
}

export const choiceFields = {
  /**
   * One of a list: `ff.choice(['bug', 'idea'])` cleans to `'bug' | 'idea'`. Give `[value, label]`
   * pairs to show labels: `ff.choice([['bug', 'Bug report'], ['idea', 'Idea']])`.
   */
  choice<const C extends readonly ChoiceItem[], const O extends ChoiceOptions<ChoiceValueOf<C>>>(
    choices: C,
    options?: O,
  ): FormField<Maybe<O, ChoiceValueOf<C>>> {
    return choiceField(`choice`, choices, options ?? {}, false);
  },
  /** Any number of a list, as checkboxes by default; cleans to an array (empty when optional and none). */
  multipleChoice<const C extends readonly ChoiceItem[]>(
    choices: C,
    options?: MultipleChoiceOptions<ChoiceValueOf<C>>,
  ): FormField<ChoiceValueOf<C>[]> {
    return choiceField('multipleChoice', choices, options ?? {}, true);
  },
  /**
   * A checkbox. Required by default, as in Django: "I agree" must be ticked. Use
   * `required: false` for an ordinary on/off setting.
   */
  boolean(options: BooleanOptions = {}): FormField<boolean> {
    return booleanField(options);
  },
};
