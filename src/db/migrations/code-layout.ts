// A tiny pretty printer for the code migration files hold: calls, arrays and objects laid out
// the way the project's formatter would (2-space indent, trailing commas, 100 columns), so a
// generated file reads like a hand-written one and formats to itself.

export type Code =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'call'; readonly callee: string; readonly args: readonly Code[] }
  | {
      readonly type: 'list';
      readonly brackets: '[]' | '{}';
      readonly items: readonly Code[];
      /** Always one item per line (a model's fields, a migration's operations). */
      readonly broken: boolean;
    }
  | { readonly type: 'entry'; readonly key: string; readonly value: Code };

export const lineWidth = 100;

export const text = (value: string): Code => ({ type: 'text', text: value });
export const call = (callee: string, args: readonly Code[]): Code => ({
  type: 'call',
  callee,
  args,
});
export const list = (brackets: '[]' | '{}', items: readonly Code[], broken = false): Code => ({
  type: 'list',
  brackets,
  items,
  broken,
});
export const entry = (key: string, value: Code): Code => ({ type: 'entry', key, value });

/**
 * The code on one line, or `undefined` when something inside must be broken (unless `anyway`:
 * then always one line, for messages and tests).
 */
function flat(code: Code, anyway = false): string | undefined {
  switch (code.type) {
    case 'text':
      return code.text;
    case 'entry': {
      const value = flat(code.value, anyway);
      return value === undefined ? undefined : `${code.key}: ${value}`;
    }
    case 'call': {
      const args = flatAll(code.args, anyway);
      return args === undefined ? undefined : `${code.callee}(${args.join(', ')})`;
    }
    case 'list': {
      if (code.items.length === 0) return code.brackets;
      if (!anyway && (code.broken || isMatrix(code))) return undefined;
      const items = flatAll(code.items, anyway);
      if (items === undefined) return undefined;
      return code.brackets === '[]' ? `[${items.join(', ')}]` : `{ ${items.join(', ')} }`;
    }
  }
}

/** Like the formatter, an array of several arrays (or objects) of several items goes one per line. */
function isMatrix(code: Code & { type: 'list' }): boolean {
  const first = code.items[0];
  return (
    code.brackets === '[]' &&
    code.items.length > 1 &&
    first?.type === 'list' &&
    code.items.every(
      (item) => item.type === 'list' && item.brackets === first.brackets && item.items.length > 1,
    )
  );
}

function flatAll(codes: readonly Code[], anyway = false): string[] | undefined {
  const out: string[] = [];
  for (const code of codes) {
    const one = flat(code, anyway);
    if (one === undefined) return undefined;
    out.push(one);
  }
  return out;
}

/** The code on a single line, whatever its length. */
export function oneLine(code: Code): string {
  return flat(code, true)!;
}

const pad = (indent: number): string => ' '.repeat(indent);

/** Items one per line, each followed by a comma, between `open` and `close`. */
function lines(open: string, items: readonly Code[], close: string, indent: number): string {
  const inner = indent + 2;
  const body = items.map((item) => `${pad(inner)}${layout(item, inner, lineWidth - inner - 1)},\n`);
  return `${open}\n${body.join('')}${pad(indent)}${close}`;
}

function broken(code: Code & { type: 'list' }, indent: number): string {
  return lines(code.brackets[0]!, code.items, code.brackets[1]!, indent);
}

/**
 * Lays `code` out starting `indent` columns in, with `room` columns left on the current line
 * (what follows it, such as a comma, already taken off).
 */
export function layout(code: Code, indent: number, room: number): string {
  const oneLine = flat(code);
  if (oneLine !== undefined && oneLine.length <= room) return oneLine;
  switch (code.type) {
    case 'text':
      return code.text;
    case 'entry':
      return `${code.key}: ${layout(code.value, indent, room - code.key.length - 2)}`;
    case 'list':
      return code.items.length === 0 ? code.brackets : broken(code, indent);
    case 'call': {
      // A call whose last argument is an object or array keeps its head on the first line and
      // breaks that argument: `op.createModel('polls.Question', {` … `})`.
      const last = code.args.at(-1);
      const head = flatAll(code.args.slice(0, -1));
      if (last?.type === 'list' && last.items.length > 0 && head !== undefined) {
        const start = `${code.callee}(${[...head, ''].join(', ')}`;
        if (start.length + 2 <= room) return `${start}${broken(last, indent)})`;
      }
      return lines(`${code.callee}(`, code.args, ')', indent);
    }
  }
}
