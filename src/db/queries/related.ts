import { rankLive, storedLists } from '../related/lists';
import { runOnRunner } from '../related/program';
import { RELATED_KEPT, RelatedEntry } from '../related/rank';
import { SqlRunner } from '../sql-runner';
import { POST_COLUMNS, PostRow } from './rows';

export interface RelatedRow extends PostRow {
  src: number;
  score: number;
  /** JSON array of the stock rows both posts link (one statement for the whole page). */
  sharedStocks: string;
  rank: number;
}

/** Pairs per statement when reading the page's posts (4 parameters each, under SQLite's 32,766). */
const PAIRS_PER_STATEMENT = 5000;

/**
 * Related coverage for a whole page of posts, in a constant number of statements: the stored
 * lists (one row per post), then the posts shown. A page reaching past a stored list continues it
 * with the live ranking, minus the posts the stored list already showed; a post without a stored
 * list (imported in a run that ranks at its end) is ranked live. Returns ranks
 * `offset+1 .. offset+limit+1` per source post.
 */
export async function relatedCoverage(
  run: SqlRunner,
  postIds: readonly number[],
  offset: number,
  limit: number,
): Promise<RelatedRow[]> {
  const want = offset + limit + 1;
  const stored = await runOnRunner(run, storedLists(postIds));
  // The stored entries a page may show; the last one only says whether there is a next page.
  const head = (list: RelatedEntry[]) => (list.length < RELATED_KEPT ? list : list.slice(0, RELATED_KEPT - 1));
  const reachesPast = (list: RelatedEntry[] | undefined) =>
    !list || (list.length >= RELATED_KEPT && want > list.length);
  const live = postIds.filter((id) => reachesPast(stored.get(id)));
  const ranked = live.length
    ? await runOnRunner(run, rankLive(live, want + RELATED_KEPT))
    : new Map<number, RelatedEntry[]>();

  const pairs: { src: number; e: RelatedEntry; rank: number }[] = [];
  for (const src of postIds) {
    const list = stored.get(src);
    let ranking: RelatedEntry[];
    if (!reachesPast(list)) ranking = list!;
    else if (!list) ranking = ranked.get(src) ?? [];
    else {
      const shown = head(list);
      const seen = new Set(shown.map((e) => e.id));
      ranking = [...shown, ...(ranked.get(src) ?? []).filter((e) => !seen.has(e.id))];
    }
    ranking.slice(offset, want).forEach((e, i) => pairs.push({ src, e, rank: offset + i + 1 }));
  }
  const rows: RelatedRow[] = [];
  for (let i = 0; i < pairs.length; i += PAIRS_PER_STATEMENT) {
    rows.push(...(await postsOfPairs(run, pairs.slice(i, i + PAIRS_PER_STATEMENT))));
  }
  return rows;
}

/** The related posts' rows and the stocks each pair shares, one statement (a removed post drops out). */
function postsOfPairs(run: SqlRunner, pairs: { src: number; e: RelatedEntry; rank: number }[]): Promise<RelatedRow[]> {
  if (pairs.length === 0) return Promise.resolve([]);
  const d = run.dialect;
  const values = pairs
    .map(() => '(CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS DOUBLE PRECISION), CAST(? AS INTEGER))')
    .join(', ');
  const sql = `
WITH r(src, dst, score, rank) AS (VALUES ${values}),
shared AS (
  SELECT r.*, (SELECT ${d.idList('a.stock_id')} FROM post_stock a JOIN post_stock b ON b.post_id = r.dst AND b.stock_id = a.stock_id
                WHERE a.post_id = r.src) AS shared_ids
  FROM r
)
SELECT r.src, r.score, r.rank, ${POST_COLUMNS}, ${d.stocksJson('r.shared_ids')} AS "sharedStocks"
FROM shared r JOIN post p ON p.id = r.dst ORDER BY r.src, r.rank`;
  return run.all<RelatedRow>(
    sql,
    pairs.flatMap((x) => [x.src, x.e.id, x.e.score, x.rank]),
  );
}
