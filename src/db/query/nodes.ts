// The checked, dialect-free form of a query. filter(), orderBy() and friends turn user input into
// these nodes at call time (so mistakes surface there, before any SQL exists); the compiler turns
// them into SQL. User values never live in nodes: they sit in the query's value list and nodes
// point at them by slot, which lets one compiled SQL text serve every call of the same shape.
import type { Field } from '../fields/field.js';
import type { RelationField } from '../fields/relation.js';
import type { ModelMeta } from '../meta.js';
import type { ExpressionNode } from './expressions.js';

export type LookupName =
  | 'exact'
  | 'iexact'
  | 'contains'
  | 'icontains'
  | 'startsWith'
  | 'iStartsWith'
  | 'endsWith'
  | 'iEndsWith'
  | 'regex'
  | 'iregex'
  | 'in'
  | 'range'
  | 'isNull'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte';

export type Transform =
  | 'year'
  | 'quarter'
  | 'month'
  | 'day'
  | 'weekDay'
  | 'isoWeekDay'
  | 'hour'
  | 'minute'
  | 'second'
  | 'date';

export type Operand =
  | { readonly kind: 'slot'; readonly slot: number; readonly count: number }
  | { readonly kind: 'expression'; readonly node: ExpressionNode }
  | { readonly kind: 'none' };

/** What a comparison's left side is: a column of the current row, or an annotation. */
export type Subject =
  | { readonly kind: 'column'; readonly field: Field; readonly valueField: Field }
  | { readonly kind: 'annotation'; readonly name: string };

/** One step across a relation inside an EXISTS subquery. */
export type Hop =
  | { readonly kind: 'forward'; readonly field: RelationField }
  | { readonly kind: 'reverse'; readonly field: RelationField }
  | { readonly kind: 'manyToMany'; readonly field: RelationField; readonly fromSource: boolean };

export type WhereNode =
  | {
      readonly kind: 'group';
      readonly connector: 'and' | 'or';
      readonly negated: boolean;
      readonly children: readonly WhereNode[];
    }
  | {
      readonly kind: 'compare';
      readonly subject: Subject;
      readonly transform: Transform | undefined;
      readonly lookup: LookupName;
      readonly operand: Operand;
      /** For isNull: whether NULL is wanted. */
      readonly flag: boolean;
    }
  | {
      readonly kind: 'exists';
      readonly hop: Hop;
      /** Conditions on the related rows; `undefined` means "any related row". */
      readonly where: WhereNode | undefined;
      readonly negated: boolean;
    };

/** A path from the current model through forward relations to a field. */
export interface FieldPathNode {
  readonly kind: 'field';
  /** Foreign keys followed, in order (empty for own fields). */
  readonly joins: readonly RelationField[];
  readonly field: Field;
  /** The path as written, used as the result key. */
  readonly name: string;
}

export interface AnnotationPathNode {
  readonly kind: 'annotation';
  readonly name: string;
}

export type PathNode = FieldPathNode | AnnotationPathNode;

export interface OrderTerm {
  readonly path: PathNode;
  readonly descending: boolean;
}

/** An aggregate resolved against a model: over its own rows or a relation's. */
export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly fn: 'count' | 'sum' | 'avg' | 'min' | 'max';
  readonly distinct: boolean;
  /** Relations crossed to reach the aggregated rows (forward hops, then at most one to-many). */
  readonly relation: Hop | undefined;
  /** Forward joins from the current model before the relation (or to the field). */
  readonly joins: readonly RelationField[];
  /** The aggregated field; `undefined` counts rows. */
  readonly field: Field | undefined;
  /** Model whose rows are aggregated. */
  readonly over: ModelMeta;
}

export interface ExpressionAnnotation {
  readonly kind: 'expression';
  readonly node: ExpressionNode;
  /** The field whose type the result takes (for `F('votes').add(1)`, votes). */
  readonly field: Field | undefined;
}

export type AnnotationNode = AggregateNode | ExpressionAnnotation;
