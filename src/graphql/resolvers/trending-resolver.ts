import { Args, ArgsType, Ctx, Field, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { newestPostMs, stockPostsBetween, stockTrendCounts, type StockTrendCounts } from '../../db/queries/trending';
import type { PostRow } from '../../db/queries/rows';
import type { Context } from '../context';
import { badInput } from '../errors';
import { checkSize } from '../relay/page-args';
import { DateTimeScalar, dateArg, InvalidDateTime } from '../scalars/date-time';
import { Post } from '../types/post';
import { Stock } from '../types/stock';
import { TrendingStock, TrendWindow } from '../types/trending';

const HOUR = 3600000;
/** Each window's span and how many spans before it make the baseline. */
export const WINDOWS: Record<TrendWindow, { ms: number; baseline: number }> = {
  [TrendWindow.DAY]: { ms: 24 * HOUR, baseline: 28 },
  [TrendWindow.WEEK]: { ms: 7 * 24 * HOUR, baseline: 8 },
};
/** Posts per trending stock, at most. */
const MAX_POSTS = 20;

@ArgsType()
class TrendingArgs {
  @Field(() => TrendWindow, { nullable: true, defaultValue: TrendWindow.DAY, description: 'DAY (default) or WEEK.' })
  window: TrendWindow | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "The window's end (exclusive); default: just after the newest post, so a quiet archive still has a last day.",
  })
  at?: Date | InvalidDateTime | null;

  @Field(() => Int, { nullable: true, defaultValue: 10, description: 'How many stocks, 1..100 (default 10).' })
  first: number | null;
}

@ArgsType()
class TrendPostsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 5, description: `How many, 1..${MAX_POSTS} (default 5).` })
  first: number | null;
}

export interface RankedTrend extends StockTrendCounts {
  baseline: number;
  score: number;
}

/**
 * Stocks by how far their coverage in the window exceeds their own baseline: (count - b) /
 * sqrt(b + 1), b the mean per window over the baseline windows (a Poisson z-score, the +1 keeping a
 * stock never covered before from scoring without bound). Ties: more posts, then the lower id.
 */
export function rankTrends(counts: StockTrendCounts[], baselineWindows: number): RankedTrend[] {
  return counts
    .map((c) => {
      const baseline = c.before / baselineWindows;
      const score = Math.round(((c.count - baseline) / Math.sqrt(baseline + 1)) * 1000) / 1000;
      return { ...c, baseline: Math.round(baseline * 1000) / 1000, score };
    })
    .sort((a, b) => b.score - a.score || b.count - a.count || a.stockId - b.stockId);
}

@Resolver(() => TrendingStock)
export class TrendingResolver {
  @Query(() => [TrendingStock], {
    description:
      'Stocks whose coverage in the window (the last DAY or WEEK before `at`) most exceeds their own baseline (the 28 days, or 8 weeks, before it), with the posts that drove it.',
  })
  async trendingStocks(@Args() a: TrendingArgs, @Ctx() ctx: Context): Promise<TrendingStock[]> {
    const first = checkSize('first', a.first ?? 10);
    const w = WINDOWS[a.window ?? TrendWindow.DAY];
    const at = dateArg(a.at);
    const newest = at === undefined ? await newestPostMs(ctx.run) : null;
    if (at === undefined && newest === null) return [];
    const to = at ?? newest! + 1;
    const from = to - w.ms;
    const baselineFrom = from - w.baseline * w.ms;
    if (!Number.isSafeInteger(baselineFrom)) throw badInput('trendingStocks: `at` is out of range');
    const ranked = rankTrends(await stockTrendCounts(ctx.run, baselineFrom, from, to), w.baseline).slice(0, first);
    const rows = await ctx.loaders.stock.loadMany(ranked.map((r) => r.stockId));
    // One statement for every listed stock's posts, per page size asked.
    const posts = new Map<number, Promise<Map<number, PostRow[]>>>();
    const postsOf = (stockId: number) => async (n: number) => {
      let all = posts.get(n);
      if (!all)
        posts.set(
          n,
          (all = stockPostsBetween(
            ctx.run,
            ranked.map((r) => r.stockId),
            from,
            to,
            n,
          )),
        );
      return ((await all).get(stockId) ?? []).map(Post.from);
    };
    return ranked.flatMap((r, i) => {
      const row = rows[i];
      if (!row || row instanceof Error) return [];
      return [
        Object.assign(new TrendingStock(), {
          stock: Stock.from(row),
          count: r.count,
          baseline: r.baseline,
          score: r.score,
          postsOf: postsOf(r.stockId),
        }),
      ];
    });
  }

  @FieldResolver(() => [Post], { description: "The window's posts linking it, newest first." })
  posts(@Root() t: TrendingStock, @Args() { first }: TrendPostsArgs): Promise<Post[]> {
    return t.postsOf(checkSize('first', first ?? 5, MAX_POSTS));
  }
}
