import { type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context';
import type { RelatedRead } from '../loaders';
import { decodeCursor, edgeCursor, isOffset, pageRequest } from '../relay/page-args';
import { argumentsOf } from '../relay/selection';
import { RelatedPostConnection, RelatedPostEdge } from '../types/connections';
import { pageInfo } from '../types/node';
import { Post } from '../types/post';
import { Stock } from '../types/stock';

/** Where a `relatedCoverage(first:, after:)` page starts and how long it is (bad arguments throw). */
export function relatedPage(args: { first?: number | null; after?: string | null }): {
  offset: number;
  limit: number;
} {
  const req = pageRequest({ first: args.first, after: args.after });
  return { offset: req.cursor ? decodeCursor('related', req.cursor, isOffset) : 0, limit: req.limit };
}

/** The stocks both posts link, in stock order (through the per-post loader: asked only when shown). */
async function sharedStocks(ctx: Context, a: number, b: number): Promise<Stock[]> {
  const [mine, theirs] = await Promise.all([ctx.loaders.stocksOfPost.load(a), ctx.loaders.stocksOfPost.load(b)]);
  const other = new Set(theirs.map((s) => s.target.id));
  return mine
    .map((m) => m.target)
    .filter((s) => other.has(s.id))
    .sort((x, y) => x.id - y.id)
    .map(Stock.from);
}

/** A post's related coverage page from its pairs and the cards of those it shows. */
export function relatedConnection(
  ctx: Context,
  postId: number,
  { pairs, rows }: RelatedRead,
  offset: number,
  limit: number,
): RelatedPostConnection {
  const conn = new RelatedPostConnection();
  conn.edges = [];
  for (let i = 0; i < rows.length && i < limit; i++) {
    const row = rows[i];
    // A post removed since a list was ranked has no row: its edge is left out.
    if (!row || row instanceof Error) continue;
    const r = pairs[i];
    const edge = new RelatedPostEdge();
    edge.node = Post.from(row);
    edge.cursorOf = edgeCursor('related', r.rank);
    edge.score = Math.round(r.score * 1000) / 1000;
    edge.sharedStocksOf = () => sharedStocks(ctx, postId, r.id);
    conn.edges.push(edge);
  }
  conn.pageInfo = pageInfo(
    conn.edges.map((e) => e.cursorOf),
    true,
    pairs.length > limit,
    offset > 0,
  );
  return conn;
}

/** Reads a post's related coverage page through the loaders (batched across the request's posts). */
export async function loadRelated(ctx: Context, postId: number, offset: number, limit: number): Promise<RelatedRead> {
  const pairs = await ctx.loaders.related.load({ postId, offset, limit });
  const rows = await ctx.loaders.postCard.loadMany(pairs.slice(0, limit).map((r) => r.id));
  return { pairs, rows };
}

/**
 * Where `fields` (the selections on posts, from `fieldsAt`) show `relatedCoverage`, reads it for
 * `postIds` ahead, as the fields would have batched it, so each field answers at once.
 */
export async function readRelatedAhead(
  ctx: Context,
  info: GraphQLResolveInfo,
  fields: readonly FieldNode[],
  postIds: readonly number[],
): Promise<void> {
  if (postIds.length === 0) return;
  const def = (info.schema.getType('Post') as GraphQLObjectType).getFields().relatedCoverage;
  const pages = new Map<string, { offset: number; limit: number }>();
  for (const args of argumentsOf(info, fields, def)) {
    try {
      const page = relatedPage(args);
      pages.set(`${page.offset}:${page.limit}`, page);
    } catch {
      // Bad arguments: the field reports them.
    }
  }
  await Promise.all([...pages.values()].map((p) => ctx.loaders.relatedAhead(postIds, p.offset, p.limit)));
}
