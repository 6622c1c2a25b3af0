import type { SqlRunner } from '../sql-runner';
import { inList } from '../sql-runner';
import { POST_COLUMNS, type PostRow } from './rows';

/** A stock's posts in a window and before it. */
export interface StockTrendCounts {
  stockId: number;
  /** Posts linking it dated in the window. */
  count: number;
  /** Posts linking it dated in the baseline before the window. */
  before: number;
}

/**
 * Per stock linked in [from, to), its posts there and in [baselineFrom, from): the window's and the
 * baseline's posts read by date, then their links (one statement; the archive's size does not
 * matter, the two periods' posts do).
 */
export async function stockTrendCounts(
  run: SqlRunner,
  baselineFrom: number,
  from: number,
  to: number,
): Promise<StockTrendCounts[]> {
  const rows = await run.all<{ id: number | string; n: number | string; b: number | string }>(
    `SELECT x.stock_id AS id, sum(CASE WHEN p.date_ms >= ? THEN 1 ELSE 0 END) AS n,
            sum(CASE WHEN p.date_ms < ? THEN 1 ELSE 0 END) AS b
     FROM post p CROSS JOIN post_stock x
     WHERE p.date_ms >= ? AND p.date_ms < ? AND x.post_id = p.id
     GROUP BY x.stock_id`,
    [from, from, baselineFrom, to],
  );
  return rows
    .map((r) => ({ stockId: Number(r.id), count: Number(r.n), before: Number(r.b) }))
    .filter((r) => r.count > 0);
}

/** The newest `limit` posts of each stock dated in [from, to), in one statement. */
export async function stockPostsBetween(
  run: SqlRunner,
  stockIds: readonly number[],
  from: number,
  to: number,
  limit: number,
): Promise<Map<number, PostRow[]>> {
  const out = new Map<number, PostRow[]>(stockIds.map((id) => [id, []]));
  if (stockIds.length === 0) return out;
  const list = inList(stockIds);
  const rows = await run.all<PostRow & { stockId: number | string }>(
    `SELECT x.stock_id AS "stockId", ${POST_COLUMNS} FROM post_stock x JOIN post p ON p.id = x.post_id
     WHERE x.stock_id IN ${list.sql} AND x.date_ms >= ? AND x.date_ms < ?
     ORDER BY x.stock_id, x.date_ms DESC, x.post_id DESC`,
    [...list.params, from, to],
  );
  for (const { stockId, ...row } of rows) {
    const posts = out.get(Number(stockId));
    if (posts && posts.length < limit) posts.push(row);
  }
  return out;
}

/** The newest post's date, or null for an empty archive. */
export async function newestPostMs(run: SqlRunner): Promise<number | null> {
  const row = await run.get<{ d: number | string | null }>('SELECT max(date_ms) AS d FROM post');
  return row?.d == null ? null : Number(row.d);
}
