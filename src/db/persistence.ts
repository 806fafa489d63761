// What instance methods do: save (insert or update, with signals), delete (through the collector),
// refresh, and validate (field rules, choices, lengths, uniqueness).
import { CarafeError } from '../index.js';
import { database } from './connection/index.js';
import { type FieldErrors, ValidationError } from './errors.js';
import type { Field } from './fields/field.js';
import { checkValue, checkWritable } from './fields/values.js';
import {
  forgetLoaded,
  isInstance,
  type ModelInstance,
  markSaved,
  metaOf,
  pkOf,
  savedOnOf,
} from './instance.js';
import type { ModelMeta } from './meta.js';
import type { DeleteResult } from './model-types.js';
import { deleteKeys } from './query/delete.js';
import { fetchExists, fetchRows } from './query/execute.js';
import { insertInstances } from './query/insert.js';
import { initialState, type QueryState } from './query/state.js';
import { objectCondition, WhereBuilder } from './query/where.js';
import { updateQuery } from './query/write.js';
import { resolveRelations } from './registry.js';
import { relatedManagerFor } from './relations.js';
import { postSave, preSave } from './signals.js';

function filteredState(
  meta: ModelMeta,
  conditions: Record<string, unknown>,
  using: string | undefined,
): QueryState {
  const builder = new WhereBuilder([], new Map());
  const collected = objectCondition(builder, meta, conditions);
  return {
    ...initialState(meta),
    where: [collected.node],
    whereSignature: collected.signature,
    values: builder.values,
    using,
  };
}

/** Sets field values on an instance the way `new Model()` would (checked; instances for relations). */
export function assignValues(instance: ModelInstance, values: Record<string, unknown>): void {
  const meta = metaOf(instance);
  for (const [key, value] of Object.entries(values)) {
    const field = meta.concreteField(key, 'the values to set');
    if (field.isRelation && key === field.name && (value === null || isInstance(value)))
      Reflect.set(instance, field.name, value);
    else Reflect.set(instance, field.attname, checkWritable(field, value));
  }
}

function savedFields(
  meta: ModelMeta,
  instance: ModelInstance,
  updateFields: readonly string[] | undefined,
): Field[] {
  if (updateFields === undefined) {
    // Deferred fields (only()/defer()) are absent from the instance and left alone.
    return meta.concreteFields.filter((field) => !field.primaryKey && field.attname in instance);
  }
  return updateFields.map((name) => {
    const field = meta.concreteField(name, 'save({ updateFields })');
    return field;
  });
}

export async function saveInstance(
  instance: ModelInstance,
  options: { updateFields?: readonly string[]; forceInsert?: boolean; using?: string },
): Promise<void> {
  resolveRelations();
  const meta = metaOf(instance);
  const db = database(options.using ?? savedOnOf(instance));
  const model = meta.model;
  const updateFields = options.updateFields;
  // Values may have been assigned since load; check them before any SQL.
  for (const field of meta.concreteFields) {
    const value = Reflect.get(instance, field.attname);
    if (value !== undefined) Reflect.set(instance, field.attname, checkWritable(field, value));
  }
  const inserting = options.forceInsert === true || instance.isNew;
  if (inserting && updateFields !== undefined) {
    throw new CarafeError(
      'CARAFE_DB_NOT_SAVED',
      `save({ updateFields }) needs a saved ${meta.modelName}; this one is new.`,
    );
  }
  await preSave.send({ model, instance, using: db.name, created: inserting, updateFields });
  let created = inserting;
  if (!inserting) {
    const fields = savedFields(meta, instance, updateFields);
    let matched = 0;
    if (fields.length > 0) {
      const values = Object.fromEntries(
        fields.map((field) => [field.attname, Reflect.get(instance, field.attname)]),
      );
      matched = await updateQuery(
        filteredState(meta, { [meta.pk.name]: pkOf(instance) }, db.name),
        values,
      );
    } else {
      matched = (await fetchExists(
        filteredState(meta, { [meta.pk.name]: pkOf(instance) }, db.name),
      ))
        ? 1
        : 0;
    }
    if (matched === 0) {
      if (updateFields !== undefined) {
        throw new CarafeError(
          'CARAFE_DB_NOT_SAVED',
          `save({ updateFields }) on ${meta.label} matched no row (primary key ${String(pkOf(instance))}); it may have been deleted.`,
        );
      }
      created = true;
    }
  }
  if (created) await insertInstances(meta, [instance], db);
  markSaved(instance, db.name);
  await postSave.send({ model, instance, using: db.name, created, updateFields });
}

export async function deleteInstance(
  instance: ModelInstance,
  options: { using?: string },
): Promise<DeleteResult> {
  resolveRelations();
  const meta = metaOf(instance);
  const pk = pkOf(instance);
  if (pk === undefined || pk === null || instance.isNew) {
    throw new CarafeError(
      'CARAFE_DB_NOT_SAVED',
      `This ${meta.modelName} has not been saved, so it cannot be deleted.`,
    );
  }
  const result = await deleteKeys(
    meta,
    [pk],
    options.using ?? savedOnOf(instance),
    new Map([[pk, instance]]),
  );
  markSaved(instance, undefined);
  // As in Django, a deleted instance saved again becomes a new row with a new key.
  if (meta.pk.generated) Reflect.set(instance, meta.pk.attname, undefined);
  return result;
}

export async function refreshInstance(
  instance: ModelInstance,
  options: { fields?: readonly string[] },
): Promise<void> {
  resolveRelations();
  const meta = metaOf(instance);
  const pk = pkOf(instance);
  if (pk === undefined || pk === null) {
    throw new CarafeError(
      'CARAFE_DB_NOT_SAVED',
      `This ${meta.modelName} has no primary key, so there is nothing to refresh from.`,
    );
  }
  const state = filteredState(meta, { [meta.pk.name]: pk }, savedOnOf(instance));
  const [fresh] = (await fetchRows(state, 1)) as ModelInstance[];
  if (fresh === undefined)
    throw new meta.DoesNotExist(`${meta.modelName} matching query does not exist.`);
  const fields =
    options.fields === undefined
      ? meta.concreteFields
      : savedFields(meta, instance, options.fields);
  for (const field of fields) {
    Reflect.set(instance, field.attname, Reflect.get(fresh, field.attname));
    if (field.isRelation) forgetLoaded(instance, field.name);
  }
}

function isEmpty(value: unknown): boolean {
  return value === '' || (Array.isArray(value) && value.length === 0);
}

function fieldErrors(meta: ModelMeta, instance: ModelInstance, field: Field): string[] {
  const value = Reflect.get(instance, field.attname);
  if (value === undefined) {
    return field.generated || field.hasDbDefault || !(field.attname in instance)
      ? []
      : ['This field is required.'];
  }
  if (value === null) return field.nullable ? [] : ['This field cannot be null.'];
  if (isEmpty(value) && !field.blank) return ['This field cannot be blank.'];
  try {
    checkValue(field, value, field.nullable);
  } catch (error) {
    return [
      error instanceof Error
        ? error.message.replace(`${meta.label}.${field.name} expects`, 'Expected')
        : 'Enter a valid value.',
    ];
  }
  const errors: string[] = [];
  if (
    field.choices !== undefined &&
    !isEmpty(value) &&
    !field.choices.some(([choice]) => choice === value)
  ) {
    errors.push(`Value ${JSON.stringify(value)} is not a valid choice.`);
  }
  for (const validator of field.validators) {
    const message = validator(value as never);
    if (message !== undefined) errors.push(message);
  }
  return errors;
}

function title(text: string): string {
  return `${text[0]!.toUpperCase()}${text.slice(1)}`;
}

function fieldLabel(field: Field): string {
  return field.label ?? field.name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function addError(errors: FieldErrors, name: string, message: string): void {
  const list = errors[name];
  if (list === undefined) errors[name] = [message];
  else list.push(message);
}

async function uniqueErrors(
  meta: ModelMeta,
  instance: ModelInstance,
  exclude: ReadonlySet<string>,
  errors: FieldErrors,
): Promise<void> {
  const pk = pkOf(instance);
  const using = savedOnOf(instance);
  const taken = async (fields: readonly Field[]): Promise<boolean> => {
    const conditions: Record<string, unknown> = {};
    for (const field of fields) {
      const value = Reflect.get(instance, field.attname);
      if (value === null || value === undefined) return false;
      conditions[field.attname] = value;
    }
    let state = filteredState(meta, conditions, using);
    if (pk !== undefined && pk !== null && !instance.isNew) {
      const builder = new WhereBuilder(state.values, new Map());
      const other = objectCondition(builder, meta, { [meta.pk.name]: pk });
      state = {
        ...state,
        where: [
          ...state.where,
          { kind: 'group', connector: 'and', negated: true, children: [other.node] },
        ],
        whereSignature: `${state.whereSignature}!(${other.signature})`,
        values: builder.values,
      };
    }
    return fetchExists(state);
  };
  for (const field of meta.concreteFields) {
    if (!field.unique || exclude.has(field.name) || errors[field.name] !== undefined) continue;
    if (field.primaryKey && field.generated) continue;
    if (await taken([field])) {
      addError(
        errors,
        field.name,
        `${title(meta.verboseName)} with this ${fieldLabel(field)} already exists.`,
      );
    }
  }
  const groups = [
    ...meta.uniqueTogether,
    ...meta.constraints.flatMap((constraint) =>
      constraint.kind === 'unique' ? [constraint.fields] : [],
    ),
  ];
  for (const names of groups) {
    const fields = names.map((name) => meta.fieldByName.get(name)!);
    if (fields.some((field) => exclude.has(field.name) || errors[field.name] !== undefined))
      continue;
    if (await taken(fields)) {
      const labels = fields.map(fieldLabel);
      const joined =
        labels.length === 1
          ? labels[0]
          : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
      addError(errors, '__all__', `${title(meta.verboseName)} with this ${joined} already exists.`);
    }
  }
}

export async function instanceErrors(
  instance: ModelInstance,
  options: { exclude?: readonly string[]; unique?: boolean },
): Promise<FieldErrors | undefined> {
  resolveRelations();
  const meta = metaOf(instance);
  const exclude = new Set(options.exclude ?? []);
  const errors: FieldErrors = {};
  for (const field of meta.concreteFields) {
    if (exclude.has(field.name) || (field.primaryKey && field.generated)) continue;
    const messages = fieldErrors(meta, instance, field);
    if (messages.length > 0) errors[field.name] = messages;
  }
  if (options.unique !== false) await uniqueErrors(meta, instance, exclude, errors);
  return Object.keys(errors).length > 0 ? errors : undefined;
}

export async function validateInstance(
  instance: ModelInstance,
  options: { exclude?: readonly string[]; unique?: boolean },
): Promise<void> {
  const errors = await instanceErrors(instance, options);
  if (errors !== undefined) throw new ValidationError(errors);
}

export function relatedManager(instance: ModelInstance, name: string) {
  resolveRelations();
  return relatedManagerFor(instance, name);
}
