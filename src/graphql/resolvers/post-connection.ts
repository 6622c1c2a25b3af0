import type { GraphQLResolveInfo } from 'graphql';
import type { PostScope, PostPageSpec } from '../../db/queries/post-pages';
import type { PostRow } from '../../db/queries/rows';
import type { Context } from '../context';
import { decodeCursor, edgeCursor, isInt, PageArgs, pageRequest } from '../relay/page-args';
import { PostOrder } from '../types/enums';
import { PostFilter } from '../types/filters';
import { pageInfo } from '../types/node';
import { Post } from '../types/post';
import { PostConnection, PostEdge } from '../types/connections';
import { toFilterSpec } from './filter-spec';
import { readAhead } from './read-ahead';

export interface PostConnectionArgs extends PageArgs {
  filter?: PostFilter | null;
  orderBy?: PostOrder | null;
  collapseSameStory?: boolean | null;
}

const isPostCursor = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && isInt(v[0]) && isInt(v[1]);

/** A post row fetched with a page: later loads of the same post cost no statement. */
export function primePost(ctx: Context, row: PostRow): Post {
  ctx.loaders.post.prime(row.id, row);
  ctx.loaders.postCard.prime(row.id, row);
  return Post.from(row);
}

/**
 * A page of posts (all, or one stock's, board's, ...) as a connection; batched across parents.
 * Where the query (`info`) shows the posts' categories, tags, stocks, ... (LINK_FIELDS) or their
 * related coverage, those are read with the page, before its fields resolve (read-ahead.ts), so
 * each of those fields answers at once.
 */
export async function postConnection(
  ctx: Context,
  scope: PostScope,
  args: PostConnectionArgs,
  info?: GraphQLResolveInfo,
): Promise<PostConnection> {
  const req = pageRequest(args);
  const filter = toFilterSpec(args.filter);
  const cursor = req.cursor ? decodeCursor('post', req.cursor, isPostCursor) : undefined;
  const spec: PostPageSpec = {
    scope,
    filter,
    ascending: args.orderBy === PostOrder.DATE_ASC,
    forward: req.forward,
    limit: req.limit,
    cursor: cursor && { dateMs: cursor[0], id: cursor[1] },
    ...(args.collapseSameStory ? { collapse: true } : {}),
  };
  const page = await ctx.loaders.postPage.load(spec);
  const posts = page.items.map((row) => primePost(ctx, row));
  if (info)
    await readAhead(
      ctx,
      info,
      ['edges', 'node'],
      posts.map((p) => p.dbId),
    );
  const conn = new PostConnection();
  conn.edges = posts.map((node) =>
    Object.assign(new PostEdge(), { node, cursorOf: edgeCursor('post', [node.date.ms, node.dbId]) }),
  );
  conn.pageInfo = pageInfo(
    conn.edges.map((e) => e.cursorOf),
    req.forward,
    page.hasMore,
    cursor !== undefined,
  );
  // A collapsed listing's count follows its order: which posts it leaves out depends on it.
  const countSpec: PostPageSpec = {
    scope,
    filter,
    ascending: spec.collapse ? spec.ascending : false,
    forward: true,
    limit: 0,
    ...(spec.collapse ? { collapse: true } : {}),
  };
  conn.count = () => ctx.loaders.postCount.load(countSpec);
  return conn;
}
