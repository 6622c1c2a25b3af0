import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context';
import { fieldsAt, LINK_FIELDS, selectsAny } from '../relay/selection';
import { readRelatedAhead } from './related-coverage';

/**
 * Reads, right after a page of posts (or one post), what its fields at `path` would have batched:
 * the posts' links where the query shows a link field, their related coverage where it shows
 * `relatedCoverage`. Those fields then answer at once, without a promise or a loader round each.
 */
export async function readAhead(
  ctx: Context,
  info: GraphQLResolveInfo,
  path: readonly string[],
  postIds: readonly number[],
): Promise<void> {
  const fields = fieldsAt(info, path);
  await Promise.all([
    selectsAny(fields, LINK_FIELDS) ? ctx.loaders.linksAhead(postIds) : undefined,
    readRelatedAhead(ctx, info, fields, postIds),
  ]);
}
