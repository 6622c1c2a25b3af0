import { DAY_MS, dayOf } from '../writes/read-model';
import { placeholders, SqlRunner } from '../sql-runner';
import { STOCK_COLUMNS, StockRow } from './rows';

/**
 * Stocks named in the same posts as each given stock, with how many posts they share (top `limit`
 * each, ties by id), from the read model: each stock's first `limit` entries of the rank index.
 */
export function coMentioned(
  run: SqlRunner,
  stockIds: readonly number[],
  limit: number,
): Promise<(StockRow & { src: number; together: number })[]> {
  const branches = stockIds.map(
    () => `SELECT * FROM (SELECT stock_id AS src, other_id AS dst, together FROM stock_pair
             WHERE stock_id = ? ORDER BY together DESC, other_id LIMIT ?) AS b`,
  );
  return run.all(
    `SELECT r.src, r.together, ${STOCK_COLUMNS} FROM (${branches.join('\nUNION ALL\n')}) AS r
       JOIN stock s ON s.id = r.dst ORDER BY r.src, r.together DESC, r.dst`,
    stockIds.flatMap((id) => [id, limit]),
  );
}

export type Interval = 'DAY' | 'WEEK' | 'MONTH';

/**
 * Posts of each stock per UTC day within [from, to] (inclusive instants), bucketed by the caller.
 * Whole days come from the read model; a day that `from` or `to` cuts is counted from the links
 * of that day alone, so the answer is exact for any instants.
 */
export function dailyCoverage(
  run: SqlRunner,
  stockIds: readonly number[],
  from: number | null,
  to: number | null,
): Promise<{ src: number; day: number; n: number }[]> {
  const ids = placeholders(stockIds.length);
  const fromCut = from !== null && from !== dayOf(from) * DAY_MS;
  const toCut = to !== null && to !== (dayOf(to) + 1) * DAY_MS - 1;
  const firstWhole = from === null ? null : dayOf(from) + (fromCut ? 1 : 0);
  const lastWhole = to === null ? null : dayOf(to) - (toCut ? 1 : 0);
  const parts: string[] = [];
  const params: unknown[] = [];
  const whole = [`kind = 'stock'`, `entity_id IN (${ids})`];
  params.push(...stockIds);
  if (firstWhole !== null) {
    whole.push('day >= ?');
    params.push(firstWhole);
  }
  if (lastWhole !== null) {
    whole.push('day <= ?');
    params.push(lastWhole);
  }
  parts.push(`SELECT entity_id AS src, day, posts AS n FROM coverage_day WHERE ${whole.join(' AND ')}`);
  // The cut days, each once (from and to may cut the same day).
  const cuts = new Map<number, [number, number]>();
  const clip = (lo: number, hi: number) => [Math.max(lo, from ?? lo), Math.min(hi, to ?? hi)] as [number, number];
  if (fromCut) cuts.set(dayOf(from), clip(dayOf(from) * DAY_MS, (dayOf(from) + 1) * DAY_MS - 1));
  if (toCut) cuts.set(dayOf(to), clip(dayOf(to) * DAY_MS, (dayOf(to) + 1) * DAY_MS - 1));
  for (const [day, [lo, hi]] of cuts) {
    if (lo > hi) continue;
    parts.push(`SELECT stock_id AS src, CAST(? AS INTEGER) AS day, count(*) AS n FROM post_stock
                 WHERE stock_id IN (${ids}) AND date_ms >= ? AND date_ms <= ? GROUP BY stock_id`);
    params.push(day, ...stockIds, lo, hi);
  }
  return run.all(`SELECT src, day, n FROM (${parts.join('\nUNION ALL\n')}) AS d ORDER BY src, day`, params);
}
