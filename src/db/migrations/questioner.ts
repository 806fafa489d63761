// What makemigrations cannot decide alone: whether a field or model disappearing while a similar
// one appears is a rename (keep the data) or a removal plus an addition (lose it), and which
// value rows already in a table get when a non-nullable field appears. Renames are never guessed:
// a run without a terminal must be told through flags, and fails naming the flag otherwise.
import { CarafeError } from '../../index.js';
import type { FieldDescription } from './field-description.js';
import { kindPhrase, parseOneOffValue } from './one-off-value.js';

/** Why existing rows need a value: the field is added, or an existing field becomes non-nullable. */
export type FillReason = 'add' | 'notNull';

export interface Questioner {
  /** Was the model `from` (`'polls.Question'`) renamed to `to` (`'polls.Query'`)? */
  askRenameModel(from: string, to: string): Promise<boolean>;
  /** Was the field `from` of `model` renamed to `to`? `description` is the field's (new) definition. */
  askRenameField(
    model: string,
    from: string,
    to: string,
    description: FieldDescription,
  ): Promise<boolean>;
  /** A one-off value for rows already in `model`'s table; it is written into the migration. */
  askFill(
    model: string,
    field: string,
    description: FieldDescription,
    why: FillReason,
  ): Promise<unknown>;
  /**
   * Called once when detection ends, also after a failure: releases the terminal, and throws
   * whatever a non-interactive run could not decide.
   */
  finish?(): void;
}

export interface NonInteractiveOptions {
  /** `'polls.Question.text=questionText'` (a field) or `'polls.Question=polls.Query'` (a model). */
  readonly renames?: readonly string[];
  /** `'polls.Question.text'` or `'polls.Question'`: not a rename; remove it and add the new one. */
  readonly noRenames?: readonly string[];
  /** `{ 'polls.Question.pubDate': '2026-01-31T12:00:00Z' }`, read as described in one-off-value.ts. */
  readonly defaults?: Readonly<Record<string, string>>;
}

export interface NonInteractiveQuestioner extends Questioner {
  /** The flags no question needed, spelled as flags (`--rename a.B.c=d`), to warn about typos. */
  unused(): string[];
}

const modelPath = /^[A-Za-z_]\w*\.[A-Za-z_]\w*$/;
const fieldPath = /^[A-Za-z_]\w*\.[A-Za-z_]\w*\.[A-Za-z_$][\w$]*$/;

function badFlag(flag: string, problem: string): CarafeError {
  return new CarafeError('CARAFE_MIGRATION_BAD_FLAG', `${flag}: ${problem}.`);
}

/** `polls.Question.text=questionText` → ['polls.Question.text', 'polls.Question.questionText']. */
function parseRename(spec: string): [string, string] {
  const flag = `--rename ${spec}`;
  const eq = spec.indexOf('=');
  const from = spec.slice(0, eq).trim();
  const target = spec.slice(eq + 1).trim();
  if (eq < 0 || target === '') {
    throw badFlag(flag, 'write it as app.Model.oldField=newField or app.OldModel=app.NewModel');
  }
  if (fieldPath.test(from)) {
    const owner = from.slice(0, from.lastIndexOf('.'));
    const to = target.includes('.') ? target : `${owner}.${target}`;
    if (!fieldPath.test(to) || to.slice(0, to.lastIndexOf('.')) !== owner) {
      throw badFlag(flag, `the new name must be a field name of ${owner}`);
    }
    return [from, to];
  }
  if (modelPath.test(from)) {
    const app = from.slice(0, from.indexOf('.'));
    const to = target.includes('.') ? target : `${app}.${target}`;
    if (!modelPath.test(to)) throw badFlag(flag, 'the new name must be a model label (app.Model)');
    return [from, to];
  }
  throw badFlag(flag, 'the old name must be app.Model.field or app.Model');
}

/**
 * A questioner for runs without a terminal (CI, `--check`, scripts): answers from flags, and
 * when a question has no flag, fails at the end naming the exact flags to pass.
 */
export function nonInteractiveQuestioner(
  options: NonInteractiveOptions = {},
): NonInteractiveQuestioner {
  const renames = new Map<string, string>();
  for (const spec of options.renames ?? []) {
    const [from, to] = parseRename(spec);
    renames.set(from, to);
  }
  const renamed = new Set(renames.values());
  const noRenames = new Set<string>();
  for (const path of options.noRenames ?? []) {
    if (!fieldPath.test(path) && !modelPath.test(path)) {
      throw badFlag(`--no-rename ${path}`, 'expected app.Model.field or app.Model');
    }
    noRenames.add(path);
  }
  const defaults = new Map(Object.entries(options.defaults ?? {}));
  for (const path of defaults.keys()) {
    if (!fieldPath.test(path))
      throw badFlag(`--default ${path}=…`, 'expected app.Model.field=<value>');
  }
  const used = new Set<string>();
  // An undecided field rename whose new field would also need a value if it were not a rename:
  // its message names both flags of that alternative.
  const undecidedRenames: {
    readonly to: string;
    needsDefault: boolean;
    message(needsDefault: boolean): string;
  }[] = [];
  const missingDefaults: string[] = [];

  function decide(from: string, to: string, message: (needsDefault: boolean) => string): boolean {
    const wanted = renames.get(from);
    if (wanted !== undefined) {
      if (wanted !== to) return false;
      used.add(`rename ${from}`);
      return true;
    }
    // The new name is spoken for by another rename, or either side was declared not renamed.
    if (renamed.has(to)) return false;
    for (const path of [from, to]) {
      if (noRenames.has(path)) {
        used.add(`no-rename ${path}`);
        return false;
      }
    }
    undecidedRenames.push({ to, needsDefault: false, message });
    return false;
  }

  return {
    async askRenameModel(from, to) {
      return decide(
        from,
        to,
        () =>
          `The model ${from} may have been renamed to ${to}. Pass --rename ${from}=${to} if it was, ` +
          `or --no-rename ${from} to delete ${from} and create ${to} (its rows are lost).`,
      );
    },
    async askRenameField(model, from, to, description) {
      return decide(
        `${model}.${from}`,
        `${model}.${to}`,
        (needsDefault) =>
          `${model}.${from} may have been renamed to ${to} (${kindPhrase(description)}). ` +
          `Pass --rename ${model}.${from}=${to} if it was, or --no-rename ${model}.${from}` +
          `${needsDefault ? ` --default ${model}.${to}=<value>` : ''} to remove ${from} and add ${to} ` +
          '(its data is lost).',
      );
    },
    async askFill(model, field, description, why) {
      const path = `${model}.${field}`;
      const text = defaults.get(path);
      if (text !== undefined) {
        used.add(`default ${path}`);
        return parseOneOffValue(path, description, text);
      }
      const rename = undecidedRenames.find((undecided) => undecided.to === path);
      if (rename !== undefined) {
        rename.needsDefault = true;
        return undefined;
      }
      const change = why === 'add' ? 'is added as non-nullable' : 'becomes non-nullable';
      missingDefaults.push(
        `${path} (${kindPhrase(description)}) ${change} without a default, and rows already in ` +
          `the table need a value. Pass --default ${path}=<value> (a one-off value: JSON where it ` +
          `parses, else text), or give the field a default, a dbDefault or nullable: true.`,
      );
      return undefined;
    },
    finish() {
      const problems = [
        ...undecidedRenames.map((undecided) => undecided.message(undecided.needsDefault)),
        ...missingDefaults,
      ];
      if (problems.length === 0) return;
      const code =
        undecidedRenames.length > 0
          ? 'CARAFE_MIGRATION_RENAME_AMBIGUOUS'
          : 'CARAFE_MIGRATION_NEEDS_DEFAULT';
      undecidedRenames.length = 0;
      missingDefaults.length = 0;
      throw new CarafeError(
        code,
        problems.length === 1
          ? problems[0]!
          : `makemigrations needs answers it cannot ask without a terminal:\n${problems.map((p) => `- ${p}`).join('\n')}`,
      );
    },
    unused() {
      const flags: string[] = [];
      for (const [from, to] of renames) {
        if (!used.has(`rename ${from}`)) {
          const short = fieldPath.test(from) ? to.slice(to.lastIndexOf('.') + 1) : to;
          flags.push(`--rename ${from}=${short}`);
        }
      }
      for (const path of noRenames)
        if (!used.has(`no-rename ${path}`)) flags.push(`--no-rename ${path}`);
      for (const path of defaults.keys())
        if (!used.has(`default ${path}`)) flags.push(`--default ${path}=…`);
      return flags;
    },
  };
}
