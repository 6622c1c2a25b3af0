import { Field, Float, Int, ObjectType } from 'type-graphql';
import { EXACT_COUNT_LIMIT, type SearchCount } from '../../db/queries/search';
import { connectionType, CursorEdge } from './connection';
import { PageInfo } from './node';
import { Post } from './post';
import { Stock } from './stock';
import { Category, Tag } from './taxonomy';

export const { Connection: PostConnection, Edge: PostEdge } = connectionType('Post', () => Post, {
  one: 'post',
  many: 'posts',
});
export type PostConnection = InstanceType<typeof PostConnection>;
export const { Connection: StockConnection, Edge: StockEdge } = connectionType('Stock', () => Stock, {
  one: 'stock',
  many: 'stocks',
});
export type StockConnection = InstanceType<typeof StockConnection>;
export const { Connection: CategoryConnection, Edge: CategoryEdge } = connectionType('Category', () => Category, {
  one: 'category',
  many: 'categories',
});
export type CategoryConnection = InstanceType<typeof CategoryConnection>;
export const { Connection: TagConnection, Edge: TagEdge } = connectionType('Tag', () => Tag, {
  one: 'tag',
  many: 'tags',
});
export type TagConnection = InstanceType<typeof TagConnection>;

@ObjectType({ simpleResolvers: true, description: 'A search hit.' })
export class SearchEdge extends CursorEdge {
  @Field(() => Post, { description: 'The matching post.' })
  node: Post;

  @Field(() => Float, {
    description:
      'Relevance: higher is better (text: bm25 on SQLite, ts_rank on PostgreSQL; stock links rank first). 0 when the search is ordered by date: hits are not ranked then.',
  })
  score: number;

  /** Made from the post's text (which comes with the page) only when asked for. */
  snippetOf: () => string;

  @Field(() => String, { description: 'A short HTML-escaped passage of the text with matches wrapped in <mark>.' })
  snippet(): string {
    return this.snippetOf();
  }
}

@ObjectType({ simpleResolvers: true, description: 'Search results, best first unless ordered by date.' })
export class SearchConnection {
  @Field(() => [SearchEdge], { description: 'The hits of this page.' })
  edges: SearchEdge[];

  @Field(() => PageInfo, { description: 'Pagination state.' })
  declare pageInfo: PageInfo;

  /** Counted once per connection, when `totalCount` or `totalCountExact` is asked for. */
  counted: () => Promise<SearchCount>;

  @Field(() => Int, {
    description: `Number of matching posts: exact up to ${EXACT_COUNT_LIMIT.toLocaleString('en')}; past that a lower bound (${EXACT_COUNT_LIMIT.toLocaleString('en')}) and \`totalCountExact\` is false.`,
  })
  async totalCount(): Promise<number> {
    return (await this.counted()).count;
  }

  @Field(() => Boolean, {
    description: 'Whether `totalCount` is the exact number of matching posts (else a lower bound).',
  })
  async totalCountExact(): Promise<boolean> {
    return (await this.counted()).exact;
  }
}

@ObjectType({
  simpleResolvers: true,
  description: 'A post related to another by shared stocks, organizations, boards and tags.',
})
export class RelatedPostEdge extends CursorEdge {
  @Field(() => Post, { description: 'The related post.' })
  node: Post;

  @Field(() => Float, {
    description: 'What the posts share, weighted: stocks first, by rarity, then organizations, boards, tags.',
  })
  score: number;

  /** Resolved from both posts' stocks only when asked for. */
  sharedStocksOf: () => Promise<Stock[]>;

  @Field(() => [Stock], { description: 'Stocks both posts link.' })
  sharedStocks(): Promise<Stock[]> {
    return this.sharedStocksOf();
  }
}

@ObjectType({ simpleResolvers: true, description: 'Posts related to one post, most related first.' })
export class RelatedPostConnection {
  @Field(() => [RelatedPostEdge], { description: 'The edges of this page.' })
  edges: RelatedPostEdge[];

  @Field(() => PageInfo, { description: 'Pagination state.' })
  pageInfo: PageInfo;
}
