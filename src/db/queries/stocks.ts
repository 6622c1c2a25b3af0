import { inList, placeholders, SqlRunner } from '../sql-runner';
import { STOCK_COLUMNS, StockRow } from './rows';

export interface StockFilterSpec {
  markets?: string[];
  exchanges?: string[];
  /** Substring of the name or the symbol. */
  query?: string;
  minCoverage?: number;
}

export type StockOrderSpec = 'COVERAGE_DESC' | 'SYMBOL_ASC';

function where(run: SqlRunner, f: StockFilterSpec | undefined): { sql: string; params: unknown[] } {
  const w: string[] = [];
  const params: unknown[] = [];
  if (f?.markets) {
    w.push(f.markets.length ? `s.market IN (${placeholders(f.markets.length)})` : 'FALSE');
    params.push(...f.markets);
  }
  if (f?.exchanges) {
    w.push(f.exchanges.length ? `s.exchange IN (${placeholders(f.exchanges.length)})` : 'FALSE');
    params.push(...f.exchanges);
  }
  if (f?.query) {
    w.push(`(${run.dialect.contains('s.name', '?')} OR ${run.dialect.contains('s.symbol', '?')})`);
    params.push(f.query, f.query.toUpperCase());
  }
  if (f?.minCoverage !== undefined) {
    w.push('s.coverage_count >= ?');
    params.push(f.minCoverage);
  }
  return { sql: w.length ? w.join(' AND ') : 'TRUE', params };
}

/** Keyset page of stocks; cursor is the last row's (coverage, id) or (symbol). */
export async function stockPage(
  run: SqlRunner,
  f: StockFilterSpec | undefined,
  order: StockOrderSpec,
  limit: number,
  after: { coverage?: number; symbol?: string; id: number } | undefined,
): Promise<{ rows: StockRow[]; hasMore: boolean }> {
  const w = where(run, f);
  const conds = [w.sql];
  const params = [...w.params];
  if (after) {
    if (order === 'COVERAGE_DESC') {
      conds.push('(s.coverage_count < ? OR (s.coverage_count = ? AND s.id > ?))');
      params.push(after.coverage, after.coverage, after.id);
    } else {
      conds.push('s.symbol > ?');
      params.push(after.symbol);
    }
  }
  const orderBy = order === 'COVERAGE_DESC' ? 's.coverage_count DESC, s.id ASC' : 's.symbol ASC';
  const rows = await run.all<StockRow>(
    `SELECT ${STOCK_COLUMNS} FROM stock s WHERE ${conds.join(' AND ')} ORDER BY ${orderBy} LIMIT ?`,
    [...params, limit + 1],
  );
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

export async function stockCount(run: SqlRunner, f: StockFilterSpec | undefined): Promise<number> {
  const w = where(run, f);
  return (await run.get<{ n: number }>(`SELECT count(*) AS n FROM stock s WHERE ${w.sql}`, w.params))!.n;
}

/** Stocks whose code is one of `codes` (for bare-code lookups that may be ambiguous). */
export function stocksByCodes(run: SqlRunner, codes: readonly string[]): Promise<StockRow[]> {
  const list = inList(codes);
  return run.all<StockRow>(
    `SELECT ${STOCK_COLUMNS} FROM stock s WHERE s.code IN ${list.sql} ORDER BY s.symbol`,
    list.params,
  );
}
