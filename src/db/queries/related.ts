import { SqlRunner } from '../sql-runner';
import { POST_COLUMNS, PostRow } from './rows';

export interface RelatedRow extends PostRow {
  src: number;
  score: number;
  /** JSON array of the stock rows both posts link (one statement for the whole page). */
  sharedStocks: string;
  rank: number;
}

/**
 * What a shared thing is worth: stocks first, then organizations, boards, tags. Each tier's weight
 * exceeds what a post realistically shares in the tiers below, and within a tier rarity counts
 * (inverse document frequency), so a stock in few posts says more than one in many.
 */
export const RELATED_WEIGHTS = { stock: 1000, organization: 100, board: 10, tag: 1 } as const;

/**
 * Things linked by more posts than this add candidates at a cost but carry almost no weight
 * (idf near zero): they are left out of candidate generation.
 */
export const RELATED_FANOUT_CAP = 5000;

/**
 * Related coverage for a whole page of posts in one statement: ranks other posts by weighted shared
 * stocks, organizations, boards and tags; ties go to the post closest in date. Returns ranks
 * `offset+1 .. offset+limit+1` per source post (one extra to tell whether there is a next page).
 */
export function relatedCoverage(run: SqlRunner, postIds: readonly number[], offset: number, limit: number): RelatedRow[] {
  const w = RELATED_WEIGHTS;
  const sql = `
WITH src(id) AS (SELECT value FROM json_each(?)),
n(total) AS (SELECT CAST(max(count(*), 1) AS REAL) FROM post),
shared(src, dst, kind, weight, stock_id) AS (
  SELECT a.post_id, b.post_id, 'S', ${w.stock} * ln(1 + n.total / s.coverage_count) / ln(1 + n.total), s.id
  FROM src JOIN post_stock a ON a.post_id = src.id JOIN stock s ON s.id = a.stock_id
  JOIN post_stock b ON b.stock_id = a.stock_id AND b.post_id <> a.post_id, n
  WHERE s.coverage_count <= ${RELATED_FANOUT_CAP}
  UNION ALL
  SELECT a.post_id, b.post_id, 'O', ${w.organization} * ln(1 + n.total / o.post_count) / ln(1 + n.total), NULL
  FROM src JOIN post_organization a ON a.post_id = src.id JOIN organization o ON o.id = a.organization_id
  JOIN post_organization b ON b.organization_id = a.organization_id AND b.post_id <> a.post_id, n
  WHERE o.post_count <= ${RELATED_FANOUT_CAP}
  UNION ALL
  SELECT a.post_id, b.post_id, 'B', ${w.board} * ln(1 + n.total / g.post_count) / ln(1 + n.total), NULL
  FROM src JOIN post_board a ON a.post_id = src.id JOIN board g ON g.id = a.board_id
  JOIN post_board b ON b.board_id = a.board_id AND b.post_id <> a.post_id, n
  WHERE g.post_count <= ${RELATED_FANOUT_CAP}
  UNION ALL
  SELECT a.post_id, b.post_id, 'T', ${w.tag} * ln(1 + n.total / t.post_count) / ln(1 + n.total), NULL
  FROM src JOIN post_tag a ON a.post_id = src.id JOIN tag t ON t.id = a.tag_id
  JOIN post_tag b ON b.tag_id = a.tag_id AND b.post_id <> a.post_id, n
  WHERE t.post_count <= ${RELATED_FANOUT_CAP}
),
scored AS (
  SELECT src, dst, sum(weight) AS score, group_concat(stock_id) AS sharedStockIds
  FROM shared GROUP BY src, dst
),
ranked AS (
  SELECT s.src, s.dst, s.score, s.sharedStockIds,
    row_number() OVER (PARTITION BY s.src ORDER BY s.score DESC, abs(pd.date_ms - ps.date_ms), s.dst DESC) AS rank
  FROM scored s JOIN post ps ON ps.id = s.src JOIN post pd ON pd.id = s.dst
)
SELECT r.src, r.score, r.rank, ${POST_COLUMNS},
  (SELECT json_group_array(json_object('id', s.id, 'symbol', s.symbol, 'code', s.code, 'market', s.market, 'marketId', s.market_id,
     'exchange', s.exchange, 'secid', s.secid, 'name', s.name, 'organizationId', s.organization_id, 'coverageCount', s.coverage_count))
   FROM stock s WHERE s.id IN (SELECT value FROM json_each('[' || coalesce(r.sharedStockIds, '') || ']'))) AS sharedStocks
FROM ranked r JOIN post p ON p.id = r.dst WHERE r.rank > ? AND r.rank <= ? ORDER BY r.src, r.rank`;
  return run.all<RelatedRow>(sql, [JSON.stringify(postIds), offset, offset + limit + 1]);
}
