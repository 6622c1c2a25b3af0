import type { QueryTerm } from '../../ingest/search';
import { placeholders, SqlRunner } from '../sql-runner';
import { filterSql, PostFilterSpec } from './post-filter';
import { POST_COLUMNS, PostRow } from './rows';

export interface SearchSpec {
  /** Query terms, tokenized like the index (CJK bigrams); empty: no text to match. */
  terms: QueryTerm[];
  /** Canonical symbols the query names: posts linked to them match too. */
  symbols: string[];
  filter?: PostFilterSpec;
}

/** Posts linked to a stock the query names rank above any text match (text scores are negative). */
const SYMBOL_SCORE = -1000;

/** The hit sources, text matches and posts linked to a named stock, as `id, score` selects (score 0 unscored). */
function hitSources(run: SqlRunner, spec: SearchSpec, scored: boolean): { parts: string[]; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (spec.terms.length) {
    parts.push(run.dialect.textHits(scored));
    params.push(run.dialect.matchParam(spec.terms));
  }
  if (spec.symbols.length) {
    parts.push(`SELECT x.post_id AS id, ${scored ? String(SYMBOL_SCORE) : '0'} AS score FROM post_stock x JOIN stock s ON s.id = x.stock_id
                WHERE s.symbol IN (${placeholders(spec.symbols.length)})`);
    params.push(...spec.symbols);
  }
  return { parts, params };
}

function hitsSql(run: SqlRunner, spec: SearchSpec, scored = true): { sql: string; params: unknown[] } {
  const { parts, params } = hitSources(run, spec, scored);
  if (!parts.length) parts.push('SELECT NULL AS id, NULL AS score WHERE FALSE');
  const f = filterSql(spec.filter);
  const sql = `WITH hits AS MATERIALIZED (${parts.join(' UNION ALL ')}), best AS (SELECT id, min(score) AS score FROM hits GROUP BY id)
    SELECT b.score, ${POST_COLUMNS} FROM best b JOIN post p ON p.id = b.id
    ${f.where.length ? `WHERE ${f.where.join(' AND ')}` : ''}`;
  return { sql, params: [...params, ...f.params] };
}

/** One page of search hits, best first (ties: newest first). */
export async function searchPage(
  run: SqlRunner,
  spec: SearchSpec,
  offset: number,
  limit: number,
): Promise<{ rows: (PostRow & { score: number })[]; hasMore: boolean }> {
  const h = hitsSql(run, spec);
  const rows = await run.all<PostRow & { score: number }>(
    `${h.sql} ORDER BY b.score, p.date_ms DESC, p.id DESC LIMIT ? OFFSET ?`,
    [...h.params, limit + 1, offset],
  );
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/**
 * Hits counted exactly up to this many; past it the count stops (search engines commonly track
 * 10,000 exactly), so a query that matches half the archive does not count every hit each time.
 */
export const EXACT_COUNT_LIMIT = 10000;

/** The number of hits, exact when `exact`, else a lower bound (`EXACT_COUNT_LIMIT`). */
export interface SearchCount {
  count: number;
  exact: boolean;
}

export async function searchCount(run: SqlRunner, spec: SearchSpec, limit = EXACT_COUNT_LIMIT): Promise<SearchCount> {
  const n = await countUpTo(run, spec, limit + 1);
  return n > limit ? { count: limit, exact: false } : { count: n, exact: true };
}

async function countUpTo(run: SqlRunner, spec: SearchSpec, limit: number): Promise<number> {
  const f = filterSql(spec.filter);
  if (f.where.length === 0) {
    // Without a filter the hits need no join: every index row and stock link belongs to a post (the
    // writer changes them in one transaction), and reading the wide post rows was 23 ms of the
    // 24 ms count of a 6,221-hit search at 100k posts. UNION (all scores 0) counts a post once.
    const { parts, params } = hitSources(run, spec, false);
    if (!parts.length) return 0;
    const sql = `SELECT count(*) AS n FROM (SELECT id FROM (${parts.join(' UNION ')}) AS u LIMIT ?) AS hits`;
    return Number((await run.get<{ n: number }>(sql, [...params, limit]))!.n);
  }
  // Counting needs no relevance scores.
  const h = hitsSql(run, spec, false);
  const sql = `SELECT count(*) AS n FROM (SELECT p.id FROM (${h.sql}) AS p LIMIT ?) AS hits`;
  return Number((await run.get<{ n: number }>(sql, [...h.params, limit]))!.n);
}
