import { rankLive, storedLists } from '../related/lists';
import { runOnRunner } from '../related/program';
import { RELATED_KEPT, RelatedEntry } from '../related/rank';
import { SqlRunner } from '../sql-runner';

/** One related post of a source post: who, its score, and its rank (1 = most related). */
export interface RelatedPair {
  src: number;
  id: number;
  score: number;
  rank: number;
}

/**
 * Related coverage for a whole page of posts: the stored lists, one row per post, in one statement
 * (the posts themselves come through the post loader). A page reaching past a stored list continues it
 * with the live ranking, minus the posts the stored list already showed; a post without a stored
 * list (imported in a run that ranks at its end) is ranked live. Returns ranks
 * `offset+1 .. offset+limit+1` per source post. `onLive` hears which source posts were ranked live
 * (an answer that follows the archive's weights, which every import moves).
 */
export async function relatedCoverage(
  run: SqlRunner,
  postIds: readonly number[],
  offset: number,
  limit: number,
  onLive?: (postIds: readonly number[]) => void,
): Promise<RelatedPair[]> {
  const want = offset + limit + 1;
  // A page within the stored lists needs only its entries; one reaching past them, all of them.
  const stored = await runOnRunner(run, storedLists(postIds, want <= RELATED_KEPT ? want : Infinity));
  // The stored entries a page may show; the last one only says whether there is a next page.
  const head = (list: RelatedEntry[]) => (list.length < RELATED_KEPT ? list : list.slice(0, RELATED_KEPT - 1));
  const reachesPast = (list: RelatedEntry[] | undefined) =>
    !list || (list.length >= RELATED_KEPT && want > list.length);
  const live = postIds.filter((id) => reachesPast(stored.get(id)));
  if (live.length) onLive?.(live);
  const ranked = live.length
    ? await runOnRunner(run, rankLive(live, want + RELATED_KEPT))
    : new Map<number, RelatedEntry[]>();

  const pairs: RelatedPair[] = [];
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
    ranking.slice(offset, want).forEach((e, i) => pairs.push({ src, id: e.id, score: e.score, rank: offset + i + 1 }));
  }
  return pairs;
}
