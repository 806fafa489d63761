// A uniform view of anything that can be thrown, shared by the debug page and the logs.
import { inspect } from 'node:util';

export interface ErrorDescription {
  /** The class name: `TypeError`, `NotFound`, or `string (not an Error)` for a thrown string. */
  type: string;
  message: string;
  code: string | undefined;
  stack: string | undefined;
}

export function describeError(value: unknown): ErrorDescription {
  if (value instanceof Error) {
    // A subclass that never set `name` still says "Error"; its constructor knows better.
    const type = value.name !== 'Error' ? value.name : (value.constructor?.name ?? 'Error');
    const code = 'code' in value ? value.code : undefined;
    return {
      type,
      message: value.message,
      code: typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
      stack: typeof value.stack === 'string' ? value.stack : undefined,
    };
  }
  const kind = value === null ? 'null' : typeof value;
  return {
    type: `${kind} (not an Error)`,
    message:
      typeof value === 'string' ? value : inspect(value, { depth: 2, breakLength: Infinity }),
    code: undefined,
    stack: undefined,
  };
}

/** The error followed by its `cause`s, stopping at cycles and after ten links. */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (!seen.has(current) && chain.length < 10) {
    chain.push(current);
    seen.add(current);
    if (!(current instanceof Error) || current.cause === undefined) break;
    current = current.cause;
  }
  return chain;
}
