import { placeholders, SqlRunner } from '../sql-runner';
import { STOCK_COLUMNS, StockRow } from './rows';

/** Stocks named in the same posts as each given stock, with how many posts they share (top `limit` each). */
export function coMentioned(
  run: SqlRunner,
  stockIds: readonly number[],
  limit: number,
): Promise<(StockRow & { src: number; together: number })[]> {
  return run.all(
    `WITH pairs AS (
       SELECT a.stock_id AS src, b.stock_id AS dst, count(*) AS together
       FROM post_stock a JOIN post_stock b ON b.post_id = a.post_id AND b.stock_id <> a.stock_id
       WHERE a.stock_id IN (${placeholders(stockIds.length)}) GROUP BY a.stock_id, b.stock_id),
     ranked AS (SELECT src, dst, together, row_number() OVER (PARTITION BY src ORDER BY together DESC, dst) AS rank FROM pairs)
     SELECT r.src, r.together, ${STOCK_COLUMNS} FROM ranked r JOIN stock s ON s.id = r.dst WHERE r.rank <= ? ORDER BY r.src, r.rank`,
    [...stockIds, limit],
  );
}

export type Interval = 'DAY' | 'WEEK' | 'MONTH';

/** Post dates of each stock within [from, to] bucketed by the caller; counts per UTC day from SQL. */
export function dailyCoverage(
  run: SqlRunner,
  stockIds: readonly number[],
  from: number | null,
  to: number | null,
): Promise<{ src: number; day: number; n: number }[]> {
  const where = [`stock_id IN (${placeholders(stockIds.length)})`];
  const params: unknown[] = [...stockIds];
  if (from !== null) {
    where.push('date_ms >= ?');
    params.push(from);
  }
  if (to !== null) {
    where.push('date_ms <= ?');
    params.push(to);
  }
  return run.all(
    `SELECT stock_id AS src, date_ms / 86400000 AS day, count(*) AS n FROM post_stock WHERE ${where.join(' AND ')}
     GROUP BY stock_id, date_ms / 86400000 ORDER BY stock_id, day`,
    params,
  );
}
