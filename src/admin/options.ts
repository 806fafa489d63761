// What `admin.register(Model, options)` takes, typed against the model: a misspelled field in
// any option is a compile error, and (for JavaScript callers) a CarafeError at registration.
import type {
  AnyModel,
  FieldPath,
  Instance,
  OrderKey,
  PrefetchName,
  QuerySet,
} from '../db/index.js';
import type { EditableName } from '../forms/index.js';
import type { HandlerResult, HttpRequest } from '../index.js';

/** A computed column of the change list. */
export interface ListColumn<M extends AnyModel> {
  /** The column header. */
  readonly label: string;
  /**
   * The cell's value, from the row as the change list loaded it (foreign keys named in
   * `listDisplay` are joined in). Text is escaped; return `markSafe(html)` for trusted markup.
   */
  readonly value: (row: Instance<M>) => unknown;
  /** Makes the header sortable by this path: `orderBy: '-pubDate'`. */
  readonly orderBy?: OrderKey<M>;
  /** Show the value as a yes/no icon. */
  readonly boolean?: boolean;
}

/** A field (`'text'`), a foreign key (`'category'`), a path through one, or a computed column. */
export type ListDisplayItem<M extends AnyModel> =
  | FieldPath<M>
  | ListColumn<M>
  | ((row: Instance<M>) => unknown);

/** A group of fields on the add and change pages. */
export interface Fieldset<M extends AnyModel> {
  readonly title?: string;
  readonly description?: string;
  readonly fields: readonly EditableName<M>[];
  /** Folded away until opened (a `<details>` element: no script needed). */
  readonly collapsed?: boolean;
}

/** What an action returns: nothing (back to the change list) or a response of its own. */
// biome-ignore lint/suspicious/noConfusingVoidType: an action that only does its work returns nothing
export type ActionResult = void | HandlerResult;

/** Runs on the rows a user ticked: `(req, queryset) => queryset.update({ isOpen: false })`. */
export type ActionFunction<M extends AnyModel> = (
  req: HttpRequest,
  queryset: QuerySet<M>,
) => ActionResult | Promise<ActionResult>;

export interface AdminAction<M extends AnyModel> {
  /** The value sent by the form; the function's name by default. */
  readonly name?: string;
  /** What the menu shows: "Close selected questions". */
  readonly label?: string;
  /** The permission the user needs on the model; `change` by default. */
  readonly permission?: PermissionAction;
  readonly run: ActionFunction<M>;
}

export type PermissionAction = 'view' | 'add' | 'change' | 'delete';

export interface InlineOptions<C extends AnyModel> {
  /** The child fields to edit, in order; every editable one but the foreign key by default. */
  readonly fields?: readonly EditableName<C>[];
  /** The foreign key to the parent, when the child has several. */
  readonly fk?: EditableName<C>;
  /** Empty rows for new children (3 by default). */
  readonly extra?: number;
  readonly min?: number;
  readonly max?: number;
  /** A Delete box on each row (on by default). */
  readonly canDelete?: boolean;
  /** The heading; the child's plural name by default. */
  readonly label?: string;
}

/** Child rows edited on the parent's page; make one with `inline(Choice, { … })`. */
export interface AdminInline {
  readonly model: AnyModel;
  readonly options: InlineOptions<AnyModel>;
}

/** The children of another model, to edit with it: `inlines: [inline(Choice, { extra: 3 })]`. */
export function inline<C extends AnyModel>(model: C, options: InlineOptions<C> = {}): AdminInline {
  return { model, options: options as unknown as InlineOptions<AnyModel> };
}

/**
 * The foreign keys, one-to-ones and many-to-many fields declared on the model: the relations a
 * page can choose rows for (prefetch names less the reverse ones, which are not its fields).
 */
export type RelationName<M extends AnyModel> = Extract<PrefetchName<M>, EditableName<M>>;

export interface ModelAdminOptions<M extends AnyModel> {
  /** Columns of the change list; the object's name (`String(row)`) by default. */
  readonly listDisplay?: readonly ListDisplayItem<M>[];
  /** Filters in the sidebar, with counts: booleans, fields with choices, foreign keys, dates. */
  readonly listFilter?: readonly EditableName<M>[];
  /** Searched with `icontains` (every word must match one of them): `['text', 'category.name']`. */
  readonly searchFields?: readonly FieldPath<M>[];
  /** The change list's order; the model's `ordering`, else newest key first. */
  readonly ordering?: readonly OrderKey<M>[];
  /** Rows per page (100 by default). */
  readonly listPerPage?: number;
  /** Shown on the change page but not editable. */
  readonly readonlyFields?: readonly EditableName<M>[];
  /** Groups of fields on the add and change pages; one group of every editable field by default. */
  readonly fieldsets?: readonly Fieldset<M>[];
  /** Related models edited on the same page. */
  readonly inlines?: readonly AdminInline[];
  /** Bulk actions besides "Delete selected". */
  readonly actions?: readonly (ActionFunction<M> | AdminAction<M>)[];
  /**
   * Foreign keys and many-to-many fields chosen by searching instead of a select of every row;
   * the related model must be registered with `searchFields`.
   */
  readonly autocompleteFields?: readonly RelationName<M>[];
}
