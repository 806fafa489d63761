// The form field for a model field: same label, help text, validators, choices and limits, so a
// model is described once. Relations become choices of the related rows, loaded per form.
import { definitionError } from './errors.js';
import { type ChoiceValue, FormField, type SpecOptions, type WidgetName } from './field.js';
import { booleanField, choiceField } from './fields/choice.js';
import { decimalField, floatField, integerField } from './fields/number.js';
import { dateField, dateTimeField, timeField } from './fields/temporal.js';
import { textKinds, textLike, uuidField } from './fields/text.js';
import type { Field, ModelMeta, RelationField, Validator } from './from-db.js';

const int32: readonly [number, number] = [-2147483648, 2147483647];
const int16: readonly [number, number] = [-32768, 32767];

/** Whether the cleaned value may be null: the column takes null, or a default fills it in. */
function storesEmptyAsDefault(field: Field): boolean {
  return field.nullable || field.hasDefault || field.hasDbDefault;
}

/**
 * A model field is optional in a form when it may be blank. Free text left blank is stored as
 * '' (or null when nullable); anything else left blank needs null or a default to fall back on.
 */
export function isRequired(field: Field): boolean {
  if (field.kind === 'boolean') return false;
  if (!field.blank) return true;
  if (field.kind === 'manyToMany') return false;
  const freeText = field.family === 'string' && field.choices === undefined && !field.isRelation;
  return !freeText && !storesEmptyAsDefault(field);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface Customization {
  readonly label?: string;
  readonly helpText?: string;
  readonly widget?: WidgetName;
}

/** The options every generated field shares. */
export function commonOptions(field: Field, custom: Customization): SpecOptions {
  const label = custom.label ?? (field.label === undefined ? undefined : capitalize(field.label));
  return {
    label,
    helpText: custom.helpText ?? field.helpText,
    required: isRequired(field),
    widget: custom.widget,
    // The kind's own checks (length, format) come with the form field; these are the developer's.
    validators: field.spec.options.validators ?? [],
  };
}

function rangeOf(field: Field): { min?: number; max?: number } {
  const given = {
    min: Reflect.get(field.spec.options, 'min'),
    max: Reflect.get(field.spec.options, 'max'),
  };
  const [low, high] =
    field.kind === 'smallInteger'
      ? int16
      : field.kind === 'integer'
        ? int32
        : [undefined, undefined];
  const min = typeof given.min === 'number' ? given.min : low;
  const max = typeof given.max === 'number' ? given.max : high;
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

function unsupported(field: Field): never {
  throw definitionError(
    `modelForm(${field.model.label}): "${field.name}" is a ${field.kind} field, which has no form field yet; ` +
      'leave it out of `fields` or give one in `overrides`',
  );
}

/** The form field for a scalar model field. */
export function scalarFormField(field: Field, custom: Customization): FormField {
  const options = commonOptions(field, custom);
  if (field.choices !== undefined) {
    return choiceField(
      field.kind,
      field.choices.map(([value, label]) => [value as ChoiceValue, label] as const),
      options,
      false,
    );
  }
  const max = field.maxLength;
  const empty = field.nullable ? null : '';
  switch (field.kind) {
    case 'string':
      return textLike({ ...textKinds.text, empty }, { ...options, max });
    case 'text':
      return textLike(
        { ...textKinds.text, empty },
        { ...options, widget: options.widget ?? 'textarea', max },
      );
    case 'email':
      return textLike({ ...textKinds.email, empty }, { ...options, max });
    case 'url':
      return textLike({ ...textKinds.url, empty }, { ...options, max });
    case 'slug':
      return textLike({ ...textKinds.slug, empty }, { ...options, max });
    case 'integer':
    case 'smallInteger':
      return integerField({ ...options, ...rangeOf(field) });
    case 'float':
      return floatField({ ...options, ...rangeOf(field) });
    case 'decimal':
      return decimalField({
        ...options,
        maxDigits: field.maxDigits,
        decimalPlaces: field.decimalPlaces,
      });
    case 'boolean':
      return booleanField(options);
    case 'date':
      return dateField(options);
    case 'datetime':
      return dateTimeField(options);
    case 'time':
      return timeField(options);
    case 'uuid':
      return uuidField(options);
    default:
      return unsupported(field);
  }
}

type Row = object;

function pkSchema(target: ModelMeta): { type: string } {
  const pk = target.pk;
  return { type: pk.family === 'number' ? 'integer' : 'string' };
}

/**
 * A choice among related rows. Before the rows are loaded (`rows` undefined) it only
 * describes itself; each form gets its own copy with the rows of that moment.
 */
export function relationFormField(
  field: RelationField,
  custom: Customization,
  rows?: readonly Row[],
): FormField {
  const target = field.target;
  const pkOf = (row: unknown): unknown =>
    typeof row === 'object' && row !== null ? Reflect.get(row, target.pk.attname) : row;
  const byKey = new Map((rows ?? []).map((row) => [String(pkOf(row)), row]));
  const multiple = field.relation === 'manyToMany';
  const widgets: WidgetName[] = multiple ? ['select', 'checkboxes'] : ['select', 'radio', 'hidden'];
  const keySchema = pkSchema(target);
  return new FormField({
    kind: multiple ? 'modelMultipleChoice' : 'modelChoice',
    input: multiple ? 'multiple' : 'single',
    widgets,
    options: { ...commonOptions(field, custom), validators: [] as Validator<never>[] },
    choices: (rows ?? []).map((row) => [pkOf(row) as ChoiceValue, String(row)] as const),
    empty: multiple ? [] : null,
    resolve: (value) => byKey.get(String(value)),
    format: (value) => String(pkOf(value)),
    schema: multiple ? { type: 'array', items: keySchema, uniqueItems: true } : keySchema,
  });
}
