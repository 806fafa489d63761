// What the autodetector's steps share: the operations planned so far, each tagged with the step
// it belongs to (the order within an app) and the other apps whose migrations must run first.
import type { ModelMeta } from '../meta.js';
import { canWrite } from './code-values.js';
import type { FieldDescription } from './field-description.js';
import type { Operation } from './operations/operation.js';
import type { FillReason, Questioner } from './questioner.js';
import { appOf, type ProjectState } from './state.js';

/**
 * The order of the steps inside one app's migration, as in Django: renamed models first, then
 * new models, renamed fields, what is removed (indexes and unique groups before their fields),
 * what is added or altered, deleted models once nothing points at them, and the new indexes and
 * constraints once their fields exist. Table renames come last.
 */
export const Step = {
  renameModel: 1,
  createModel: 2,
  renameField: 3,
  removeOption: 4,
  removeField: 5,
  addField: 6,
  alterField: 7,
  deleteModel: 8,
  addOption: 9,
  alterTable: 10,
} as const;

export type Step = (typeof Step)[keyof typeof Step];

export interface Planned {
  readonly app: string;
  readonly step: Step;
  readonly operation: Operation;
  /** Other apps whose (latest) migration must be applied before this operation. */
  readonly needs: ReadonlySet<string>;
  /** Swappable models (`'auth.User'`) whose app's first migration must be applied before. */
  readonly swappables: ReadonlySet<string>;
}

export class Plan {
  readonly planned: Planned[] = [];

  /**
   * Plans `operation` on the model `label`; `needs` are labels or app labels it depends on, or
   * field descriptions, whose related models it depends on.
   */
  add(
    step: Step,
    label: string,
    operation: Operation,
    needs: Iterable<string | FieldDescription> = [],
  ): void {
    const app = appOf(label);
    const apps = new Set<string>();
    const swappables = new Set<string>();
    const need = (other: string): void => {
      const otherApp = other.includes('.') ? appOf(other) : other;
      if (otherApp !== app) apps.add(otherApp);
    };
    for (const item of needs) {
      if (typeof item === 'string') need(item);
      else if (item.swappable === undefined) relatedLabels(item).forEach(need);
      else {
        // Whichever app holds the model, the migration names the swappable one (Django's
        // swappable_dependency), so it serves projects that replace it too.
        if (appOf(item.to!) !== app) swappables.add(item.swappable);
        if (item.through !== undefined) need(item.through);
      }
    }
    this.planned.push({ app, step, operation, needs: apps, swappables });
  }
}

export interface DetectorContext {
  readonly from: ProjectState;
  readonly to: ProjectState;
  readonly questioner: Questioner;
  /** Live models by label, for their literal JS defaults. */
  readonly live: ReadonlyMap<string, ModelMeta>;
  /** Old label → new label, for the models found renamed. */
  readonly renamedModels: Map<string, string>;
  readonly plan: Plan;
}

/** The models a field refers to: its target and its explicit join model. */
export function relatedLabels(description: FieldDescription): string[] {
  const labels: string[] = [];
  if (description.to !== undefined) labels.push(description.to);
  if (description.through !== undefined) labels.push(description.through);
  return labels;
}

/** `description` with its related labels passed through `renamed` (old label → new label). */
export function relabel(
  description: FieldDescription,
  renamed: ReadonlyMap<string, string>,
): FieldDescription {
  const to = description.to === undefined ? undefined : renamed.get(description.to);
  const through = description.through === undefined ? undefined : renamed.get(description.through);
  if (to === undefined && through === undefined) return description;
  return {
    ...description,
    ...(to !== undefined && { to }),
    ...(through !== undefined && { through }),
  };
}

/** Whether rows already in the table need a value for the field as described. */
export function needsFill(description: FieldDescription): boolean {
  return (
    description.nullable !== true &&
    description.dbDefault === undefined &&
    description.primaryKey !== true &&
    description.kind !== 'manyToMany'
  );
}

/**
 * The one-off value for existing rows: the live field's JS default when it is a literal that can
 * be written into the migration, else the questioner's answer.
 */
export async function fillFor(
  context: DetectorContext,
  label: string,
  name: string,
  description: FieldDescription,
  why: FillReason,
): Promise<unknown> {
  const fallback = context.live.get(label)?.fieldByName.get(name)?.spec.options.default;
  if (fallback !== undefined && fallback !== null && canWrite(fallback)) return fallback;
  return context.questioner.askFill(label, name, description, why);
}

/** A canonical JSON text, object keys sorted, for comparing plain option values. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === 'bigint') return `${inner}n`;
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    return Object.fromEntries(
      Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
}
