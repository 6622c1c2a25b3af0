import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root, Info } from 'type-graphql';
import type { Context } from '../context';
import { badInput } from '../errors';
import { MAX_PAGE } from '../relay/page-args';
import { dateArg } from '../scalars/date-time';
import { PostConnection } from '../types/connections';
import { Interval } from '../types/enums';
import { CoMention, CoverageBucket, Stock } from '../types/stock';
import { Organization } from '../types/taxonomy';
import { PostsArgs, TimelineArgs } from './args';
import { postConnection } from './post-connection';
import { bucketStart, fillBuckets } from './timeline';

@Resolver(() => Stock)
export class StockResolver {
  @FieldResolver(() => Organization, { nullable: true, description: 'The issuer, when posts name one.' })
  async organization(@Root() stock: Stock, @Ctx() ctx: Context): Promise<Organization | null> {
    if (stock.organizationId === null) return null;
    const row = await ctx.loaders.organization.load(stock.organizationId);
    return row && Organization.from(row);
  }

  @FieldResolver(() => PostConnection, { description: 'Posts linking this stock.' })
  posts(
    @Root() stock: Stock,
    @Ctx() ctx: Context,
    @Args() args: PostsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PostConnection> {
    return postConnection(ctx, { kind: 'stock', id: stock.dbId }, args, info);
  }

  @FieldResolver(() => [CoMention], { description: 'Stocks named in the same posts, most shared posts first.' })
  async coMentioned(
    @Root() stock: Stock,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, description: 'How many, 1..100 (default 20).' }) first?: number,
  ): Promise<CoMention[]> {
    const limit = first ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
      throw badInput(`\`first\` must be between 1 and ${MAX_PAGE}, got ${limit}`);
    const rows = await ctx.loaders.coMentioned.load({ id: stock.dbId, limit });
    return rows.map((r) => Object.assign(new CoMention(), { stock: Stock.from(r), count: r.together }));
  }

  @FieldResolver(() => [CoverageBucket], {
    description: 'Posts linking this stock per time bucket, empty buckets included (UTC).',
  })
  async coverageTimeline(
    @Root() stock: Stock,
    @Ctx() ctx: Context,
    @Args() { interval, from, to }: TimelineArgs,
  ): Promise<CoverageBucket[]> {
    const fromMs = dateArg(from) ?? null;
    const toMs = dateArg(to) ?? null;
    if (fromMs !== null && toMs !== null && fromMs > toMs) throw badInput('`from` is after `to`');
    const days = await ctx.loaders.dailyCoverage.load({
      stockId: stock.dbId,
      from: fromMs,
      to: toMs,
      monthly: interval === Interval.MONTH,
    });
    if (days.length === 0 && (fromMs === null || toMs === null)) return [];
    const start = bucketStart(interval, fromMs ?? days[0].day * 86400000);
    const end = toMs ?? days[days.length - 1].day * 86400000;
    return fillBuckets(interval, start, end, days).map((b) =>
      Object.assign(new CoverageBucket(), { start: { ms: b.start, offset: 0 }, count: b.count }),
    );
  }
}
