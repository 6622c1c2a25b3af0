import { changesAfter, feedHead } from '../../db/queries/changes';
import type { ChangeSource, FeedChange } from './post-events';

/**
 * The durable change feed (post_change) as the subscription hub's source: whichever process
 * imports (the server's watcher, `newsgraph import`, another machine on PostgreSQL), its changes
 * reach the hub in seq order, each once. Seqs commit in order with no gaps (src/db/writes/change-feed.ts),
 * so following by seq never skips a change that commits late.
 */
export const postChangeSource: ChangeSource = {
  head: feedHead,
  after: async (run, seq, limit) =>
    (await changesAfter(run, seq, limit)).map((c): FeedChange => ({
      seq: c.seq,
      kind: c.kind as FeedChange['kind'],
      postId: c.postId,
      url: c.url,
      atMs: c.atMs,
    })),
};
