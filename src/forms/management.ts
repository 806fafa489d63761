// A formset's management form: hidden inputs saying how many forms the page holds and how many
// of them edit existing rows, so forms added or removed in the browser are counted right.
import { element } from './html.js';
import type { Submitted } from './submitted.js';

interface FormCounts {
  readonly total: number;
  readonly initial: number;
  readonly min: number;
  readonly max: number;
}

export type ManagementResult =
  | { readonly ok: true; readonly total: number; readonly initial: number }
  | { readonly ok: false; readonly message: string };

const countPattern = /^\d{1,9}$/;

function managementNames(
  prefix: string,
): Record<'total' | 'initial' | 'min' | 'max', string> {
  return {
    total: `${prefix}-TOTAL_FORMS`,
    initial: `${prefix}-INITIAL_FORMS`,
    min: `${prefix}-MIN_NUM_FORMS`,
    max: `${prefix}-MAX_NUM_FORMS`,
  };
}

/** Reads TOTAL_FORMS and INITIAL_FORMS; anything missing or not a count is reported, not guessed. */
export function readManagement(prefix: string, data: Submitted): ManagementResult {
  const names = managementNames(prefix);
  const problems: string[] = [];
  const read = (name: string): number => {
    const text = data.field(name).values.at(-1)?.trim();
    if (text === undefined || text === '') problems.push(`${name} is missing`);
    else if (!countPattern.test(text)) problems.push(`${name} is not a count`);
    return Number(text);
  };
  const total = read(names.total);
  const initial = read(names.initial);
  if (problems.length > 0) {
    return {
      ok: false,
      message: `The form's management data is missing or was changed (${problems.join(', ')}). Reload the page and try again.`,
    };
  }
  return { ok: true, total, initial };
}

export function renderManagement(prefix: string, counts: FormCounts): string {
  const names = managementNames(prefix);
  const hidden = (name: string, value: number) =>
    element('input', { type: 'hidden', name, value, id: `id_${name}` });
  return (
    hidden(names.total, counts.total) +
    hidden(names.initial, counts.initial) +
    hidden(names.min, counts.min) +
    hidden(names.max, counts.max)
  );
}
