import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { ChangeResolver } from './resolvers/change-resolver';
import { FacetsResolver } from './resolvers/facets-resolver';
import { ListResolver } from './resolvers/list-resolver';
import { TrendingResolver } from './resolvers/trending-resolver';
import { PostResolver } from './resolvers/post-resolver';
import { QueryResolver } from './resolvers/query-resolver';
import { StockResolver } from './resolvers/stock-resolver';
import { SubscriptionResolver } from './resolvers/subscription-resolver';
import { BoardResolver, CategoryResolver, OrganizationResolver, TagResolver } from './resolvers/taxonomy-resolver';
import { Post } from './types/post';
import { Stock } from './types/stock';
import { Board, Category, Organization, Tag } from './types/taxonomy';

let cached: GraphQLSchema | null = null;

/** The executable schema (built once per process: type-graphql metadata is global). */
export function buildNewsgraphSchema(): GraphQLSchema {
  cached ??= buildSchemaSync({
    resolvers: [
      QueryResolver,
      ListResolver,
      PostResolver,
      StockResolver,
      BoardResolver,
      OrganizationResolver,
      CategoryResolver,
      TagResolver,
      SubscriptionResolver,
      ChangeResolver,
      FacetsResolver,
      TrendingResolver,
    ],
    orphanedTypes: [Post, Stock, Board, Organization, Category, Tag],
    validate: false,
    emitSchemaFile: false,
    // type-graphql requires a PubSub; ours is never used: each subscription gives its own
    // `subscribe`, fed by the change feed (live/post-events.ts).
    pubSub: {
      publish: () => {
        throw new Error('newsgraph publishes through the change feed, not type-graphql topics');
      },
      subscribe: () => {
        throw new Error('newsgraph subscriptions subscribe to the change feed, not type-graphql topics');
      },
    },
  });
  cached.getSubscriptionType()!.description =
    'Live events over WebSocket (the graphql-ws protocol) at the same /graphql URL, fed by the change feed.';
  cached.getQueryType()!.description =
    'Entry points: posts, search, stocks, boards, organizations, categories, tags, any object by global ID, and the change feed.';
  return cached;
}
