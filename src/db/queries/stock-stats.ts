import { DAY_MS, dayOf } from '../writes/read-model';
import { inList, SqlRunner } from '../sql-runner';
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
  const { sql: ids, params: idParams } = inList(stockIds);
  const range = dayRange(from, to);
  const parts: string[] = [];
  const params: unknown[] = [];
  const days = wholeDays(range);
  params.push(...idParams, ...days.params);
  parts.push(`SELECT entity_id AS src, day, posts AS n FROM coverage_day
               WHERE ${[`kind = 'stock'`, `entity_id IN ${ids}`, ...days.where].join(' AND ')}`);
  for (const cut of range.cuts) {
    parts.push(`SELECT stock_id AS src, CAST(? AS INTEGER) AS day, count(*) AS n FROM post_stock
                 WHERE stock_id IN ${ids} AND date_ms >= ? AND date_ms <= ? GROUP BY stock_id`);
    params.push(cut.day, ...idParams, cut.from, cut.to);
  }
  return run.all(`SELECT src, day, n FROM (${parts.join('\nUNION ALL\n')}) AS d ORDER BY src, day`, params);
}

/** Conditions on `coverage_day.day` for a range's whole days. */
export function wholeDays(range: ReturnType<typeof dayRange>): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (range.firstWhole !== null) {
    where.push('day >= ?');
    params.push(range.firstWhole);
  }
  if (range.lastWhole !== null) {
    where.push('day <= ?');
    params.push(range.lastWhole);
  }
  return { where, params };
}

/**
 * An inclusive range of instants as the read model sees it: the whole UTC days inside it (null:
 * unbounded) and the days it cuts, with the part of each it covers (each cut day once).
 */
export function dayRange(
  from: number | null,
  to: number | null,
): { firstWhole: number | null; lastWhole: number | null; cuts: { day: number; from: number; to: number }[] } {
  const fromCut = from !== null && from !== dayOf(from) * DAY_MS;
  const toCut = to !== null && to !== (dayOf(to) + 1) * DAY_MS - 1;
  const cuts = new Map<number, { day: number; from: number; to: number }>();
  const clip = (day: number) => ({
    day,
    from: Math.max(day * DAY_MS, from ?? -Infinity),
    to: Math.min((day + 1) * DAY_MS - 1, to ?? Infinity),
  });
  if (fromCut) cuts.set(dayOf(from), clip(dayOf(from)));
  if (toCut) cuts.set(dayOf(to), clip(dayOf(to)));
  return {
    firstWhole: from === null ? null : dayOf(from) + (fromCut ? 1 : 0),
    lastWhole: to === null ? null : dayOf(to) - (toCut ? 1 : 0),
    cuts: [...cuts.values()].filter((c) => c.from <= c.to),
  };
}
