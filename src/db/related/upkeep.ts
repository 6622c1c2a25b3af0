import { envInt } from '../../config/env-int';
import { maintainLists, possibleHolders } from './lists';
import { Program } from './program';
import { RANKED_AT, rebuildRelatedLists } from './rebuild';

/**
 * An import writing more posts than this (or a quarter of the archive, if more), or any import
 * into an empty database, ranks them all at once at its end: per-batch upkeep ranks each post
 * through index lookups, which is right for a batch of hundreds and wasteful for a first import
 * of 100,000.
 */
export const DEFER_AFTER_POSTS = 5000;

/**
 * Lists keep the weights of when they were ranked; once the archive has grown by this factor since
 * every list was last ranked at once, an import ends by ranking them all again, so no list's
 * weights are from an archive much smaller than today's (whatever the import history).
 */
export const RERANK_GROWTH = 1.25;

/** NEWSGRAPH_RANK_AT_END_AFTER overrides DEFER_AFTER_POSTS (tests, and operators tuning it). */
function deferAfter(): number {
  return envInt(process.env, 'NEWSGRAPH_RANK_AT_END_AFTER', DEFER_AFTER_POSTS, 0, 'a whole number of posts');
}

/** What a batch changes, for the related lists. */
export interface RelatedChange {
  /** Posts written (new or rewritten), with their links in place. */
  written: readonly number[];
  /** Posts whose old links were removed (rewritten or removed). */
  unlinked: readonly number[];
  /** Posts removed. */
  removed: readonly number[];
}

/**
 * The related lists' upkeep over one import, for either writer: `before` a batch unlinks anything,
 * `after` its links and counts are written (same transaction), `finish` when the import ends.
 */
export class RelatedUpkeep {
  private postsAtStart: number | null = null;
  private written = 0;
  private deferred = false;
  private readonly deferAfter = deferAfter();

  /** Posts whose lists may hold what the batch unlinks (read before the links go). */
  *before(unlinked: readonly number[]): Program<Set<number>> {
    if (this.postsAtStart === null) {
      const rows = yield { sql: 'SELECT count(*) AS n FROM post', params: [] };
      this.postsAtStart = Number(rows[0].n);
      // Into an empty database every list is ranked at the end anyway (or, for a small archive,
      // as cheaply): ranking batch by batch would only be done twice.
      if (this.postsAtStart === 0) this.deferred = true;
    }
    if (this.deferred) return new Set();
    return yield* possibleHolders(unlinked);
  }

  *after(change: RelatedChange, holders: ReadonlySet<number>): Program<void> {
    this.written += change.written.length;
    if (this.written > Math.max(this.deferAfter, (this.postsAtStart ?? 0) / 4)) this.deferred = true;
    if (this.deferred) return;
    yield* maintainLists({ ...change, holders });
  }

  /**
   * The import is over: should every list be ranked again? Yes if upkeep was deferred, or if the
   * archive has grown by RERANK_GROWTH since the last time (then `rerank`, in its own transaction).
   */
  *finish(): Program<boolean> {
    const deferred = this.deferred;
    this.deferred = false;
    this.written = 0;
    this.postsAtStart = null;
    const [now] = yield { sql: 'SELECT coalesce(max(id), 0) AS n FROM post', params: [] };
    const [last] = yield { sql: 'SELECT value FROM read_model_state WHERE name = ?', params: [RANKED_AT] };
    return deferred || Number(now.n) > RERANK_GROWTH * Number(last?.value ?? 0);
  }

  *rerank(): Program<void> {
    yield* rebuildRelatedLists();
  }
}
