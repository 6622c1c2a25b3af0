// What pages make of the data: plain view models, typed end to end from the documents. A field a
// page reads that its query (or fragment) does not select is a compile error here.
import { request, type RequestOptions } from './client';
import { PostCard, PostLink, StockChip } from './fragments';
import { getFragmentData, type FragmentType } from './gql';
import { SearchPageQuery } from './search-page';
import { StockPageQuery } from './stock-page';

export interface StockLabel {
  symbol: string;
  label: string;
}

/** "贵州茅台 600519.SH", or the symbol alone when no post names the stock. */
export function stockLabel(chip: FragmentType<typeof StockChip>): StockLabel {
  const s = getFragmentData(StockChip, chip);
  return { symbol: s.symbol, label: s.name ? `${s.name} ${s.symbol}` : s.symbol };
}

export interface PostItem {
  title: string;
  url: string;
  date: string;
  stocks: StockLabel[];
}

function postItem(card: FragmentType<typeof PostCard>): PostItem {
  const c = getFragmentData(PostCard, card);
  const link = getFragmentData(PostLink, c);
  return { title: link.title, url: link.url, date: link.date, stocks: c.stocks.map(stockLabel) };
}

/** The stock page's header, latest posts and peers; null for an unknown symbol (a 404 page). */
export async function stockPage(endpoint: string, symbol: string, options?: RequestOptions) {
  const { stock } = await request(endpoint, StockPageQuery, { symbol, first: 10 }, options);
  if (!stock) return null;
  return {
    ...stockLabel(stock),
    coverage: stock.coverageCount,
    posts: stock.posts.edges.map((e) => postItem(e.node)),
    peers: stock.coMentioned.map((m) => ({ ...stockLabel(m.stock), together: m.count })),
    months: stock.coverageTimeline.map((b) => [b.start.slice(0, 7), b.count] as const),
  };
}

/** One page of search hits, newest first or best first, with the snippet's HTML (already escaped). */
export async function searchPage(endpoint: string, query: string, byDate = false, after?: string) {
  const { search } = await request(endpoint, SearchPageQuery, {
    query,
    after,
    orderBy: byDate ? 'DATE_DESC' : 'RELEVANCE',
  });
  return {
    total: search.totalCount,
    next: search.pageInfo.hasNextPage ? search.pageInfo.endCursor : null,
    hits: search.edges.map((e) => ({ ...getFragmentData(PostLink, e.node), snippetHtml: e.snippet })),
  };
}
