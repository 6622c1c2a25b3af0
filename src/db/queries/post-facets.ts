import type { SqlRunner } from '../sql-runner';
import { boundsOnlyDates, filterSql, linkListIdsSql, type PostFilterSpec } from './post-filter';
import { emptyFacetCounts, type FacetCounts, type FacetKind } from './facet-counts';
import type { FacetIndex } from './facet-index';
import { rangeFacets } from './range-facets';
import { searchHitsSql, withNamedStocks, type ResolvedSearch, type SearchSpec } from './search';

const DAY_MS = 86400000;
/** The UTC day of `s.date_ms`, rounded down on both databases (their integer division truncates). */
const DAY_OF = `CASE WHEN s.date_ms >= 0 THEN s.date_ms / ${DAY_MS} ELSE -((-s.date_ms - 1) / ${DAY_MS}) - 1 END`;

const LINKS: Record<Exclude<FacetKind, 'publisher'>, { table: string; col: string }> = {
  category: { table: 'post_category', col: 'category_id' },
  tag: { table: 'post_tag', col: 'tag_id' },
  stock: { table: 'post_stock', col: 'stock_id' },
  board: { table: 'post_board', col: 'board_id' },
};

/**
 * Every facet of the posts a filter (and a search, when given) selects. An absent search and
 * filter count every post. `index`: the server's facet columns, which count a set in memory once
 * built (the set is still selected in SQL); without them, or until they are built, one statement
 * finds the set and groups it for every count.
 */
export async function postFacets(
  run: SqlRunner,
  filter: PostFilterSpec | undefined,
  search: SearchSpec | null,
  index: FacetIndex | null = null,
): Promise<FacetCounts> {
  // A date range (or every post) reads the read model's months and days instead of its posts.
  if (!search && boundsOnlyDates(filter))
    return rangeFacets(run, filter?.dateFrom ?? null, filter?.dateTo ?? null, (from, to) =>
      postsFacets(run, { dateFrom: from, dateTo: to }, null),
    );
  return postsFacets(run, filter, search, index);
}

/** The set a filter (and a search) selects: `s (id, date_ms, publisher_id)` after `ctes`. */
function setSql(
  run: SqlRunner,
  filter: PostFilterSpec | undefined,
  search: ResolvedSearch | null,
): { ctes: string[]; params: unknown[]; ids: string; idParams: unknown[] } | null {
  if (search) {
    // The search's filter applies inside its hits.
    const h = searchHitsSql(run, { ...search, filter });
    if (!h) return null;
    return {
      ctes: [
        ...h.ctes,
        `s AS MATERIALIZED (SELECT p.id, p.date_ms, p.publisher_id FROM hits h JOIN ${run.dialect.postDatesById} ON p.id = h.id)`,
      ],
      params: h.params,
      ids: `WITH ${h.ctes.join(', ')} SELECT h.id FROM hits h`,
      idParams: h.params,
    };
  }
  const f = filterSql(filter, run.dialect, 'p.date_ms', 'in');
  const links = linkListIdsSql(filter);
  // Dates alone (a day a range cuts) find the posts by the date index; anything else reads them all.
  const posts = boundsOnlyDates(filter) ? 'post p' : run.dialect.postDatesById;
  const from = `${posts}${f.where.length ? ` WHERE ${f.where.join(' AND ')}` : ''}`;
  return {
    ctes: [`s AS MATERIALIZED (SELECT p.id, p.date_ms, p.publisher_id FROM ${from})`],
    params: f.params,
    ids: links ? links.sql : `SELECT p.id FROM ${from}`,
    idParams: links ? links.params : f.params,
  };
}

/** Every facet counted from the posts a filter (and a search) selects: in memory when `index` can, else in SQL. */
export async function postsFacets(
  run: SqlRunner,
  filter: PostFilterSpec | undefined,
  search: SearchSpec | ResolvedSearch | null,
  index: FacetIndex | null = null,
): Promise<FacetCounts> {
  const set = setSql(run, filter, search && (await withNamedStocks(run, search)));
  if (!set) return emptyFacetCounts();
  if (index?.start()) {
    const counts = await index.count(run, await run.numbers(set.ids, set.idParams));
    if (counts) return counts;
  }
  const parts = [
    `SELECT 'total' AS kind, 0 AS k, count(*) AS n FROM s`,
    ...Object.entries(LINKS).map(
      // CROSS JOIN keeps SQLite's loop over the set (it would scan the whole link table
      // instead); PostgreSQL plans it as the inner join it is.
      ([kind, l]) =>
        `SELECT '${kind}' AS kind, x.${l.col} AS k, count(*) AS n FROM s CROSS JOIN ${l.table} x WHERE x.post_id = s.id GROUP BY x.${l.col}`,
    ),
    `SELECT 'publisher' AS kind, s.publisher_id AS k, count(*) AS n FROM s WHERE s.publisher_id IS NOT NULL GROUP BY s.publisher_id`,
    `SELECT 'day' AS kind, ${DAY_OF} AS k, count(*) AS n FROM s GROUP BY ${DAY_OF}`,
  ];
  const rows = await run.all<{ kind: string; k: number | string; n: number | string }>(
    `WITH ${set.ctes.join(', ')} ${parts.join('\nUNION ALL\n')}`,
    set.params,
  );
  const out = emptyFacetCounts();
  for (const r of rows) {
    const k = Number(r.k);
    const n = Number(r.n);
    if (r.kind === 'total') out.total = n;
    else if (r.kind === 'day') out.days.push({ day: k, n });
    else out.byKind[r.kind as FacetKind].set(k, n);
  }
  out.days.sort((a, b) => a.day - b.day);
  return out;
}

/** The `first` largest counts of a kind: most posts first, ties by entity id. */
export function topCounts(counts: Map<number, number>, first: number): { id: number; count: number }[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, first)
    .map(([id, count]) => ({ id, count }));
}
