// Page numbers for the change list: `?p=3`, 1-based. The links shown are the first and last
// pages and those around the current one, with gaps between, so a long list stays short.
import { NotFound } from '../../index.js';

export interface Pagination {
  readonly page: number;
  readonly pages: number;
  readonly offset: number;
  /** Page numbers to link, `null` for a gap. */
  readonly links: readonly (number | null)[];
}

export function paginate(query: URLSearchParams, count: number, perPage: number): Pagination {
  const pages = Math.max(1, Math.ceil(count / perPage));
  const text = query.get('p');
  const page = text === null ? 1 : /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(page >= 1 && page <= pages)) throw new NotFound('That page does not exist.');
  const shown = new Set<number>([1, 2, pages - 1, pages]);
  for (let near = page - 3; near <= page + 3; near++) shown.add(near);
  const links: (number | null)[] = [];
  for (const number of [...shown].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)) {
    const previous = links.at(-1);
    if (typeof previous === 'number' && number > previous + 1) links.push(null);
    links.push(number);
  }
  return { page, pages, offset: (page - 1) * perPage, links };
}
