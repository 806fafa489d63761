// The router's contract and the type machinery that turns a path pattern into typed params.

/** Converter name → the TypeScript type it yields. Extend by declaration merging for your own. */
export interface ConverterTypes {
  int: number;
  float: number;
  str: string;
  slug: string;
  uuid: string;
  path: string;
}

type ParamType<Converter extends string> = Converter extends keyof ConverterTypes
  ? ConverterTypes[Converter]
  : unknown;

type ParamEntry<Inner extends string> = Inner extends `${infer Converter}:${infer Name}`
  ? { [K in Name]: ParamType<Converter> }
  : { [K in Inner]: string };

type ExtractParams<Pattern extends string> =
  Pattern extends `${string}<${infer Inner}>${infer Rest}`
    ? ParamEntry<Inner> & ExtractParams<Rest>
    : unknown;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** `ParamsOf<'/polls/<int:id>/<slug>/'>` is `{ id: number; slug: string }`. */
export type ParamsOf<Pattern extends string> = string extends Pattern
  ? Record<string, unknown>
  : Simplify<ExtractParams<Pattern>>;

/** Turns one path segment (or, for greedy converters, the rest of the path) into a value. */
export interface Converter<T = unknown> {
  /** Returns `undefined` when the raw (already percent-decoded) text does not fit. */
  parse(raw: string): T | undefined;
  /** The inverse of `parse`, for `urlFor`; the router percent-encodes the result. */
  format(value: T): string;
  /** Matches across `/` (like `path`). */
  greedy?: boolean;
  /** Lower is tried first when two routes could take the same segment (int before str). */
  priority?: number;
}

export interface RouteEntry<Handler> {
  /** Fully qualified, unique: `polls.detail`. */
  name: string;
  /** Full pattern including any blueprint prefix: `/polls/<int:id>/`. */
  pattern: string;
  /** Upper-case methods. */
  methods: readonly string[];
  handler: Handler;
}

export type RouteMatch<Handler> =
  | { kind: 'found'; entry: RouteEntry<Handler>; params: Record<string, unknown> }
  | { kind: 'method-not-allowed'; allowed: readonly string[] }
  | { kind: 'not-found' };

export interface ReverseOptions {
  query?:
    | Record<string, string | number | boolean | readonly (string | number)[]>
    | URLSearchParams;
  fragment?: string;
}
