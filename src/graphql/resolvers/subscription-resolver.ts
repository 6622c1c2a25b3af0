import { GraphQLError } from 'graphql';
import { Arg, Ctx, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../context';
import type { FeedChange } from '../live/post-events';
import { Post } from '../types/post';
import { PostChange } from '../types/post-change';
import { PostFilter } from '../types/filters';
import { toFilterSpec } from './filter-spec';

/** The event hub of a WebSocket operation's context (over HTTP there is none). */
function eventsOf(context: Context) {
  if (!context.live) throw new Error('subscriptions are served over WebSocket (graphql-ws) at /graphql');
  return context.live.events;
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => Post, {
    description:
      'Each post the archive gains (its ADDED change in the feed) that passes `filter`, as it is imported by any process.',
    subscribe: ({ args, context }) =>
      eventsOf(context as Context).subscribe('added', toFilterSpec((args as { filter?: PostFilter }).filter)),
  })
  async postAdded(
    @Root() change: FeedChange,
    @Ctx() ctx: Context,
    @Arg('filter', () => PostFilter, {
      nullable: true,
      description: 'Only posts this filter passes, as `posts(filter:)` would list them; none: every post.',
    })
    _filter?: PostFilter,
  ): Promise<Post> {
    ctx.live!.refresh();
    const row = await ctx.loaders.post.load(change.postId);
    // Matched a moment ago: only a removal committed since can take it away.
    if (!row)
      throw new GraphQLError('the post was removed before it could be sent', { extensions: { code: 'POST_REMOVED' } });
    return Post.from(row);
  }

  @Subscription(() => PostChange, {
    description:
      'Each change of the feed (ADDED, UPDATED, REMOVED) to a post that passes `filter` as it is now; a REMOVED post has no links left to test, so every subscriber hears of it. `PostChange.post` is the post at that moment.',
    subscribe: ({ args, context }) =>
      eventsOf(context as Context).subscribe('changed', toFilterSpec((args as { filter?: PostFilter }).filter)),
  })
  postChanged(
    @Root() change: FeedChange,
    @Ctx() ctx: Context,
    @Arg('filter', () => PostFilter, {
      nullable: true,
      description: 'Only changes to posts this filter passes (REMOVED: every one); none: every change.',
    })
    _filter?: PostFilter,
  ): PostChange {
    ctx.live!.refresh();
    return PostChange.from(change);
  }
}
