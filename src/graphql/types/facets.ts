import { Field, Int, ObjectType } from 'type-graphql';
import type { FacetCounts } from '../../db/queries/facet-counts';
import { Stock } from './stock';
import { Board, Category, Organization, Tag } from './taxonomy';

@ObjectType({ simpleResolvers: true, description: 'A category and how many posts of the set it holds.' })
export class CategoryFacet {
  @Field(() => Category, { description: 'The category.' })
  category: Category;

  @Field(() => Int, { description: 'Posts of the set in it.' })
  count: number;
}

@ObjectType({ simpleResolvers: true, description: 'A tag and how many posts of the set carry it.' })
export class TagFacet {
  @Field(() => Tag, { description: 'The tag.' })
  tag: Tag;

  @Field(() => Int, { description: 'Posts of the set with it.' })
  count: number;
}

@ObjectType({ simpleResolvers: true, description: 'A stock and how many posts of the set link it.' })
export class StockFacet {
  @Field(() => Stock, { description: 'The stock.' })
  stock: Stock;

  @Field(() => Int, { description: 'Posts of the set linking it.' })
  count: number;
}

@ObjectType({ simpleResolvers: true, description: 'A board and how many posts of the set link it.' })
export class BoardFacet {
  @Field(() => Board, { description: 'The board.' })
  board: Board;

  @Field(() => Int, { description: 'Posts of the set linking it.' })
  count: number;
}

@ObjectType({ simpleResolvers: true, description: 'A publisher and how many posts of the set it published.' })
export class PublisherFacet {
  @Field(() => Organization, { description: 'The publishing outlet.' })
  publisher: Organization;

  @Field(() => Int, { description: 'Posts of the set it published.' })
  count: number;
}

@ObjectType({
  description:
    'Counts over a set of posts (those a filter, a search, or both select), as search pages show beside their results. Each list is most posts first, ties by ID.',
})
export class PostFacets {
  /** Every count of the set, from one statement, read when the first field asks. */
  counts: () => Promise<FacetCounts>;
}
