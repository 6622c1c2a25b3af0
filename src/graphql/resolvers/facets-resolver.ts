import { Args, ArgsType, Ctx, Field, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { MAX_FACET_ENTRIES, type FacetKind } from '../../db/queries/facet-counts';
import { topCounts } from '../../db/queries/post-facets';
import type { Context } from '../context';
import { checkSize } from '../relay/page-args';
import { Interval } from '../types/enums';
import { BoardFacet, CategoryFacet, PostFacets, PublisherFacet, StockFacet, TagFacet } from '../types/facets';
import { CoverageBucket, Stock } from '../types/stock';
import { Board, Category, Organization, Tag } from '../types/taxonomy';
import { bucketStart, fillBuckets } from './timeline';

const DAY_MS = 86400000;

@ArgsType()
class FacetArgs {
  @Field(() => Int, { nullable: true, defaultValue: 10, description: 'How many, 1..100 (default 10).' })
  first: number | null;
}

@ArgsType()
class HistogramArgs {
  @Field(() => Interval, { nullable: true, defaultValue: Interval.MONTH, description: 'Bucket size (default MONTH).' })
  interval: Interval | null;
}

/** The top `first` of a kind with their entities (through the loaders); ids gone meanwhile are left out. */
async function top<R, T>(
  facets: PostFacets,
  kind: FacetKind,
  first: number | null,
  load: (ids: number[]) => Promise<(R | null | Error)[]>,
  make: (row: R, count: number) => T,
): Promise<T[]> {
  const counts = topCounts((await facets.counts()).byKind[kind], checkSize('first', first ?? 10, MAX_FACET_ENTRIES));
  const rows = await load(counts.map((c) => c.id));
  return counts.flatMap((c, i) => {
    const row = rows[i];
    return row && !(row instanceof Error) ? [make(row, c.count)] : [];
  });
}

@Resolver(() => PostFacets)
export class FacetsResolver {
  @FieldResolver(() => Int, { description: 'Posts in the set.' })
  async total(@Root() f: PostFacets): Promise<number> {
    return (await f.counts()).total;
  }

  @FieldResolver(() => [CategoryFacet], { description: 'Categories.' })
  categories(@Root() f: PostFacets, @Ctx() ctx: Context, @Args() { first }: FacetArgs): Promise<CategoryFacet[]> {
    return top(
      f,
      'category',
      first,
      (ids) => ctx.loaders.category.loadMany(ids),
      (row, count) => Object.assign(new CategoryFacet(), { category: Category.from(row), count }),
    );
  }

  @FieldResolver(() => [TagFacet], { description: 'Tags.' })
  tags(@Root() f: PostFacets, @Ctx() ctx: Context, @Args() { first }: FacetArgs): Promise<TagFacet[]> {
    return top(
      f,
      'tag',
      first,
      (ids) => ctx.loaders.tag.loadMany(ids),
      (row, count) => Object.assign(new TagFacet(), { tag: Tag.from(row), count }),
    );
  }

  @FieldResolver(() => [StockFacet], { description: 'Linked stocks.' })
  stocks(@Root() f: PostFacets, @Ctx() ctx: Context, @Args() { first }: FacetArgs): Promise<StockFacet[]> {
    return top(
      f,
      'stock',
      first,
      (ids) => ctx.loaders.stock.loadMany(ids),
      (row, count) => Object.assign(new StockFacet(), { stock: Stock.from(row), count }),
    );
  }

  @FieldResolver(() => [BoardFacet], { description: 'Linked boards.' })
  boards(@Root() f: PostFacets, @Ctx() ctx: Context, @Args() { first }: FacetArgs): Promise<BoardFacet[]> {
    return top(
      f,
      'board',
      first,
      (ids) => ctx.loaders.board.loadMany(ids),
      (row, count) => Object.assign(new BoardFacet(), { board: Board.from(row), count }),
    );
  }

  @FieldResolver(() => [PublisherFacet], { description: 'Publishers.' })
  publishers(@Root() f: PostFacets, @Ctx() ctx: Context, @Args() { first }: FacetArgs): Promise<PublisherFacet[]> {
    return top(
      f,
      'publisher',
      first,
      (ids) => ctx.loaders.organization.loadMany(ids),
      (row, count) => Object.assign(new PublisherFacet(), { publisher: Organization.from(row), count }),
    );
  }

  @FieldResolver(() => [CoverageBucket], {
    description:
      'Posts of the set per bucket (UTC; weeks start on Monday), from the first through the last, empty ones included.',
  })
  async dates(@Root() f: PostFacets, @Args() args: HistogramArgs): Promise<CoverageBucket[]> {
    const interval = args.interval ?? Interval.MONTH;
    const { days } = await f.counts();
    if (days.length === 0) return [];
    const start = bucketStart(interval, days[0].day * DAY_MS);
    const end = days[days.length - 1].day * DAY_MS;
    return fillBuckets(interval, start, end, days).map((b) =>
      Object.assign(new CoverageBucket(), { start: { ms: b.start, offset: 0 }, count: b.count }),
    );
  }
}
