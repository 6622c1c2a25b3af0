import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { stockCount, stockPage } from '../../db/queries/stocks';
import { categoryPage, countCategories, countTags, tagPage } from '../../db/queries/taxonomy';
import type { Context } from '../context';
import { decodeCursor, EdgeCursor, encodeCursor, isInt, pageRequest } from '../relay/page-args';
import {
  CategoryConnection,
  CategoryEdge,
  StockConnection,
  StockEdge,
  TagConnection,
  TagEdge,
} from '../types/connections';
import { StockOrder } from '../types/enums';
import { pageInfo } from '../types/node';
import { Stock } from '../types/stock';
import { Category, Tag } from '../types/taxonomy';
import { ForwardArgs, StocksArgs } from './args';
import { CountedConnection } from '../types/connection';

const isCountCursor = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && isInt(v[0]) && isInt(v[1]);
const isSymbolCursor = (v: unknown): v is string => typeof v === 'string' && v.length < 64;

/** Edges, page info and a lazy count for a forward-only keyset connection. */
function build<C extends CountedConnection & { edges: E[] }, E extends { node: N; cursorOf: EdgeCursor }, N>(
  conn: C,
  Edge: new () => E,
  nodes: N[],
  cursorOf: (n: N) => string,
  hasMore: boolean,
  hadCursor: boolean,
  count: () => Promise<number>,
): C {
  const edges = nodes.map((node) => Object.assign(new Edge(), { node, cursorOf: () => cursorOf(node) }));
  conn.edges = edges;
  conn.pageInfo = pageInfo(
    edges.map((e) => e.cursorOf),
    true,
    hasMore,
    hadCursor,
  );
  conn.count = count;
  return conn;
}

@Resolver()
export class ListResolver {
  @Query(() => StockConnection, { description: 'Stocks, most-covered first unless ordered otherwise.' })
  async stocks(@Args() page: StocksArgs, @Ctx() ctx: Context): Promise<InstanceType<typeof StockConnection>> {
    const { filter, orderBy } = page;
    const req = pageRequest(page);
    const order = orderBy ?? StockOrder.COVERAGE_DESC;
    let after: { coverage?: number; symbol?: string; id: number } | undefined;
    if (req.cursor && order === StockOrder.COVERAGE_DESC) {
      const [coverage, id] = decodeCursor('stock-coverage', req.cursor, isCountCursor);
      after = { coverage, id };
    } else if (req.cursor) {
      after = { symbol: decodeCursor('stock-symbol', req.cursor, isSymbolCursor), id: 0 };
    }
    const { rows, hasMore } = await stockPage(ctx.run, filter, order, req.limit, after);
    const cursorOf = (s: Stock) =>
      order === StockOrder.COVERAGE_DESC
        ? encodeCursor('stock-coverage', [s.coverageCount, s.dbId])
        : encodeCursor('stock-symbol', s.symbol);
    return build(new StockConnection(), StockEdge, rows.map(Stock.from), cursorOf, hasMore, !!after, () =>
      stockCount(ctx.run, filter),
    );
  }

  @Query(() => CategoryConnection, { description: 'Categories, busiest first.' })
  async categories(@Args() page: ForwardArgs, @Ctx() ctx: Context): Promise<InstanceType<typeof CategoryConnection>> {
    const req = pageRequest(page);
    const after = req.cursor ? decodeCursor('category', req.cursor, isCountCursor) : undefined;
    const { rows, hasMore } = await categoryPage(ctx.run, req.limit, after && { count: after[0], id: after[1] });
    return build(
      new CategoryConnection(),
      CategoryEdge,
      rows.map(Category.from),
      (c) => encodeCursor('category', [c.postCount, c.dbId]),
      hasMore,
      !!after,
      () => countCategories(ctx.run),
    );
  }

  @Query(() => TagConnection, { description: 'Tags, busiest first.' })
  async tags(@Args() page: ForwardArgs, @Ctx() ctx: Context): Promise<InstanceType<typeof TagConnection>> {
    const req = pageRequest(page);
    const after = req.cursor ? decodeCursor('tag', req.cursor, isCountCursor) : undefined;
    const { rows, hasMore } = await tagPage(ctx.run, req.limit, after && { count: after[0], id: after[1] });
    return build(
      new TagConnection(),
      TagEdge,
      rows.map(Tag.from),
      (t) => encodeCursor('tag', [t.postCount, t.dbId]),
      hasMore,
      !!after,
      () => countTags(ctx.run),
    );
  }
}
