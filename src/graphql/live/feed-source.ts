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
  // The feed writes only ADDED, UPDATED and REMOVED (src/db/writes/change-feed.ts).
  after: (run, seq, limit) => changesAfter(run, seq, limit) as Promise<FeedChange[]>,
};
