// iterate(): large results in chunks. Ordered by primary key (the default when a query has no
// ordering), each chunk continues after the last key seen (keyset pagination), which stays fast
// deep into a table and survives concurrent inserts; other orderings page with OFFSET.
import { modelOrdering } from './compile-select.js';
import type { OrderTerm } from './nodes.js';
import { resolveFieldPath } from './paths.js';
import type { QueryState } from './state.js';
import { objectCondition, WhereBuilder } from './where.js';

function withLimit(state: QueryState, limit: number, offset?: number): QueryState {
  const values = [...state.values, limit];
  const limitSlot = values.length - 1;
  if (offset === undefined) return { ...state, values, limit: limitSlot, offset: undefined };
  values.push(offset);
  return { ...state, values, limit: limitSlot, offset: values.length - 1 };
}

function after(state: QueryState, pk: unknown, descending: boolean): QueryState {
  const meta = state.meta;
  const builder = new WhereBuilder(state.values, state.annotations);
  const collected = objectCondition(builder, meta, {
    [meta.pk.name]: { [descending ? 'lt' : 'gt']: pk },
  });
  return {
    ...state,
    where: [...state.where, collected.node],
    whereSignature: `${state.whereSignature}(${collected.signature})`,
    values: builder.values,
  };
}

export async function* iterateChunks<R>(
  state: QueryState,
  chunkSize: number,
  fetch: (state: QueryState) => Promise<R[]>,
): AsyncGenerator<R> {
  const meta = state.meta;
  if (state.limit !== undefined || state.offset !== undefined) {
    yield* await fetch(state);
    return;
  }
  const ordering = state.ordering ?? modelOrdering(meta);
  const pkTerm = (descending: boolean): OrderTerm => ({
    path: resolveFieldPath(meta, meta.pk.name, 'iterate()'),
    descending,
  });
  const byPk =
    ordering.length === 0 ||
    (ordering.length === 1 &&
      ordering[0]!.path.kind === 'field' &&
      ordering[0]!.path.joins.length === 0 &&
      ordering[0]!.path.field === meta.pk);
  if (byPk && state.projection.kind === 'instances') {
    const descending = ordering[0]?.descending ?? false;
    let base: QueryState = { ...state, ordering: [pkTerm(descending)] };
    for (;;) {
      const rows = await fetch(withLimit(base, chunkSize));
      yield* rows;
      if (rows.length < chunkSize) return;
      const last = rows[rows.length - 1] as Record<string, unknown>;
      base = after({ ...state, ordering: [pkTerm(descending)] }, last[meta.pk.attname], descending);
    }
  }
  // A primary-key tiebreaker keeps OFFSET pages stable when the ordering has equal values.
  const stable: QueryState = { ...state, ordering: [...ordering, pkTerm(false)] };
  for (let offset = 0; ; offset += chunkSize) {
    const rows = await fetch(withLimit(stable, chunkSize, offset));
    yield* rows;
    if (rows.length < chunkSize) return;
  }
}
