// What a compiled read can promise about its rows before it runs: SQLite uses it to read one row
// instead of a list, and to skip the BigInt round trip when no column can hold a 64-bit value.
import type { ReadShape } from '../connection/index.js';
import { storageField } from '../fields/codecs.js';
import type { Field } from '../fields/field.js';
import type { ModelMeta } from '../meta.js';
import type { WhereNode } from './nodes.js';
import type { QueryState } from './state.js';

/** Kinds whose stored integers may not fit a double; everything else reads exactly as a number. */
const wideKinds = new Set(['bigInteger', 'decimal']);

/** A top-level condition `uniqueColumn = value` on the queried model itself pins at most one row. */
function pinsOneRow(meta: ModelMeta, node: WhereNode): boolean {
  if (node.kind === 'group') {
    return (
      node.connector === 'and' &&
      !node.negated &&
      node.children.some((child) => pinsOneRow(meta, child))
    );
  }
  return (
    node.kind === 'compare' &&
    node.lookup === 'exact' &&
    node.transform === undefined &&
    node.operand.kind === 'slot' &&
    node.subject.kind === 'column' &&
    node.subject.field.unique &&
    node.subject.field.model === meta
  );
}

/**
 * The shape of an instance read whose columns are `fields` (the base model's and those of the
 * `select()`ed relations, forward keys only, which never multiply rows). Annotations may compute
 * anything and group, so a read with any keeps the general path; `values()` reads keep it too.
 */
export function instanceReadShape(state: QueryState, fields: readonly Field[]): ReadShape {
  if (state.annotations.size > 0) return { single: false, plainIntegers: false, positional: false };
  const plainIntegers = fields.every((field) => !wideKinds.has(storageField(field).kind));
  return {
    single: state.where.some((node) => pinsOneRow(state.meta, node)),
    plainIntegers,
    positional: plainIntegers,
  };
}
