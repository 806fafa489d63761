// The inputs themselves. Each widget gets the field, its names and what to show, and returns
// escaped markup with the accessibility attributes (aria-invalid, aria-describedby) in place.
import type { FormField } from './field.js';
import { type Attrs, element, escapeHtml } from './html.js';

export interface WidgetContext {
  readonly field: FormField;
  /** The submitted name, prefix included (`choices-0-text`). */
  readonly name: string;
  readonly id: string;
  readonly value: string | readonly string[] | boolean;
  readonly invalid: boolean;
  /** Ids of the help text and error list, space-separated; undefined when there are none. */
  readonly describedBy: string | undefined;
  /** Whether to add the HTML `required` attribute (a formset's extra forms may be left empty). */
  readonly required: boolean;
}

const inputTypes: Readonly<Record<string, string>> = {
  text: 'text',
  password: 'password',
  hidden: 'hidden',
  email: 'email',
  url: 'url',
  number: 'number',
  date: 'date',
  'datetime-local': 'datetime-local',
  time: 'time',
  file: 'file',
};

/** Attributes every control of the field shares; the developer's `attrs` win, except name and id. */
function baseAttrs(context: WidgetContext): Attrs {
  const { field } = context;
  return {
    ...(field.isGroup ? {} : field.spec.inputAttrs),
    ...field.attrs,
    required:
      context.required &&
      field.required &&
      !field.disabled &&
      !field.isHidden &&
      field.widget !== 'checkboxes',
    disabled: field.disabled,
    'aria-invalid': context.invalid ? 'true' : undefined,
  };
}

function text(value: WidgetContext['value']): string {
  return typeof value === 'string' ? value : '';
}

function selected(context: WidgetContext): Set<string> {
  const { value } = context;
  return new Set(typeof value === 'string' ? [value] : Array.isArray(value) ? value : []);
}

/** A single select offers "---------" when it may stay empty or nothing is chosen yet. */
function choiceOptions(context: WidgetContext): string {
  const { field } = context;
  const chosen = selected(context);
  const choices = field.choices ?? [];
  const options = choices.map((choice) =>
    element(
      'option',
      { value: String(choice.value), selected: chosen.has(String(choice.value)) },
      escapeHtml(choice.label),
    ),
  );
  const current = choices.some((choice) => chosen.has(String(choice.value)));
  if (field.input !== 'multiple' && (!field.required || !current)) {
    options.unshift(element('option', { value: '', selected: !current }, '---------'));
  }
  return options.join('');
}

function group(context: WidgetContext, type: 'radio' | 'checkbox'): string {
  const chosen = selected(context);
  const items = (context.field.choices ?? []).map((choice, index) => {
    const id = `${context.id}_${index}`;
    const input = element('input', {
      type,
      name: context.name,
      value: String(choice.value),
      ...baseAttrs(context),
      checked: chosen.has(String(choice.value)),
      id,
    });
    return `<div>${input}${element('label', { for: id }, escapeHtml(choice.label))}</div>`;
  });
  return element('div', { id: context.id }, items.join(''));
}

export function renderWidget(context: WidgetContext): string {
  const { field, name, id } = context;
  const described = { 'aria-describedby': context.describedBy };
  switch (field.widget) {
    case 'textarea':
      return element(
        'textarea',
        { name, cols: 40, rows: 10, ...baseAttrs(context), ...described, id },
        // The parser drops one newline right after <textarea>; this keeps a value's own first newline.
        `\n${escapeHtml(text(context.value))}`,
      );
    case 'select':
      return element(
        'select',
        { name, ...baseAttrs(context), multiple: field.input === 'multiple', ...described, id },
        choiceOptions(context),
      );
    case 'radio':
      return group(context, 'radio');
    case 'checkboxes':
      return group(context, 'checkbox');
    case 'checkbox':
      return element('input', {
        type: 'checkbox',
        name,
        ...baseAttrs(context),
        checked: context.value === true,
        ...described,
        id,
      });
    default: {
      const value = field.widget === 'file' || field.hidesValue ? '' : text(context.value);
      return element('input', {
        type: inputTypes[field.widget] ?? 'text',
        name,
        value: value === '' ? undefined : value,
        ...baseAttrs(context),
        ...(field.widget === 'hidden' ? {} : described),
        id,
      });
    }
  }
}
