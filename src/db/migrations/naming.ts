// Migration names, as Django makes them: `0001_initial`, `0002_question_pub_date`,
// `0003_remove_question_text_choice_votes_and_more`, `0004_auto_20261121_1000` when an operation
// says nothing useful (RunSQL, RunCode).
import { snakeCase } from '../fields/field.js';
import type { Operation } from './operations/operation.js';

const maxLength = 52;

/** `'polls.Question'` → `'question'`. */
function modelPart(label: unknown): string {
  const text = String(label);
  return snakeCase(text.slice(text.indexOf('.') + 1));
}

function namePart(value: unknown): string {
  return snakeCase(String(value));
}

function argName(value: unknown): string {
  return typeof value === 'object' && value !== null && 'name' in value ? String(value.name) : '';
}

/** What one operation contributes to the name, or `undefined` when it has nothing to say. */
function fragment(operation: Operation): string | undefined {
  const { name, args } = operation.toCall();
  const [label, second, third] = args;
  switch (name) {
    case 'createModel':
      return modelPart(label);
    case 'deleteModel':
      return `delete_${modelPart(label)}`;
    case 'renameModel':
      return `rename_${modelPart(label)}_${modelPart(second)}`;
    case 'alterModelTable':
      return `alter_${modelPart(label)}_table`;
    case 'addField':
      return `${modelPart(label)}_${namePart(second)}`;
    case 'removeField':
      return `remove_${modelPart(label)}_${namePart(second)}`;
    case 'alterField':
      return `alter_${modelPart(label)}_${namePart(second)}`;
    case 'renameField':
      return `rename_${namePart(second)}_${modelPart(label)}_${namePart(third)}`;
    case 'addIndex':
    case 'addConstraint':
      return `${modelPart(label)}_${argName(second).toLowerCase()}`;
    case 'removeIndex':
    case 'removeConstraint':
      return `remove_${modelPart(label)}_${String(second).toLowerCase()}`;
    case 'alterUniqueTogether':
      return `alter_${modelPart(label)}_unique_together`;
    default:
      return undefined;
  }
}

function timestamp(now: Date): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}_${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** The name part of a new migration's file name (after `0002_`). */
export function suggestName(
  operations: readonly Operation[],
  options: { readonly initial?: boolean; readonly now?: Date } = {},
): string {
  if (options.initial === true) return 'initial';
  const fragments = operations.map(fragment);
  if (fragments.length === 0 || fragments.some((part) => part === undefined || part === '')) {
    return `auto_${timestamp(options.now ?? new Date())}`;
  }
  const parts = fragments.map((part) => part!.replace(/\W+/g, '_'));
  let name = parts[0]!;
  for (const part of parts.slice(1)) {
    const longer = `${name}_${part}`;
    if (longer.length > maxLength) return `${name}_and_more`;
    name = longer;
  }
  return name;
}

/** The number of the next migration in an app, from the names it has (`['0001_initial']` → 2). */
export function nextNumber(names: Iterable<string>): number {
  let highest = 0;
  for (const name of names) {
    const match = /^(\d+)_/.exec(name);
    if (match !== null) highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}

/** `migrationName(2, 'question_pub_date')` → `'0002_question_pub_date'`. */
export function migrationName(number: number, name: string): string {
  return `${String(number).padStart(4, '0')}_${name}`;
}
