import { placeholders, SqlRunner } from '../sql-runner';
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
 * (normalised inverse document frequency), so a stock in few posts says more than one in many.
 */
export const RELATED_WEIGHTS = { stock: 1000, organization: 100, board: 10, tag: 1 } as const;

/** Per shared thing, the posts nearest in date on each side that become candidates. */
export const CANDIDATES_PER_SIDE = 12;
/** Shared things per source post that feed candidates: stocks first, then the rarest of the rest. */
export const CANDIDATE_SOURCES = 8;

const LINKS = [
  {
    kind: 'S',
    table: 'post_stock',
    col: 'stock_id',
    entity: 'stock',
    df: 'coverage_count',
    weight: RELATED_WEIGHTS.stock,
  },
  {
    kind: 'O',
    table: 'post_organization',
    col: 'organization_id',
    entity: 'organization',
    df: 'post_count',
    weight: RELATED_WEIGHTS.organization,
  },
  { kind: 'B', table: 'post_board', col: 'board_id', entity: 'board', df: 'post_count', weight: RELATED_WEIGHTS.board },
  { kind: 'T', table: 'post_tag', col: 'tag_id', entity: 'tag', df: 'post_count', weight: RELATED_WEIGHTS.tag },
] as const;
type Kind = (typeof LINKS)[number]['kind'];

interface SourceLink {
  src: number;
  kind: Kind;
  eid: number;
  df: number;
  d: number;
}

/** What each source post links, with how many posts share each thing, rarest first. */
async function sourceLinks(run: SqlRunner, postIds: readonly number[]): Promise<SourceLink[]> {
  const ph = placeholders(postIds.length);
  const sql = LINKS.map(
    (l) => `SELECT x.post_id AS src, '${l.kind}' AS kind, x.${l.col} AS eid, e.${l.df} AS df, x.date_ms AS d
    FROM ${l.table} x JOIN ${l.entity} e ON e.id = x.${l.col} WHERE x.post_id IN (${ph})`,
  ).join('\nUNION ALL\n');
  const rows = await run.all<SourceLink>(
    sql,
    LINKS.flatMap(() => [...postIds]),
  );
  return rows.sort(
    (a, b) => a.src - b.src || Number(b.kind === 'S') - Number(a.kind === 'S') || a.df - b.df || a.eid - b.eid,
  );
}

/**
 * Related coverage for a whole page of posts in two statements, whatever the page size.
 * Candidates: for each source post's stocks (then its rarest other links), the posts nearest in
 * date on either side, straight from the (thing, date) indexes, so a stock in 20,000 posts costs
 * no more than one in 20. Candidates are then scored exactly on everything they share; ties go to
 * the post closest in date. Returns ranks `offset+1 .. offset+limit+1` per source post.
 */
export async function relatedCoverage(
  run: SqlRunner,
  postIds: readonly number[],
  offset: number,
  limit: number,
): Promise<RelatedRow[]> {
  const d = run.dialect;
  const links = await sourceLinks(run, postIds);
  const perSrc = new Map<number, SourceLink[]>();
  for (const l of links) {
    // A thing only this post links brings no candidates.
    if (l.df <= 1) continue;
    const list = perSrc.get(l.src) ?? [];
    if (list.length < CANDIDATE_SOURCES) list.push(l);
    perSrc.set(l.src, list);
  }
  const branches: string[] = [];
  const params: unknown[] = [];
  // Deep pages need more candidates per side.
  const k = Math.max(CANDIDATES_PER_SIDE, offset + limit + 1);
  for (const list of perSrc.values()) {
    for (const l of list) {
      const { table, col } = LINKS.find((x) => x.kind === l.kind)!;
      for (const [cmp, dir] of [
        ['<=', 'DESC'],
        ['>', 'ASC'],
      ] as const) {
        branches.push(`SELECT * FROM (SELECT CAST(? AS INTEGER) AS src, post_id AS dst, abs(date_ms - ?) AS dist FROM ${table}
          WHERE ${col} = ? AND date_ms ${cmp} ? AND post_id <> ? ORDER BY date_ms ${dir} LIMIT ${k}) AS b`);
        params.push(l.src, l.d, l.eid, l.d, l.src);
      }
    }
  }
  if (branches.length === 0) return [];
  // Scored per candidate pair through the (post, thing) primary keys: correlated subqueries keep
  // both planners on index lookups, where joins of the candidate set with whole link tables made
  // PostgreSQL hash entire tables (0.4 s at 20k posts, growing with the archive).
  const shared = LINKS.map(
    (l) => `SELECT ${l.weight} * ln(1 + n.total / ${d.greatest(`e.${l.df}`, '1')}) / ln(1 + n.total) AS weight
    FROM ${l.table} a JOIN ${l.table} b ON b.post_id = c.dst AND b.${l.col} = a.${l.col} JOIN ${l.entity} e ON e.id = a.${l.col}, n
    WHERE a.post_id = c.src`,
  ).join('\n    UNION ALL\n    ');
  const sql = `
WITH cand(src, dst, dist) AS (SELECT DISTINCT src, dst, dist FROM (${branches.join('\nUNION ALL\n')}) AS b),
-- The largest id stands in for the number of posts: the weights need its size, not an exact count.
n(total) AS (SELECT CAST(${d.greatest('coalesce(max(id), 1)', '1')} AS DOUBLE PRECISION) FROM post),
scored AS (
  SELECT c.src, c.dst, c.dist,
    (SELECT sum(weight) FROM (${shared}) AS w) AS score,
    (SELECT ${d.idList('a.stock_id')} FROM post_stock a JOIN post_stock b ON b.post_id = c.dst AND b.stock_id = a.stock_id WHERE a.post_id = c.src) AS shared_ids
  FROM cand c
),
ranked AS (SELECT src, dst, score, shared_ids, row_number() OVER (PARTITION BY src ORDER BY score DESC, dist, dst DESC) AS rank FROM scored)
SELECT r.src, r.score, r.rank, ${POST_COLUMNS}, ${d.stocksJson('r.shared_ids')} AS "sharedStocks"
FROM ranked r JOIN post p ON p.id = r.dst WHERE r.rank > ? AND r.rank <= ? ORDER BY r.src, r.rank`;
  return run.all<RelatedRow>(sql, [...params, offset, offset + limit + 1]);
}
