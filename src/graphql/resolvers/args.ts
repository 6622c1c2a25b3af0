import { ArgsType, Field, ID, Int } from 'type-graphql';
import { DateTimeScalar, InvalidDateTime } from '../scalars/date-time';
import { Interval, PostOrder, SearchOrder, StockOrder } from '../types/enums';
import { PostFilter, StockFilter } from '../types/filters';

@ArgsType()
export class ForwardArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1..100 (default 20).' })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor to continue after.' })
  after?: string;
}

@ArgsType()
export class PostsArgs extends ForwardArgs {
  @Field(() => Int, { nullable: true, description: 'Page size from the end, 1..100.' })
  last?: number;

  @Field(() => String, { nullable: true, description: 'Cursor to continue before (with `last`).' })
  before?: string;

  @Field(() => PostFilter, { nullable: true, description: 'Narrows the posts.' })
  filter?: PostFilter;

  @Field(() => PostOrder, { nullable: true, description: 'Order (default DATE_DESC).' })
  orderBy?: PostOrder;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'Each story once (see `Post.sameStory`): a post is left out when another post of its story that this listing holds comes before it in the order.',
  })
  collapseSameStory?: boolean;
}

// Argument classes keep the contract's argument order (type-graphql lists @Arg parameters in reverse).

@ArgsType()
export class SearchArgs {
  @Field(() => String, { description: 'Words, a phrase, or a stock symbol, code or name.' })
  query: string;

  @Field(() => Int, { nullable: true, description: 'Page size, 1..100 (default 20).' })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor to continue after.' })
  after?: string;

  @Field(() => PostFilter, { nullable: true, description: 'Narrows the hits.' })
  filter?: PostFilter;

  @Field(() => SearchOrder, { nullable: true, description: 'Order (default RELEVANCE).' })
  orderBy?: SearchOrder;
}

@ArgsType()
export class StocksArgs extends ForwardArgs {
  @Field(() => StockFilter, { nullable: true, description: 'Narrows the stocks.' })
  filter?: StockFilter;

  @Field(() => StockOrder, { nullable: true, description: 'Order (default COVERAGE_DESC).' })
  orderBy?: StockOrder;
}

@ArgsType()
export class OrganizationLookupArgs {
  @Field(() => ID, { nullable: true, description: 'Global ID.' })
  id?: string;

  @Field(() => String, { nullable: true, description: 'Exact name (西宁晚报, 巨化股份).' })
  name?: string;
}

@ArgsType()
export class TimelineArgs {
  @Field(() => Interval, { description: 'Bucket size.' })
  interval: Interval;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Start (default: the first post).' })
  from?: Date | InvalidDateTime;

  @Field(() => DateTimeScalar, { nullable: true, description: 'End (default: the last post).' })
  to?: Date | InvalidDateTime;
}
