import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { ListResolver } from './resolvers/list-resolver';
import { PostResolver } from './resolvers/post-resolver';
import { QueryResolver } from './resolvers/query-resolver';
import { StockResolver } from './resolvers/stock-resolver';
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
    ],
    orphanedTypes: [Post, Stock, Board, Organization, Category, Tag],
    validate: false,
    emitSchemaFile: false,
  });
  cached.getQueryType()!.description =
    'Entry points: posts, search, stocks, boards, organizations, categories, tags, and any object by global ID.';
  return cached;
}
