import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTimeScalar, InvalidDateTime } from '../scalars/date-time';

@InputType({
  description: 'Narrows a list of posts. Each list matches any of its values; the fields combine with AND.',
})
export class PostFilter {
  @Field(() => [String], { nullable: true, description: 'Category names or slugs (case-insensitive).' })
  categories?: string[];

  @Field(() => [String], { nullable: true, description: 'Tag names.' })
  tags?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Stock symbols in any accepted form (600050, 600050.SH, SH600050, 1.600050, NIO).',
  })
  stocks?: string[];

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
