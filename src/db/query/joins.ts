// LEFT JOINs for what must come back in the same row: select()ed relations, ordering and values
// through foreign keys, and to-many relations an aggregate groups over.
import type { RelationField } from '../fields/relation.js';
import type { ModelMeta } from '../meta.js';
import { hopSource } from './compile-where.js';
import type { Hop } from './nodes.js';
import { column, identifier, type Sql, sql } from './sql.js';
import type { ParamCollector } from './template.js';

interface Join {
  readonly alias: string;
  readonly meta: ModelMeta;
  readonly clause: Sql;
}

export class Joins {
  readonly base: ModelMeta;
  readonly baseAlias: string;
  readonly #collector: ParamCollector;
  readonly #joins = new Map<string, Join>();

  constructor(collector: ParamCollector, base: ModelMeta, baseAlias: string) {
    this.#collector = collector;
    this.base = base;
    this.baseAlias = baseAlias;
  }

  /** The alias of the row reached by following `fields` (foreign keys) from the base row. */
  forward(fields: readonly RelationField[]): string {
    let alias = this.baseAlias;
    let key = '';
    for (const field of fields) {
      key = key === '' ? field.name : `${key}.${field.name}`;
      let join = this.#joins.get(key);
      if (join === undefined) {
        const target = field.target;
        const joined = this.#collector.alias('t');
        join = {
          alias: joined,
          meta: target,
          clause: sql`LEFT JOIN ${identifier(target.table)} ${identifier(joined)} ON ${column(joined, target.pk.column)} = ${column(alias, field.column)}`,
        };
        this.#joins.set(key, join);
      }
      alias = join.alias;
    }
    return alias;
  }

  /** The alias of the related rows of a to-many relation (one row per related row). */
  toMany(hop: Hop, name: string): { alias: string; meta: ModelMeta } {
    const key = `~${name}`;
    let join = this.#joins.get(key);
    if (join === undefined) {
      const alias = this.#collector.alias('m');
      const source = hopSource(
        this.#collector,
        hop,
        { meta: this.base, alias: this.baseAlias },
        alias,
      );
      // For many-to-many, `from` is `through j INNER JOIN related m ON …`: parenthesized, the
      // pair joins as one, so rows without related rows survive.
      const from = hop.kind === 'manyToMany' ? sql`(${source.from})` : source.from;
      join = {
        alias,
        meta: source.related,
        clause: sql`LEFT JOIN ${from} ON ${source.correlation}`,
      };
      this.#joins.set(key, join);
    }
    return { alias: join.alias, meta: join.meta };
  }

  get clauses(): Sql[] {
    return [...this.#joins.values()].map((join) => join.clause);
  }

  get size(): number {
    return this.#joins.size;
  }
}
