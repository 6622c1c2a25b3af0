import { PostChangeEntity } from '../../entities';
import { selectList } from '../schema/columns';
import type { SqlRunner } from '../sql-runner';
import { FEED_HEAD, FEED_ID, FEED_PRUNED } from '../writes/change-feed';

/** A row of the change feed (`kind`: ADDED | UPDATED | REMOVED). */
export type ChangeRow = PostChangeEntity;

/** Where the feed stands: its id, the last seq given, and the last seq retention dropped. */
export interface FeedState {
  feedId: number;
  head: number;
  prunedThrough: number;
}

export interface ChangePage extends FeedState {
  rows: ChangeRow[];
  hasMore: boolean;
}

const CHANGE_COLUMNS = selectList(PostChangeEntity, 'c', ['seq', 'kind', 'postId', 'url', 'atMs']);
/** PostgreSQL may hand bigints over as strings. */
const changeRow = (r: Record<string, unknown>): ChangeRow => ({
  seq: Number(r.seq),
  kind: r.kind as string,
  postId: Number(r.postId),
  url: r.url as string,
  atMs: Number(r.atMs),
});
const state = (name: string) => `coalesce((SELECT value FROM read_model_state WHERE name = '${name}'), 0)`;

/**
 * The changes after `after` (a seq), oldest first, at most `limit`, and the feed's state, in one
 * statement: one snapshot on either database, so an import that drops expired changes between
 * reading the state and reading the rows cannot open a gap the state does not show.
 */
export async function changePage(run: SqlRunner, after: number, limit: number): Promise<ChangePage> {
  const rows = await run.all<Record<string, unknown>>(
    `SELECT s.feed_id AS "feedId", s.head, s.pruned, ${CHANGE_COLUMNS}
       FROM (SELECT ${state(FEED_ID)} AS feed_id, ${state(FEED_HEAD)} AS head, ${state(FEED_PRUNED)} AS pruned) s
       LEFT JOIN (SELECT * FROM post_change WHERE seq > ? ORDER BY seq LIMIT ?) c ON 1 = 1
      ORDER BY c.seq`,
    [after, limit + 1],
  );
  const first = rows[0];
  const changes = rows.filter((r) => r.seq !== null).map(changeRow);
  return {
    feedId: Number(first.feedId),
    head: Number(first.head),
    prunedThrough: Number(first.pruned),
    rows: changes.slice(0, limit),
    hasMore: changes.length > limit,
  };
}

/** How many changes the feed keeps. */
export const countChanges = async (run: SqlRunner): Promise<number> =>
  Number((await run.get<{ n: number | string }>('SELECT count(*) AS n FROM post_change'))!.n);

/** The last seq given: 0 before the feed's first change. */
export const feedHead = async (run: SqlRunner): Promise<number> =>
  Number((await run.get<{ head: number }>(`SELECT ${state(FEED_HEAD)} AS head`))!.head);

/** The changes after `seq`, oldest first, at most `limit` (for readers inside the server, such as subscriptions). */
export async function changesAfter(run: SqlRunner, seq: number, limit: number): Promise<ChangeRow[]> {
  const rows = await run.all<Record<string, unknown>>(
    `SELECT ${CHANGE_COLUMNS} FROM post_change c WHERE c.seq > ? ORDER BY c.seq LIMIT ?`,
    [seq, limit],
  );
  return rows.map(changeRow);
}
