import { DAY_MS, dayOf, firstDayOfMonth, monthOfDay } from '../writes/read-model';
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
 * of that day alone, so the answer is exact for any instants. `monthly`: the caller buckets by
 * calendar month, so each whole month inside the range comes as one row (on its first day) from
 * the month rows, and only the days of the months the range cuts are read day by day.
 */
export async function dailyCoverage(
  run: SqlRunner,
  stockIds: readonly number[],
  from: number | null,
  to: number | null,
  monthly = false,
): Promise<{ src: number; day: number; n: number }[]> {
  const { sql: ids, params: idParams } = inList(stockIds);
  const range = dayRange(from, to);
  const whole = wholeRows('stock', ids, idParams, range, monthly);
  const parts = [...whole.parts];
  const params = [...whole.params];
  for (const cut of range.cuts) {
    parts.push(`SELECT stock_id AS src, CAST(? AS INTEGER) AS day, CAST(NULL AS INTEGER) AS month, count(*) AS n
                  FROM post_stock WHERE stock_id IN ${ids} AND date_ms >= ? AND date_ms <= ? GROUP BY stock_id`);
    params.push(cut.day, ...idParams, cut.from, cut.to);
  }
  if (parts.length === 0) return [];
  const rows = await run.all<{ src: number; day: number | null; month: number | null; n: number | string }>(
    `SELECT src, day, month, n FROM (${parts.join('\nUNION ALL\n')}) AS d`,
    params,
  );
  // A month row stands on the month's first day; PostgreSQL's sum and count come back as text.
  return rows
    .map((r) => ({ src: r.src, day: r.month === null ? Number(r.day) : firstDayOfMonth(r.month), n: Number(r.n) }))
    .sort((a, b) => a.src - b.src || a.day - b.day);
}

/** Read-model rows of one table from `first` through `last` (null: unbounded on that side). */
export interface RowSpan {
  table: 'coverage_month' | 'coverage_day';
  col: 'month' | 'day';
  first: number | null;
  last: number | null;
}

/**
 * The read-model rows that hold a range's whole days, each day once: with `monthly`, its whole
 * months as month rows and the days of the months it cuts as day rows; else every whole day.
 * None when the range holds no whole day (the days it cuts are the caller's to count).
 */
export function wholeSpans(
  range: { firstWhole: number | null; lastWhole: number | null },
  monthly: boolean,
): RowSpan[] {
  const days = (first: number | null, last: number | null): RowSpan => ({
    table: 'coverage_day',
    col: 'day',
    first,
    last,
  });
  const months = monthly ? wholeMonths(range.firstWhole, range.lastWhole) : null;
  if (months)
    return [
      { table: 'coverage_month', col: 'month', first: months.first, last: months.last },
      ...(months.daysBefore ? [days(...months.daysBefore)] : []),
      ...(months.daysAfter ? [days(...months.daysAfter)] : []),
    ];
  if (range.firstWhole === null || range.lastWhole === null || range.firstWhole <= range.lastWhole)
    return [days(range.firstWhole, range.lastWhole)];
  return [];
}

/**
 * SQL selecting `src, day, month, n` from the read model for the whole days of a range
 * (`wholeSpans`): month rows with `day` null, day rows with `month` null. `ids` is an IN list of
 * `kind` entities.
 */
export function wholeRows(
  kind: string,
  ids: string,
  idParams: readonly unknown[],
  range: { firstWhole: number | null; lastWhole: number | null },
  monthly: boolean,
): { parts: string[]; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const span of wholeSpans(range, monthly)) {
    const bounds = between(span.col, span.first, span.last);
    const when = span.col === 'day' ? 'day, CAST(NULL AS INTEGER) AS month' : 'CAST(NULL AS INTEGER) AS day, month';
    parts.push(`SELECT entity_id AS src, ${when}, posts AS n FROM ${span.table}
                 WHERE ${['kind = ?', `entity_id IN ${ids}`, ...bounds.where].join(' AND ')}`);
    params.push(kind, ...idParams, ...bounds.params);
  }
  return { parts, params };
}

/**
 * The whole months between two whole days (null: unbounded), and the days before and after them
 * that the range holds of the months it cuts; null when the range holds no whole month.
 */
export function wholeMonths(
  firstWhole: number | null,
  lastWhole: number | null,
): {
  first: number | null;
  last: number | null;
  daysBefore: [number, number] | null;
  daysAfter: [number, number] | null;
} | null {
  let first: number | null = null;
  if (firstWhole !== null) {
    const m = monthOfDay(firstWhole);
    first = firstDayOfMonth(m) === firstWhole ? m : m + 1;
  }
  let last: number | null = null;
  if (lastWhole !== null) {
    const m = monthOfDay(lastWhole);
    last = firstDayOfMonth(m + 1) - 1 === lastWhole ? m : m - 1;
  }
  if (first !== null && last !== null && first > last) return null;
  const before: [number, number] | null =
    firstWhole !== null && first !== null && firstWhole < firstDayOfMonth(first)
      ? [firstWhole, firstDayOfMonth(first) - 1]
      : null;
  const after: [number, number] | null =
    lastWhole !== null && last !== null && lastWhole > firstDayOfMonth(last + 1) - 1
      ? [firstDayOfMonth(last + 1), lastWhole]
      : null;
  return { first, last, daysBefore: before, daysAfter: after };
}

/** Conditions on `column` from `first` through `last` (null: unbounded on that side), and their parameters. */
export function between(
  column: string,
  first: number | null,
  last: number | null,
): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (first !== null) {
    where.push(`${column} >= ?`);
    params.push(first);
  }
  if (last !== null) {
    where.push(`${column} <= ?`);
    params.push(last);
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
