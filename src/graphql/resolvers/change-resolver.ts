import { Args, ArgsType, Ctx, Field, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { changePage, countChanges, type FeedState } from '../../db/queries/changes';
import type { Context } from '../context';
import { changesCursorExpired } from '../errors';
import { decodeCursor, encodeCursor, isInt, pageRequest } from '../relay/page-args';
import { pageInfo } from '../types/node';
import { Post } from '../types/post';
import { PostChange, PostChangeConnection, PostChangeEdge } from '../types/post-change';

@ArgsType()
class ChangesArgs {
  @Field(() => String, {
    nullable: true,
    description:
      'Cursor to continue after (an edge cursor, `endCursor` or `headCursor`); none: the oldest change kept.',
  })
  after?: string;

  @Field(() => Int, { nullable: true, description: 'Page size, 1..100 (default 20).' })
  first?: number;
}

/** A cursor names a place in one feed: the feed's id and a seq. */
const isChangeCursor = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && isInt(v[0]) && isInt(v[1]) && v[1] >= 0;
const cursorOf = (feedId: number, seq: number) => encodeCursor('change', [feedId, seq]);

/** Whether the feed can continue from `seq` of feed `feedId`: else the error that says why. */
function checkCursor(cursor: string, [feedId, seq]: [number, number], feed: FeedState): void {
  const shown = JSON.stringify(cursor.slice(0, 80));
  if (feedId !== feed.feedId) {
    throw changesCursorExpired(
      `cursor ${shown} belongs to another database's change feed (or this one was created anew)`,
    );
  }
  if (seq < feed.prunedThrough) {
    throw changesCursorExpired(
      `cursor ${shown} is older than the oldest change kept (older changes are dropped after NEWSGRAPH_CHANGES_KEEP_DAYS days)`,
    );
  }
  // A cursor ahead of the head is not an error: a read replica that has not caught up yet answers
  // an empty page that ends where the client already is.
}

@Resolver(() => PostChange)
export class ChangeResolver {
  @Query(() => PostChangeConnection, {
    description:
      'The change feed: every post added, updated or removed by an import, oldest first, for clients that catch up from their last cursor. ' +
      'Changes are kept NEWSGRAPH_CHANGES_KEEP_DAYS days at least (default 30); a cursor older than that is an error with code CHANGES_CURSOR_EXPIRED.',
  })
  async changes(@Args() args: ChangesArgs, @Ctx() ctx: Context): Promise<PostChangeConnection> {
    const req = pageRequest({ first: args.first, after: args.after });
    const after = req.cursor === null ? null : decodeCursor('change', req.cursor, isChangeCursor);
    const page = await changePage(ctx.run, after?.[1] ?? 0, req.limit);
    if (after) checkCursor(req.cursor!, after, page);
    const conn = new PostChangeConnection();
    conn.edges = page.rows.map((row) =>
      Object.assign(new PostChangeEdge(), {
        node: PostChange.from(row),
        cursorOf: () => cursorOf(page.feedId, row.seq),
      }),
    );
    conn.headCursor = cursorOf(page.feedId, page.head);
    conn.pageInfo = pageInfo(
      conn.edges.map((e) => e.cursorOf),
      true,
      page.hasMore,
      after !== null,
    );
    // Nothing after the cursor yet: the client asks again from where it is (the head, unless a
    // lagging replica answered).
    conn.pageInfo.endCursor ??= after ? cursorOf(after[0], after[1]) : conn.headCursor;
    conn.count = () => countChanges(ctx.run);
    return conn;
  }

  @FieldResolver(() => Post, { nullable: true, description: 'The post as it is now; null once it is removed.' })
  async post(@Root() change: PostChange, @Ctx() ctx: Context): Promise<Post | null> {
    const row = await ctx.loaders.post.load(change.postId);
    return row && Post.from(row);
  }
}
