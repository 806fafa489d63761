// One registered model: its options checked against the model's fields when it is registered,
// and what the views need from them (permission names, URL parts, the fields of its forms).
import type { AnyModel, Field, ModelMeta, RelationField } from '../db/index.js';
import { CarafeError } from '../index.js';
import type {
  ActionFunction,
  AdminAction,
  AdminInline,
  InlineOptions,
  ListDisplayItem,
  ModelAdminOptions,
  PermissionAction,
} from './options.js';
import { capitalize, words } from './words.js';

export interface ResolvedAction {
  readonly name: string;
  readonly label: string;
  readonly permission: PermissionAction;
  readonly run: ActionFunction<AnyModel>;
}

export interface ResolvedFieldset {
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly collapsed: boolean;
  readonly fields: readonly string[];
}

export interface ResolvedInline {
  readonly model: AnyModel;
  readonly options: InlineOptions<AnyModel>;
}

const filterKinds = new Set(['boolean', 'date', 'datetime', 'foreignKey', 'oneToOne']);

function optionError(meta: ModelMeta, option: string, problem: string): CarafeError {
  return new CarafeError(
    'CARAFE_ADMIN_OPTION',
    `admin.register(${meta.label}): ${option}: ${problem}.`,
  );
}

function isRelation(field: Field): field is RelationField {
  return field.isRelation;
}

/** Checks a path's first step (the rest is checked when the related model is known). */
function checkPath(meta: ModelMeta, option: string, path: string): void {
  const [head, ...rest] = path.replace(/^-/, '').split('.');
  const field = meta.fieldByName.get(head ?? '');
  const names = meta.fields.map((candidate) => candidate.name).join(', ');
  if (field === undefined)
    throw optionError(meta, option, `"${path}" is not a field (fields: ${names})`);
  if (rest.length > 0 && !(isRelation(field) && field.concrete)) {
    throw optionError(meta, option, `"${path}" goes through "${head}", which is not a foreign key`);
  }
}

function editableField(meta: ModelMeta, option: string, name: string): Field {
  const field = meta.fieldByName.get(name);
  if (field === undefined || field.name !== name || field.primaryKey || !field.editable) {
    const editable = meta.fields.filter((f) => f.editable && !f.primaryKey).map((f) => f.name);
    throw optionError(
      meta,
      option,
      `"${name}" is not an editable field (editable: ${editable.join(', ')})`,
    );
  }
  return field;
}

function resolveAction(
  meta: ModelMeta,
  item: ActionFunction<AnyModel> | AdminAction<AnyModel>,
): ResolvedAction {
  const given = typeof item === 'function' ? { run: item } : item;
  const name = given.name ?? given.run.name;
  if (typeof given.run !== 'function' || !/^[A-Za-z_][\w-]*$/.test(name ?? '')) {
    throw optionError(meta, 'actions', 'each action is a named function, or { name, label, run }');
  }
  if (name === 'delete_selected')
    throw optionError(meta, 'actions', '"delete_selected" is built in');
  return {
    name,
    label: given.label ?? capitalize(words(name)),
    permission: given.permission ?? 'change',
    run: given.run,
  };
}

export class ModelAdmin {
  readonly model: AnyModel;
  readonly meta: ModelMeta;
  /** Lower case, as in URLs and permission names: `polls`, `question`. */
  readonly appLabel: string;
  readonly modelName: string;
  readonly listDisplay: readonly ListDisplayItem<AnyModel>[];
  readonly listFilter: readonly Field[];
  readonly searchFields: readonly string[];
  readonly ordering: readonly string[];
  readonly listPerPage: number;
  readonly readonlyFields: ReadonlySet<string>;
  readonly fieldsets: readonly ResolvedFieldset[];
  readonly inlines: readonly ResolvedInline[];
  readonly actions: readonly ResolvedAction[];
  readonly autocompleteFields: ReadonlySet<string>;

  constructor(model: AnyModel, options: ModelAdminOptions<AnyModel>) {
    const meta = model.meta;
    this.model = model;
    this.meta = meta;
    this.appLabel = meta.appLabel.toLowerCase();
    this.modelName = meta.modelName.toLowerCase();
    this.listDisplay = options.listDisplay ?? [];
    for (const item of this.listDisplay) {
      if (typeof item === 'string') checkPath(meta, 'listDisplay', item);
      else if (typeof item !== 'function' && typeof item.value !== 'function') {
        throw optionError(
          meta,
          'listDisplay',
          'a column is a field name, a function or { label, value }',
        );
      }
    }
    this.listFilter = (options.listFilter ?? []).map((name) => {
      const field = editableField(meta, 'listFilter', name);
      if (!filterKinds.has(field.kind) && field.choices === undefined) {
        throw optionError(
          meta,
          'listFilter',
          `"${name}" is a ${field.kind} field; filters take booleans, fields with choices, foreign keys and dates`,
        );
      }
      return field;
    });
    this.searchFields = options.searchFields ?? [];
    for (const path of this.searchFields) checkPath(meta, 'searchFields', path);
    this.ordering = options.ordering ?? [];
    for (const key of this.ordering) checkPath(meta, 'ordering', key);
    const perPage = options.listPerPage ?? 100;
    if (!Number.isInteger(perPage) || perPage < 1) {
      throw optionError(meta, 'listPerPage', `give a whole number ≥ 1, got ${String(perPage)}`);
    }
    this.listPerPage = perPage;
    this.readonlyFields = new Set(options.readonlyFields ?? []);
    for (const name of this.readonlyFields) editableField(meta, 'readonlyFields', name);
    this.fieldsets = this.#fieldsets(options);
    this.autocompleteFields = new Set(options.autocompleteFields ?? []);
    for (const name of this.autocompleteFields) {
      const field = meta.fieldByName.get(name);
      const chosen = field !== undefined && isRelation(field) && field.name === name;
      if (!chosen || !(field.concrete || field.kind === 'manyToMany')) {
        throw optionError(
          meta,
          'autocompleteFields',
          `"${name}" is not a foreign key or many-to-many field`,
        );
      }
      editableField(meta, 'autocompleteFields', name);
    }
    this.inlines = (options.inlines ?? []).map((item: AdminInline) => {
      if (typeof item?.model?.meta !== 'object') {
        throw optionError(meta, 'inlines', 'list inline(ChildModel, { … }) entries');
      }
      return { model: item.model, options: item.options };
    });
    this.actions = (options.actions ?? []).map((item) => resolveAction(meta, item));
  }

  #fieldsets(options: ModelAdminOptions<AnyModel>): ResolvedFieldset[] {
    const meta = this.meta;
    if (options.fieldsets === undefined) {
      const fields = meta.fields
        .filter((field) => field.editable && !field.primaryKey && !field.generated)
        .map((field) => field.name);
      return [{ title: undefined, description: undefined, collapsed: false, fields }];
    }
    const seen = new Set<string>();
    return options.fieldsets.map((set) => {
      for (const name of set.fields) {
        editableField(meta, 'fieldsets', name);
        if (seen.has(name)) throw optionError(meta, 'fieldsets', `"${name}" is listed twice`);
        seen.add(name);
      }
      return {
        title: set.title,
        description: set.description,
        collapsed: set.collapsed === true,
        fields: set.fields,
      };
    });
  }

  /** Every field shown on the add and change pages, in order. */
  get formFields(): string[] {
    return this.fieldsets.flatMap((set) => set.fields);
  }

  /** The URL parameters naming this model. */
  get params(): { app: string; model: string } {
    return { app: this.appLabel, model: this.modelName };
  }
}
