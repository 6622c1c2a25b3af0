/**
 * The front and stock pages as PostGraphile 4 documents asking for the same data as newsgraph's
 * FRONT_PAGE and STOCK_PAGE (bench/queries.ts), the newsgraph documents without the fields PostGraphile
 * has no equivalent for, and both answers reduced to one shape so they can be compared.
 *
 * Orders follow newsgraph's: posts newest first (date_ms, id), categories and tags in front-matter
 * order (position), stocks most-mentioned first (count desc, stock_id). PostGraphile reaches them
 * through the link tables (post_category, post_stock, …) as its inflection names them.
 */
import { formatInstant } from '../src/graphql/scalars/date-time';
import { fromGlobalId } from '../src/graphql/relay/node-id';

const STOCKS_OF_POST = `postStocksByPostId(orderBy: [COUNT_DESC, STOCK_ID_ASC]) { nodes { stockByStockId { symbol name } } }`;

export const PG_FRONT_PAGE = `query FrontPage {
  allPosts(first: 20, orderBy: [DATE_MS_DESC, ID_DESC]) {
    nodes {
      id url title dateMs dateOffset excerpt
      postCategoriesByPostId(orderBy: POSITION_ASC) { nodes { categoryByCategoryId { slug name } } }
      postTagsByPostId(orderBy: POSITION_ASC) { nodes { tagByTagId { name } } }
      publisher { id name }
      ${STOCKS_OF_POST}
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

// The date range filters the link table's own date_ms, as newsgraph's scoped page does.
export const PG_STOCK_PAGE = `query StockPage($symbol: String!, $from: BigInt!, $to: BigInt!) {
  stockBySymbol(symbol: $symbol) {
    id symbol name coverageCount
    organizationByOrganizationId { id name }
    postStocksByStockId(first: 20, orderBy: [DATE_MS_DESC, POST_ID_DESC],
        filter: { dateMs: { greaterThanOrEqualTo: $from, lessThanOrEqualTo: $to } }) {
      totalCount
      nodes { postByPostId { id url title dateMs dateOffset excerpt publisher { name } ${STOCKS_OF_POST} } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** A document without the named fields (each on a line of its own, as in bench/queries.ts). */
export function withoutFields(doc: string, fields: string[]): string {
  let out = doc;
  for (const f of fields) {
    const line = new RegExp(`^[ \\t]*${f}\\b.*\\n`, 'm');
    if (!line.test(out)) throw new Error(`withoutFields: no line starting with ${f}`);
    out = out.replace(line, '');
  }
  return out;
}

/** One post as both pages show it; ids are database ids (newsgraph's are global ids). */
export interface SamePost {
  id: number;
  url: string;
  title: string;
  date: string;
  excerpt: string;
  categories?: { slug: string; name: string }[];
  tags?: string[];
  publisher: string | null;
  stocks: { symbol: string; name: string }[];
}

export interface SameFront {
  posts: SamePost[];
  hasNextPage: boolean;
}

export interface SameStock extends SameFront {
  symbol: string;
  name: string;
  coverageCount: number;
  organization: string | null;
  totalCount: number;
}

const dbId = (gid: string) => fromGlobalId(gid)?.id ?? -1;

function ngPost(n: any): SamePost {
  return {
    id: dbId(n.id),
    url: n.url,
    title: n.title,
    date: n.date,
    excerpt: n.excerpt,
    ...(n.categories ? { categories: n.categories.map((c: any) => ({ slug: c.slug, name: c.name })) } : {}),
    ...(n.tags ? { tags: n.tags.map((t: any) => t.name) } : {}),
    publisher: n.publisher?.name ?? null,
    stocks: n.stocks.map((s: any) => ({ symbol: s.symbol, name: s.name })),
  };
}

function pgPost(n: any): SamePost {
  return {
    id: n.id,
    url: n.url,
    title: n.title,
    date: formatInstant({ ms: Number(n.dateMs), offset: n.dateOffset }),
    excerpt: n.excerpt,
    ...(n.postCategoriesByPostId
      ? {
          categories: n.postCategoriesByPostId.nodes.map((x: any) => ({
            slug: x.categoryByCategoryId.slug,
            name: x.categoryByCategoryId.name,
          })),
        }
      : {}),
    ...(n.postTagsByPostId ? { tags: n.postTagsByPostId.nodes.map((x: any) => x.tagByTagId.name) } : {}),
    publisher: n.publisher?.name ?? null,
    stocks: n.postStocksByPostId.nodes.map((x: any) => ({
      symbol: x.stockByStockId.symbol,
      name: x.stockByStockId.name,
    })),
  };
}

export const frontOfNewsgraph = (d: any): SameFront => ({
  posts: d.posts.edges.map((e: any) => ngPost(e.node)),
  hasNextPage: d.posts.pageInfo.hasNextPage,
});
export const frontOfPostgraphile = (d: any): SameFront => ({
  posts: d.allPosts.nodes.map(pgPost),
  hasNextPage: d.allPosts.pageInfo.hasNextPage,
});

export function stockOfNewsgraph(d: any): SameStock {
  const s = d.stock;
  return {
    symbol: s.symbol,
    name: s.name,
    coverageCount: s.coverageCount,
    organization: s.organization?.name ?? null,
    totalCount: s.posts.totalCount,
    hasNextPage: s.posts.pageInfo.hasNextPage,
    posts: s.posts.edges.map((e: any) => ngPost(e.node)),
  };
}

export function stockOfPostgraphile(d: any): SameStock {
  const s = d.stockBySymbol;
  const c = s.postStocksByStockId;
  return {
    symbol: s.symbol,
    name: s.name,
    coverageCount: s.coverageCount,
    organization: s.organizationByOrganizationId?.name ?? null,
    totalCount: c.totalCount,
    hasNextPage: c.pageInfo.hasNextPage,
    posts: c.nodes.map((x: any) => pgPost(x.postByPostId)),
  };
}
