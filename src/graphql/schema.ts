import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { directFieldResolvers } from './direct-resolvers';
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

const RESOLVERS = [
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
] as const;

let cached: GraphQLSchema | null = null;

/** The executable schema (built once per process: type-graphql metadata is global). */
export function buildNewsgraphSchema(): GraphQLSchema {
  if (cached) return cached;
  cached = buildTypeGraphqlSchema();
  directFieldResolvers(cached, RESOLVERS);
  return cached;
}

/**
 * The schema as type-graphql builds it, every resolver behind its wrapper: what the direct
 * resolvers (direct-resolvers.ts) are checked against. A new schema on every call.
 */
export function buildTypeGraphqlSchema(): GraphQLSchema {
  const schema = buildSchemaSync({
    resolvers: RESOLVERS,
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
  schema.getSubscriptionType()!.description =
    'Live events over WebSocket (the graphql-ws protocol) at the same /graphql URL, fed by the change feed.';
  schema.getQueryType()!.description =
    'Entry points: posts, search, stocks, boards, organizations, categories, tags, any object by global ID, and the change feed.';
  return schema;
}
