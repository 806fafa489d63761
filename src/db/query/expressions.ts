// Expressions computed by the database: a reference to a field (`F('votes')`), arithmetic on
// them, and aggregates. They are plain immutable objects; the compiler turns them into SQL.

export declare const expressionTypes: unique symbol;

/** Something the database computes, yielding a value of type `V`. */
export interface Expression<V = unknown> {
  readonly [expressionTypes]: V;
  readonly expression: ExpressionNode;
}

export type ArithmeticOperator = '+' | '-' | '*' | '/';
export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max';

export type ExpressionNode =
  | { readonly type: 'field'; readonly path: string }
  | { readonly type: 'value'; readonly value: unknown }
  | {
      readonly type: 'arithmetic';
      readonly operator: ArithmeticOperator;
      readonly left: ExpressionNode;
      readonly right: ExpressionNode;
    }
  | { readonly type: 'now' }
  /** A value moved into the query's value list by the query layer (never built by users). */
  | { readonly type: 'slot'; readonly slot: number }
  | {
      readonly type: 'aggregate';
      readonly fn: AggregateFunction;
      /** `'*'` counts rows. */
      readonly path: string;
      readonly distinct: boolean;
    };

type Operand = number | bigint | string | Expression;

function operand(value: Operand): ExpressionNode {
  return typeof value === 'object' ? value.expression : { type: 'value', value };
}

/** A numeric expression that can be combined further with `add`, `sub`, `mul` and `div`. */
export class Arithmetic<V = number> implements Expression<V> {
  declare readonly [expressionTypes]: V;
  readonly expression: ExpressionNode;

  constructor(expression: ExpressionNode) {
    this.expression = expression;
  }

  add(value: Operand): Arithmetic<V> {
    return this.#combine('+', value);
  }

  sub(value: Operand): Arithmetic<V> {
    return this.#combine('-', value);
  }

  mul(value: Operand): Arithmetic<V> {
    return this.#combine('*', value);
  }

  div(value: Operand): Arithmetic<V> {
    return this.#combine('/', value);
  }

  #combine(operator: ArithmeticOperator, value: Operand): Arithmetic<V> {
    return new Arithmetic({
      type: 'arithmetic',
      operator,
      left: this.expression,
      right: operand(value),
    });
  }
}

/** A reference to a field of the row being filtered or updated. `P` is its path. */
export class FieldRef<P extends string = string> extends Arithmetic<number> {
  readonly path: P;
  constructor(path: P) {
    super({ type: 'field', path });
    this.path = path;
  }
}

/**
 * Refers to a field's value in the database, so it can be compared or updated without reading
 * it first: `update({ votes: F('votes').add(1) })`, `filter({ votes: { gt: F('minimum') } })`.
 */
export function F<const P extends string>(path: P): FieldRef<P> {
  return new FieldRef(path);
}

/** The database's current time, for `dbDefault` and updates. */
export function Now(): Expression<Date> {
  return new Arithmetic<Date>({ type: 'now' });
}

export function isExpression(value: unknown): value is Expression {
  return value instanceof Arithmetic || value instanceof Aggregate;
}

/** An aggregate over `path` (a field, or a relation such as `'choices'` or `'choices.votes'`). */
export class Aggregate<Fn extends AggregateFunction = AggregateFunction, P extends string = string>
  implements Expression<unknown>
{
  declare readonly [expressionTypes]: unknown;
  readonly fn: Fn;
  readonly path: P;
  readonly distinct: boolean;
  readonly expression: ExpressionNode;

  constructor(fn: Fn, path: P, distinct: boolean) {
    this.fn = fn;
    this.path = path;
    this.distinct = distinct;
    this.expression = { type: 'aggregate', fn, path, distinct };
  }
}

export interface AggregateOptions {
  /** Count (or sum…) each distinct value once. */
  readonly distinct?: boolean;
}

/** Number of rows (`Count('*')`), of non-null values, or of related rows (`Count('choices')`). */
export function Count<const P extends string>(
  path: P,
  options?: AggregateOptions,
): Aggregate<'count', P> {
  return new Aggregate('count', path, options?.distinct === true);
}

export function Sum<const P extends string>(
  path: P,
  options?: AggregateOptions,
): Aggregate<'sum', P> {
  return new Aggregate('sum', path, options?.distinct === true);
}

export function Avg<const P extends string>(
  path: P,
  options?: AggregateOptions,
): Aggregate<'avg', P> {
  return new Aggregate('avg', path, options?.distinct === true);
}

export function Min<const P extends string>(path: P): Aggregate<'min', P> {
  return new Aggregate('min', path, false);
}

export function Max<const P extends string>(path: P): Aggregate<'max', P> {
  return new Aggregate('max', path, false);
}
