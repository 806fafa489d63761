// Compiled SQL templates. A query is compiled once per shape and dialect with marker objects in
// place of its values; the template records which value each parameter position takes, so a
// later query of the same shape only maps its values and runs.
import { type CompiledQuery, createQueryId, RawNode } from 'kysely';
import type { Dialect, ReadShape } from '../connection/index.js';
import type { Codec } from '../fields/codecs.js';
import { compile, type Sql, sql } from './sql.js';

class Marker {
  readonly id: number;
  constructor(id: number) {
    this.id = id;
  }
}

interface ParamSpec {
  readonly slot: number;
  /** Index inside a list value (`in`, `range`), or -1 for the value itself. */
  readonly element: number;
  readonly encode: Codec;
}

/** Collects parameters while a query is being built. */
export class ParamCollector {
  readonly dialect: Dialect;
  readonly #specs: ParamSpec[] = [];
  #aliases = 0;

  readonly #inline: readonly unknown[] | undefined;

  /** With `inline` values, parameters become literals (for DDL, which cannot take parameters). */
  constructor(dialect: Dialect, inline?: readonly unknown[]) {
    this.dialect = dialect;
    this.#inline = inline;
  }

  /** A parameter taking value slot `slot` (or its `element`), encoded by `encode`. */
  param(slot: number, element: number, encode: Codec): Sql {
    if (this.#inline !== undefined) {
      const raw =
        element < 0 ? this.#inline[slot] : (this.#inline[slot] as readonly unknown[])[element];
      const value = encode === undefined || raw === null ? raw : encode(raw);
      return sql.lit(
        typeof value === 'boolean' && this.dialect === 'sqlite' ? Number(value) : value,
      );
    }
    this.#specs.push({ slot, element, encode });
    return sql.val(new Marker(this.#specs.length - 1));
  }

  /** A fresh table alias for a subquery or join. */
  alias(prefix: string): string {
    this.#aliases += 1;
    return `${prefix}${this.#aliases}`;
  }

  /** Compiles `query` and returns where each parameter's value comes from. */
  finish(query: Sql): { sql: string; params: readonly ParamSpec[] } {
    const compiled = compile(query, this.dialect);
    const params = compiled.parameters.map((parameter) => {
      if (!(parameter instanceof Marker))
        throw new Error('a query value bypassed the parameter collector');
      return this.#specs[parameter.id]!;
    });
    return { sql: compiled.sql, params };
  }
}

export interface Template<Reader> {
  readonly sql: string;
  readonly params: readonly ParamSpec[];
  readonly reader: Reader;
  /** What the compiler could tell about the rows, for drivers that can read cheaper with it. */
  readonly shape?: ReadShape;
  /** The reader for rows as arrays in SELECT order; present when `shape.positional` is. */
  readonly positionalReader?: Reader;
}

/** The parameters for `values` in the order the template's SQL wants them. */
export function bindParams(params: readonly ParamSpec[], values: readonly unknown[]): unknown[] {
  const bound = new Array<unknown>(params.length);
  for (let index = 0; index < params.length; index++) {
    const spec = params[index]!;
    const raw =
      spec.element < 0
        ? values[spec.slot]
        : (values[spec.slot] as readonly unknown[])[spec.element];
    bound[index] = spec.encode === undefined || raw === null ? raw : spec.encode(raw);
  }
  return bound;
}

const rawNodes = new Map<string, RawNode>();

/** A runnable query from a template; built by hand because CompiledQuery.raw freezes on every call. */
export function toCompiledQuery(
  template: { sql: string; params: readonly ParamSpec[] },
  values: readonly unknown[],
): CompiledQuery<unknown> {
  return compiledQuery(template.sql, bindParams(template.params, values));
}

/** A runnable query from SQL text and parameters already bound. */
export function compiledQuery(sqlText: string, parameters: unknown[]): CompiledQuery<unknown> {
  let query = rawNodes.get(sqlText);
  if (query === undefined) {
    query = RawNode.createWithSql(sqlText);
    if (rawNodes.size < 2000) rawNodes.set(sqlText, query);
  }
  return { sql: sqlText, query, parameters, queryId: createQueryId() };
}

const maxTemplates = 2000;

/** Templates by dialect and signature; the oldest are dropped past a bound so odd shapes cannot grow it forever. */
export class TemplateCache<Reader> {
  readonly #entries = new Map<string, Template<Reader>>();

  get(key: string): Template<Reader> | undefined {
    return this.#entries.get(key);
  }

  set(key: string, template: Template<Reader>): void {
    if (this.#entries.size >= maxTemplates) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, template);
  }
}
