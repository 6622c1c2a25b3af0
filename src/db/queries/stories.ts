import { inList, SqlRunner } from '../sql-runner';
import { POST_CARD_COLUMNS, PostCardRow } from './rows';

/** The most a post's `sameStory` lists. */
export const SAME_STORY_MAX = 100;

/**
 * For each post, the other posts that tell its story (db/story), oldest first (the wire text's
 * first appearance leads), at most `limit` each: one statement for all the posts.
 */
export async function sameStoryOfPosts(
  run: SqlRunner,
  postIds: readonly number[],
  limit: number,
): Promise<(PostCardRow & { src: number })[]> {
  const list = inList(postIds);
  const rows = await run.all<PostCardRow & { src: number; rn: number }>(
    `SELECT * FROM (SELECT s.post_id AS src, ${POST_CARD_COLUMNS},
       row_number() OVER (PARTITION BY s.post_id ORDER BY p.date_ms, p.id) AS rn
       FROM post_same_story s JOIN post p ON p.id = s.other_id WHERE s.post_id IN ${list.sql}) AS mates
     WHERE rn <= ? ORDER BY src, rn`,
    [...list.params, limit],
  );
  return rows.map(({ rn: _rn, ...row }) => ({ ...row, src: Number(row.src) }));
}
