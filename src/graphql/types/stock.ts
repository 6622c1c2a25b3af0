import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { StockRow } from '../../db/queries/rows';
import { toGlobalId } from '../relay/node-id';
import { DateTimeScalar, Instant } from '../scalars/date-time';
import { Via } from './enums';
import { Node } from './node';

@ObjectType('Stock', { implements: Node, simpleResolvers: true, description: 'A quotable instrument named by posts.' })
export class Stock implements Node {
  @Field(() => ID, { description: 'Global ID.' })
  get id(): string {
    return toGlobalId('Stock', this.dbId);
  }

  dbId: number;

  @Field(() => String, { description: 'Canonical symbol: 600050.SH, 00762.HK, NIO.US.' })
  symbol: string;

  @Field(() => String, { description: 'Code on its exchange: 600050, 00762, NIO.' })
  code: string;

  @Field(() => String, { description: 'Market: SH, SZ, BJ, HK, US, or M<id> for another Eastmoney market id.' })
  market: string;

  @Field(() => String, { nullable: true, description: 'Exchange: SSE, SZSE, BSE, HKEX, NASDAQ, NYSE, NYSE American.' })
  exchange: string | null;

  @Field(() => String, { nullable: true, description: 'Eastmoney id `<market>.<code>` (1.600050).' })
  secid: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Display name as posts link it (巨化股份), when any post gives one.',
  })
  name: string | null;

  @Field(() => Int, { description: 'Number of posts linking this stock.' })
  coverageCount: number;

  organizationId: number | null;

  /** From its row. `this: void`: safe to pass unbound, as in rows.map(Stock.from). */
  static from(this: void, row: StockRow): Stock {
    const s = new Stock();
    s.dbId = row.id;
    s.symbol = row.symbol;
    s.code = row.code;
    s.market = row.market;
    s.exchange = row.exchange;
    s.secid = row.secid;
    s.name = row.name;
    s.coverageCount = row.coverageCount;
    s.organizationId = row.organizationId;
    return s;
  }
}

@ObjectType({ simpleResolvers: true, description: 'How one post names one stock.' })
export class StockMention {
  @Field(() => Stock, { description: 'The stock.' })
  stock: Stock;

  @Field(() => Int, { description: 'Times the post names it, all ways together.' })
  count: number;

  @Field(() => [Via], { description: 'The ways the post names it.' })
  via: Via[];

  @Field(() => Int, { description: 'Chart embeds.' })
  embedCount: number;

  @Field(() => Int, { description: 'Inline quote links.' })
  linkCount: number;

  @Field(() => Int, { description: 'Text mentions.' })
  textCount: number;
}

@ObjectType({ simpleResolvers: true, description: 'A stock named in the same posts as another.' })
export class CoMention {
  @Field(() => Stock, { description: 'The other stock.' })
  stock: Stock;

  @Field(() => Int, { description: 'Posts naming both.' })
  count: number;
}

@ObjectType({ simpleResolvers: true, description: 'Posts in one time bucket.' })
export class CoverageBucket {
  @Field(() => DateTimeScalar, { description: 'Start of the bucket (UTC).' })
  start: Instant;

  @Field(() => Int, { description: 'Posts dated in the bucket.' })
  count: number;
}
