import type { PostChangeEntity } from '../../entities';
import { envInt } from '../../config/env-int';
import type { Program } from '../related/program';
import type { BatchPlan } from './plan';
import { DAY_MS } from './read-model';

// The change feed (post_change, docs/contract.md "changes"): what a batch appends, decided once
// from its plan for both databases, and the statements that number the rows and drop the expired
// ones, the same SQL on both. Each writer inserts the rows its own way, in its batch's transaction.

export type ChangeKind = 'ADDED' | 'UPDATED' | 'REMOVED';

/**
 * PostgreSQL's notification channel for the feed: a batch's transaction notifies with its last seq,
 * delivered at commit only, so listeners (the subscription hubs of every server on the database)
 * read at once rather than at their next poll. Polling stays: a listener whose connection dropped
 * misses notifications, never changes.
 */
export const FEED_CHANNEL = 'newsgraph_changes';

/**
 * The feed's `read_model_state` rows: the last seq given (the head), the last seq retention
 * dropped, and the feed's id (random, set by the migration), which cursors carry.
 */
export const FEED_HEAD = 'change_seq';
export const FEED_PRUNED = 'change_pruned_through';
export const FEED_ID = 'change_feed_id';
export const FEED_STATE = [FEED_HEAD, FEED_PRUNED, FEED_ID] as const;

export const DEFAULT_KEEP_DAYS = 30;

/** NEWSGRAPH_CHANGES_KEEP_DAYS: how long changes are kept at least (0: for ever). */
export function changesKeepDays(env: NodeJS.ProcessEnv = process.env): number {
  return envInt(
    env,
    'NEWSGRAPH_CHANGES_KEEP_DAYS',
    DEFAULT_KEEP_DAYS,
    0,
    'a whole number of days (0 keeps every change)',
  );
}

/** A change before it has its place in the feed. */
export type PlannedChange = Pick<PostChangeEntity, 'postId' | 'url'> & { kind: ChangeKind };

/**
 * The changes a plan makes, in the order the writers make them: the posts it removes first, then
 * the posts it writes (new ones ADDED, rewritten ones UPDATED). Removals first, so that a client
 * applying the feed in order by permalink ends with the post a batch put where it removed another
 * (a file that moved its permalink, a duplicate adopting one). `ids`: the id of each of
 * `plan.posts`, as the writer stored it. A touch or an unchanged file is in no list: nothing.
 */
export function plannedChanges(plan: BatchPlan, ids: readonly number[]): PlannedChange[] {
  if (ids.length !== plan.posts.length) {
    throw new Error(`change feed: ${ids.length} ids for ${plan.posts.length} written posts`);
  }
  const out: PlannedChange[] = plan.remove.map((postId) => {
    const url = plan.removedUrls.get(postId);
    if (url === undefined) throw new Error(`change feed: the plan removes post ${postId} without its permalink`);
    return { kind: 'REMOVED', postId, url };
  });
  plan.posts.forEach((w, i) => out.push({ kind: w.id === null ? 'ADDED' : 'UPDATED', postId: ids[i], url: w.rec.url }));
  return out;
}

/** The rows of a batch's changes: numbered after `last`, the seq given before them, all at `atMs`. */
export function feedRows(changes: readonly PlannedChange[], last: number, atMs: number): PostChangeEntity[] {
  return changes.map((c, i) => ({ seq: last + 1 + i, kind: c.kind, postId: c.postId, url: c.url, atMs }));
}

/**
 * Takes `n` numbers for a batch's changes and returns the last one given before them. The counter
 * row is updated in the batch's transaction: a batch that rolls back gives its numbers back (no
 * gaps), and on PostgreSQL its row lock makes a concurrent import wait until this one commits, so
 * numbers are committed in order and a reader never sees seq n+1 before n.
 */
export function* takeSeqs(n: number): Program<number> {
  const [row] = yield {
    sql: `INSERT INTO read_model_state (name, value) VALUES ('${FEED_HEAD}', ?)
          ON CONFLICT (name) DO UPDATE SET value = read_model_state.value + excluded.value RETURNING value`,
    params: [n],
  };
  return Number(row.value) - n;
}

/**
 * Drops the changes older than `keepDays` (0: none) before the first one that is not: a range of
 * seqs, found by walking the feed from its start (so the cost follows what is dropped), and
 * remembers the last seq dropped, below which cursors have expired. Run after the batch appended
 * its own rows, which are never older than the cut.
 */
export function* dropExpired(keepDays: number, nowMs: number): Program<void> {
  if (keepDays === 0) return;
  const [row] = yield {
    sql: `SELECT (SELECT min(seq) FROM post_change) AS first,
                 (SELECT seq FROM post_change WHERE at_ms >= ? ORDER BY seq LIMIT 1) AS kept`,
    params: [nowMs - keepDays * DAY_MS],
  };
  // `kept` null: every row is older than the cut, which a batch that just appended cannot see
  // (a clock set back by more than the retention); dropping nothing is the safe reading.
  if (row.first === null || row.kept === null || Number(row.first) >= Number(row.kept)) return;
  const kept = Number(row.kept);
  yield { sql: 'DELETE FROM post_change WHERE seq < ?', params: [kept] };
  yield {
    sql: `INSERT INTO read_model_state (name, value) VALUES ('${FEED_PRUNED}', ?)
          ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    params: [kept - 1],
  };
}
