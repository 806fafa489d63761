// Q.or / Q.and / Q.not combine filter objects. A plain object passed to filter() is an AND of its
// keys; Q nodes add OR and NOT, and nest. The filter type comes from where the Q is used
// (`filter(Q.or(...))`), so each condition is checked against the model; a Q built apart takes
// it explicitly: `Q.or<Where<typeof Question>>(...)`.

declare const whereType: unique symbol;

export class QNode<W = unknown> {
  declare readonly [whereType]: W;
  readonly connector: 'and' | 'or';
  readonly negated: boolean;
  readonly children: readonly (W | QNode<W>)[];

  constructor(connector: 'and' | 'or', negated: boolean, children: readonly (W | QNode<W>)[]) {
    this.connector = connector;
    this.negated = negated;
    this.children = children;
  }
}

export const Q = {
  /** Rows matching any of the conditions. */
  or<W>(...conditions: readonly NoInfer<W | QNode<W>>[]): QNode<W> {
    return new QNode('or', false, conditions);
  },
  /** Rows matching all the conditions (what a plain object or chained filter() calls do). */
  and<W>(...conditions: readonly NoInfer<W | QNode<W>>[]): QNode<W> {
    return new QNode('and', false, conditions);
  },
  /** Rows not matching the condition (all its keys together). */
  not<W>(condition: NoInfer<W | QNode<W>>): QNode<W> {
    return new QNode('and', true, [condition]);
  },
};
