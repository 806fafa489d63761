// A form's fields as JSON Schema (draft 2020-12), for API documentation and clients. Each
// property describes the cleaned value; optional fields that clean to null accept null.
import type { JsonValue } from '../index.js';
import type { FormField } from './field.js';
import { prettyName } from './labels.js';
import type { FormFields } from './types.js';

type SchemaObject = { [key: string]: JsonValue };

function toJson(value: unknown): JsonValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  return undefined;
}

function allowNull(schema: SchemaObject): SchemaObject {
  if (Array.isArray(schema.enum)) return { ...schema, enum: [...schema.enum, null] };
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  return schema;
}

function fieldJsonSchema(name: string, field: FormField): SchemaObject {
  let schema: SchemaObject = { ...field.spec.schema };
  if (!field.required && field.spec.empty === null) schema = allowNull(schema);
  // A required checkbox must be ticked, as the form checks.
  if (field.input === 'checkbox' && field.required) schema.const = true;
  if (field.input === 'multiple' && field.required) schema.minItems = 1;
  schema.title = field.label ?? prettyName(name);
  if (field.helpText !== undefined) schema.description = field.helpText;
  const initial = toJson(field.initial);
  if (initial !== undefined && !(Array.isArray(initial) && initial.length === 0))
    schema.default = initial;
  if (field.disabled) schema.readOnly = true;
  if (field.hidesValue) schema.writeOnly = true;
  return schema;
}

export function formJsonSchema(fields: FormFields): SchemaObject {
  const properties: SchemaObject = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    properties[name] = fieldJsonSchema(name, field);
    if (field.required && !field.disabled) required.push(name);
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties,
    required,
    additionalProperties: false,
  };
}
