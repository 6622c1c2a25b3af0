import type { QueryTerm } from '../../ingest/search';
import { placeholders, SqlRunner } from '../sql-runner';
import { filterSql, PostFilterSpec } from './post-filter';
import { SEARCH_HIT_COLUMNS, SearchHitRow } from './rows';

export interface SearchSpec {
  /** Query terms, tokenized like the index (CJK bigrams); empty: no text to match. */
  terms: QueryTerm[];
  /** Canonical symbols the query names: posts linked to them match too. */
  symbols: string[];
  /** Spellings of a stock name the query may be: posts linked to a stock of that name match too. */
  names: string[];
  filter?: PostFilterSpec;
}

/** A stock the query names, and how many posts link it (`coverage_count`). */
export interface NamedStock {
  id: number;
  posts: number;
}

/** A search with the stocks its symbols and names name looked up (`withNamedStocks`). */
export type ResolvedSearch = SearchSpec & { stocks: readonly NamedStock[] };

/**
 * Posts linked to a stock the query names rank above any text match (text scores are negative).
 * A query names a stock only when it is one word, so it has one term, one phrase: bm25 scores a
 * phrase at most (k1 + 1) × its idf, under 2.2 × ln(posts), and ts_rank stays near 1, so no
 * text match can reach this score.
 */
const SYMBOL_SCORE = -1000;

/**
 * The search with the stocks it names (by symbol or by name) looked up, in one statement when it
 * names any; a search already resolved is returned as it is.
 */
export async function withNamedStocks(run: SqlRunner, spec: SearchSpec | ResolvedSearch): Promise<ResolvedSearch> {
  if ('stocks' in spec) return spec;
  const parts: string[] = [];
  if (spec.symbols.length) parts.push(`s.symbol IN (${placeholders(spec.symbols.length)})`);
  if (spec.names.length) parts.push(`s.name IN (${placeholders(spec.names.length)})`);
  if (parts.length === 0) return { ...spec, stocks: [] };
  const rows = await run.all<{ id: number | string; posts: number | string }>(
    `SELECT s.id, s.coverage_count AS posts FROM stock s WHERE ${parts.join(' OR ')} ORDER BY s.id`,
    [...spec.symbols, ...spec.names],
  );
  return { ...spec, stocks: rows.map((r) => ({ id: Number(r.id), posts: Number(r.posts) })) };
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

/**
 * Text matches ranked per query, at most: past it, the most recently stored (docs/contract.md,
 * "bounded ranking"). Scoring costs about a microsecond a match (bm25 reads each match's
 * positions and length; ts_rank its vector), and a common word matches tens of thousands of posts.
 */
export const RANKED_TEXT_LIMIT = 1000;

/** A query with no searchable term that names no stock matches nothing. */
const nothingToFind = (spec: ResolvedSearch) => spec.terms.length === 0 && spec.stocks.length === 0;

interface Hits {
  /**
   * CTEs ending in `hits`: each post once, filtered; `(id, score, date_ms)` at its best score
   * with the date where the source has it (stock links keep a copy), else null; `(id)` alone when
   * only the posts are asked for.
   */
  ctes: string[];
  params: unknown[];
  /** Whether a `text` CTE holds the (possibly bounded) text matches. */
  text: boolean;
}

/**
 * What the hits are read for: `ranked` scores them (text scores, linked posts first), `dated`
 * leaves the scores 0, `ids` gives only which posts they are (a count, a facet set), as a
 * distinct union, which costs about half the grouping the others need for their scores and dates.
 */
type HitsFor = 'ranked' | 'dated' | 'ids';

/**
 * The hits: text matches (the most recently stored `textLimit` of them, when given) and posts
 * linked to a named stock (all). The filter applies to each source, so a bound keeps the most
 * recent matches of the filtered search.
 */
function hitsCtes(run: SqlRunner, spec: ResolvedSearch, use: HitsFor, textLimit: number | null): Hits {
  const f = filterSql(spec.filter, run.dialect);
  const scored = use === 'ranked';
  // Ranking reads the hits more than once; a count reads them once and may stop at its limit.
  const m = scored ? ' MATERIALIZED' : '';
  const ctes: string[] = [];
  const params: unknown[] = [];
  const parts: string[] = [];
  const ids: string[] = [];
  if (spec.terms.length) {
    ctes.push(`text AS${m} (${run.dialect.textHits({ scored, where: f.where, bounded: textLimit !== null })})`);
    params.push(run.dialect.matchParam(spec.terms), ...f.params, ...(textLimit !== null ? [textLimit] : []));
    parts.push('SELECT id, score, CAST(NULL AS bigint) AS date_ms FROM text');
    ids.push('SELECT id FROM text');
  }
  if (spec.stocks.length) {
    const linked = `FROM post_stock x ${f.where.length ? 'JOIN post p ON p.id = x.post_id' : ''}
      WHERE x.stock_id IN (${placeholders(spec.stocks.length)})${f.where.map((w) => ` AND ${w}`).join('')}`;
    parts.push(`SELECT x.post_id AS id, ${scored ? String(SYMBOL_SCORE) : '0'} AS score, x.date_ms ${linked}`);
    // A post linked to two of the stocks is one hit.
    ids.push(`SELECT ${spec.stocks.length > 1 ? 'DISTINCT ' : ''}x.post_id AS id ${linked}`);
    params.push(...spec.stocks.map((st) => st.id), ...f.params);
  }
  // The text index has one row per post; a post linked to two named stocks, or matched by both
  // text and link, comes more than once.
  const hits =
    use === 'ids'
      ? ids.join(' UNION ')
      : parts.length === 1 && spec.terms.length
        ? parts[0]
        : `SELECT id, min(score) AS score, max(date_ms) AS date_ms FROM (${parts.join(' UNION ALL ')}) AS u GROUP BY id`;
  ctes.push(`hits AS${m} (${hits})`);
  return { ctes, params, text: spec.terms.length > 0 };
}

/** CTEs ending in `hits (id)`: every hit of a search once, filtered, unranked. */
export function searchHitsSql(run: SqlRunner, spec: ResolvedSearch): { ctes: string[]; params: unknown[] } | null {
  if (nothingToFind(spec)) return null;
  const h = hitsCtes(run, spec, 'ids', null);
  return { ctes: h.ctes, params: h.params };
}

export interface SearchPage {
  rows: SearchHitRow[];
  hasMore: boolean;
  /**
   * The hits, counted up to the bound along with the page; null when the page cannot tell (it is
   * empty, or the text matches were more than the ranking takes).
   */
  count: SearchCount | null;
}

const boundedCount = (n: number, limit: number): SearchCount =>
  n > limit ? { count: limit, exact: false } : { count: n, exact: true };

/**
 * One page of search hits, best first (ties: newest first, then the higher id), with the hits
 * counted up to `countLimit` when the ranked hits are all of them.
 *
 * Ranking reads no post row but the page's: the page's rows all score at most the score of the
 * last row it needs (the order is score first), so only the hits up to that score (the page,
 * those before it and ties at its edge) need their date: from the stock link for a linked post
 * (all of a stock's posts tie), else from the post. Then only the page's posts are read for their
 * columns and the text its snippets come from.
 */
export async function searchPage(
  run: SqlRunner,
  search: SearchSpec | ResolvedSearch,
  offset: number,
  limit: number,
  opts: { countLimit?: number; textLimit?: number } = {},
): Promise<SearchPage> {
  const spec = await withNamedStocks(run, search);
  if (nothingToFind(spec)) return { rows: [], hasMore: false, count: { count: 0, exact: true } };
  const linked = await linkedPage(run, spec, offset, limit);
  if (linked) return linked;
  const countLimit = opts.countLimit ?? EXACT_COUNT_LIMIT;
  const textLimit = opts.textLimit ?? RANKED_TEXT_LIMIT;
  const h = hitsCtes(run, spec, 'ranked', textLimit);
  const rows = await run.all<SearchHitRow & { hitCount: number | string; textCount: number | string }>(
    `WITH ${h.ctes.join(', ')},
      cut AS (SELECT score FROM hits ORDER BY score LIMIT 1 OFFSET ?),
      page AS MATERIALIZED (SELECT h.id, h.score, coalesce(h.date_ms, (SELECT q.date_ms FROM post q WHERE q.id = h.id)) AS d
        FROM hits h WHERE h.score <= coalesce((SELECT score FROM cut), h.score)
        ORDER BY h.score, d DESC, h.id DESC LIMIT ? OFFSET ?)
    SELECT (SELECT count(*) FROM (SELECT 1 FROM hits LIMIT ?) AS n) AS "hitCount",
      ${h.text ? '(SELECT count(*) FROM text)' : '0'} AS "textCount", g.score, ${SEARCH_HIT_COLUMNS}
    FROM page g JOIN post p ON p.id = g.id
    ORDER BY g.score, g.d DESC, g.id DESC`,
    [...h.params, offset + limit, limit + 1, offset, countLimit + 1],
  );
  // All the hits were ranked unless the text matches filled the bound; then they count apart.
  const count =
    rows.length && Number(rows[0].textCount) < textLimit ? boundedCount(Number(rows[0].hitCount), countLimit) : null;
  const hits = rows.slice(0, limit).map(({ hitCount: _n, textCount: _t, ...row }) => row);
  return { rows: hits, hasMore: rows.length > limit, count };
}

/**
 * The page, when the query names exactly one stock whose linked posts fill it and one more
 * follows: they rank first, newest first (their scores tie), so no text match is read or scored.
 * A search for a stock by name or code on a large archive is then answered from that stock's
 * (date, post) index range, where ranking its text matches would score up to `RANKED_TEXT_LIMIT`
 * of them. Null otherwise (no stock or several named, too few linked posts): the ranking decides.
 * The hits are then counted apart (`searchCount`).
 */
async function linkedPage(
  run: SqlRunner,
  spec: ResolvedSearch,
  offset: number,
  limit: number,
): Promise<SearchPage | null> {
  const wanted = offset + limit + 1;
  // Several stocks named, or one that too few posts link (its count said so): the ranking decides.
  if (spec.stocks.length !== 1 || spec.stocks[0].posts < wanted || limit < 1) return null;
  const f = filterSql(spec.filter, run.dialect);
  const rows = await run.all<SearchHitRow>(
    `WITH linked AS MATERIALIZED (SELECT x.post_id AS id, x.date_ms AS d FROM post_stock x
      ${f.where.length ? 'JOIN post p ON p.id = x.post_id' : ''}
      WHERE x.stock_id = ?${f.where.map((w) => ` AND ${w}`).join('')}
      ORDER BY x.date_ms DESC, x.post_id DESC LIMIT ?)
    SELECT ${SYMBOL_SCORE} AS score, ${SEARCH_HIT_COLUMNS}
    FROM (SELECT id, d FROM linked ORDER BY d DESC, id DESC LIMIT ? OFFSET ?) AS g JOIN post p ON p.id = g.id
    WHERE (SELECT count(*) FROM linked) = ?
    ORDER BY g.d DESC, g.id DESC`,
    [spec.stocks[0].id, ...f.params, wanted, limit, offset, wanted],
  );
  // No rows unless they filled it (a filter may leave fewer): a page the ranking decides reads no post here.
  return rows.length ? { rows, hasMore: true, count: null } : null;
}

/**
 * One page of every hit in date order (newest first unless `ascending`; ties: the higher id first,
 * or last ascending), counted up to `countLimit`. Nothing is ranked: the hits' scores are 0, as a
 * search engine sorting by a field leaves its scores out. Reads the date of every hit.
 */
export async function searchPageByDate(
  run: SqlRunner,
  search: SearchSpec | ResolvedSearch,
  offset: number,
  limit: number,
  ascending: boolean,
  opts: { countLimit?: number } = {},
): Promise<SearchPage> {
  const spec = await withNamedStocks(run, search);
  if (nothingToFind(spec)) return { rows: [], hasMore: false, count: { count: 0, exact: true } };
  const countLimit = opts.countLimit ?? EXACT_COUNT_LIMIT;
  const h = hitsCtes(run, spec, 'dated', null);
  const dir = ascending ? 'ASC' : 'DESC';
  const rows = await run.all<SearchHitRow & { hitCount: number | string }>(
    `WITH ${h.ctes.join(', ')},
      page AS MATERIALIZED (SELECT h.id, coalesce(h.date_ms, (SELECT q.date_ms FROM post q WHERE q.id = h.id)) AS d
        FROM hits h ORDER BY d ${dir}, h.id ${dir} LIMIT ? OFFSET ?)
    SELECT (SELECT count(*) FROM (SELECT 1 FROM hits LIMIT ?) AS n) AS "hitCount", 0 AS score, ${SEARCH_HIT_COLUMNS}
    FROM page g JOIN post p ON p.id = g.id
    ORDER BY g.d ${dir}, g.id ${dir}`,
    [...h.params, limit + 1, offset, countLimit + 1],
  );
  const count = rows.length ? boundedCount(Number(rows[0].hitCount), countLimit) : null;
  const hits = rows.slice(0, limit).map(({ hitCount: _n, ...row }) => row);
  return { rows: hits, hasMore: rows.length > limit, count };
}

/** The number of hits up to `limit`: every match, ranked or not. */
export async function searchCount(
  run: SqlRunner,
  search: SearchSpec | ResolvedSearch,
  limit = EXACT_COUNT_LIMIT,
): Promise<SearchCount> {
  const spec = await withNamedStocks(run, search);
  if (nothingToFind(spec)) return { count: 0, exact: true };
  // Every post linked to a named stock is a hit: unfiltered, a stock linked to more posts than the
  // bound decides the count (its posts are counted with it, `coverage_count`) without reading one.
  const unfiltered = filterSql(spec.filter, run.dialect).where.length === 0;
  if (unfiltered && spec.stocks.some((st) => st.posts > limit)) return boundedCount(limit + 1, limit);
  const h = hitsCtes(run, spec, 'ids', null);
  const sql = `WITH ${h.ctes.join(', ')} SELECT count(*) AS n FROM (SELECT 1 FROM hits LIMIT ?) AS c`;
  const n = Number((await run.get<{ n: number | string }>(sql, [...h.params, limit + 1]))!.n);
  return boundedCount(n, limit);
}
