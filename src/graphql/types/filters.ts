import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTimeScalar, InvalidDateTime } from '../scalars/date-time';

@InputType({
  description:
    'Narrows a list of posts. A list such as `stocks` matches any of its values, its `...All` twin all of them; ' +
    'the fields combine with AND, and `and`, `or` and `not` nest filters (each nested filter counts 1 toward the query cost; at most 4 levels).',
})
export class PostFilter {
  @Field(() => [String], { nullable: true, description: 'Category names or slugs (case-insensitive): any of them.' })
  categories?: string[];

  @Field(() => [String], { nullable: true, description: 'Category names or slugs: all of them.' })
  categoriesAll?: string[];

  @Field(() => [String], { nullable: true, description: 'Tag names: any of them.' })
  tags?: string[];

  @Field(() => [String], { nullable: true, description: 'Tag names: all of them.' })
  tagsAll?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Stock symbols in any accepted form (600050, 600050.SH, SH600050, 1.600050, NIO): any of them.',
  })
  stocks?: string[];

  @Field(() => [String], {
    nullable: true,
    description:
      'Stock symbols in any accepted form: posts linked to all of them (a bare code stands for each stock it names).',
  })
  stocksAll?: string[];

  @Field(() => [String], { nullable: true, description: 'Board codes (BK0493 or 90.BK0493).' })
  boards?: string[];

  @Field(() => [ID], { nullable: true, description: 'Organization IDs: posts that name or were published by them.' })
  organizations?: string[];

  @Field(() => String, { nullable: true, description: 'Publisher name (西宁晚报).' })
  publisher?: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Posts dated at or after this instant.' })
  dateFrom?: Date | InvalidDateTime;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Posts dated at or before this instant.' })
  dateTo?: Date | InvalidDateTime;

  @Field(() => String, {
    nullable: true,
    description: 'Posts whose title contains this text; Latin letters A-Z match either case.',
  })
  titleContains?: string;

  @Field(() => [PostFilter], { nullable: true, description: 'Posts that match every one of these filters.' })
  and?: PostFilter[];

  @Field(() => [PostFilter], {
    nullable: true,
    description: 'Posts that match at least one of these filters (an empty list matches nothing).',
  })
  or?: PostFilter[];

  @Field(() => PostFilter, { nullable: true, description: 'Posts that do not match this filter.' })
  not?: PostFilter;
}

@InputType({ description: 'Narrows a list of stocks; fields combine with AND.' })
export class StockFilter {
  @Field(() => [String], {
    nullable: true,
    description: 'Markets: SH, SZ, BJ, HK, US (or M<id> for other Eastmoney markets).',
  })
  markets?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Exchanges: SSE, SZSE, BSE, HKEX, NASDAQ, NYSE, NYSE American.',
  })
  exchanges?: string[];

  @Field(() => String, { nullable: true, description: 'Part of the name or the symbol.' })
  query?: string;

  @Field(() => Int, { nullable: true, description: 'Only stocks linked by at least this many posts.' })
  minCoverage?: number;
}
