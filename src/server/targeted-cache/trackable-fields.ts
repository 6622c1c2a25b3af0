import { DocumentNode, GraphQLSchema, Kind, TypeInfo, ValueNode, visit, visitWithTypeInfo } from 'graphql';

/**
 * The fields whose answers the read log follows (src/graphql/read-log.ts): a post's own fields,
 * links and related lists (changed only with the post itself, which the change feed names, or
 * checked again after each batch), pages of all posts (windows), and the entities' fields that
 * never change or change only when a post linking them is written (a stock's or board's name and
 * issuer, filled by the first post that gives them). Everything else, counts and aggregates above
 * all (`totalCount`, `coverageCount`, `postCount`, timelines, co-mentions), search, lookups by
 * name, a category's title (set by category pages, which are not posts) and the feed itself, is
 * taken as changed by every batch.
 */
const FOLLOWED: Record<string, ReadonlySet<string>> = {
  Query: new Set(['posts']),
  PostConnection: new Set(['edges', 'pageInfo']),
  PostEdge: new Set(['cursor', 'node']),
  PageInfo: new Set(['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']),
  Post: new Set([
    'id',
    'slug',
    'url',
    'title',
    'date',
    'excerpt',
    'sourceUrl',
    'path',
    'contentHash',
    'html',
    'text',
    'categories',
    'tags',
    'publisher',
    'stocks',
    'stockMentions',
    'boards',
    'organizations',
    'relatedCoverage',
  ]),
  RelatedPostConnection: new Set(['edges', 'pageInfo']),
  RelatedPostEdge: new Set(['cursor', 'node', 'score', 'sharedStocks']),
  StockMention: new Set(['stock', 'count', 'via', 'embedCount', 'linkCount', 'textCount']),
  Stock: new Set(['id', 'symbol', 'code', 'market', 'exchange', 'secid', 'name', 'organization']),
  Board: new Set(['id', 'code', 'secid', 'name']),
  Organization: new Set(['id', 'name']),
  Category: new Set(['id', 'slug', 'name']),
  Tag: new Set(['id', 'name', 'slug']),
};

/** A literal `false` (a variable may be true at run time). */
const isFalse = (v: ValueNode) => v.kind === Kind.BOOLEAN && !v.value;

/**
 * Whether every field the document selects (in every operation and fragment, so whichever one
 * runs) is one whose changes the read log follows. `__typename` always is.
 */
export function selectsOnlyFollowedFields(schema: GraphQLSchema, document: DocumentNode): boolean {
  const info = new TypeInfo(schema);
  let followed = true;
  visit(
    document,
    visitWithTypeInfo(info, {
      Field(node) {
        if (node.name.value === '__typename') return;
        const parent = info.getParentType()?.name;
        if (!parent || !FOLLOWED[parent]?.has(node.name.value)) followed = false;
        // A collapsed page changes when a story mate is written anywhere in the listing.
        if (node.arguments?.some((a) => a.name.value === 'collapseSameStory' && !isFalse(a.value))) followed = false;
      },
    }),
  );
  return followed;
}
