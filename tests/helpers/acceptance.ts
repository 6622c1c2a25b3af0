import { EXAMPLE_QUERIES } from '../../src/server/example-queries';

/**
 * The acceptance queries over the finews sample: GraphiQL's examples and every relation, filter and
 * page direction the contract names. Shared by the tests that must answer them alike on two paths
 * (SQLite and PostgreSQL; graphql-js and compiled execution).
 */
export interface AcceptanceQuery {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

/** A related post's node asks for the columns its card row lacks: they are read on demand. */
export const POST_FIELDS = `id url slug title date excerpt sourceUrl html text wordCount readingTime headings { level text anchor }
  categories { slug name title postCount } tags { name slug postCount } publisher { id name postCount }
  stocks { id symbol code name market exchange secid coverageCount organization { name } }
  stockMentions { count via embedCount linkCount textCount stock { symbol } }
  boards { id code name postCount } organizations { id name postCount stocks { symbol } }
  relatedCoverage(first: 5) { edges { cursor score sharedStocks { symbol name } node { id url title date excerpt sourceUrl path contentHash } } pageInfo { hasNextPage endCursor } }`;

export const PAGE = `totalCount edges { cursor node { id url title date } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

export const ACCEPTANCE: AcceptanceQuery[] = [
  // Not the examples with search or the feed: each database ranks and numbers those its own way (pg-parity compares them apart).
  ...EXAMPLE_QUERIES.filter((e) => !e.query.includes('search(') && !e.query.includes('changes(')).map((e) => ({
    name: e.title,
    query: e.query,
    variables: e.variables ? JSON.parse(e.variables) : undefined,
  })),
  {
    name: 'the China Unicom post, whole',
    query: `{ post(url: "/xiningwanbao/2022/06/16/NW202206162414061171.html") { ${POST_FIELDS} } }`,
  },
  { name: 'the NIO post, whole', query: `{ post(slug: "202205262391921712") { ${POST_FIELDS} } }` },
  { name: 'every post with its links', query: `{ posts(first: 100) { ${PAGE} edges { node { ${POST_FIELDS} } } } }` },
  {
    name: 'backward pages, oldest first',
    query: `{ a: posts(last: 7) { ${PAGE} } b: posts(first: 7, orderBy: DATE_ASC) { ${PAGE} } }`,
  },
  {
    name: 'filters',
    query: `{
      byStock: posts(first: 50, filter: { stocks: ["600050.SH", "NIO.US"] }) { ${PAGE} }
      byBoard: posts(first: 50, filter: { boards: ["BK0493"] }) { ${PAGE} }
      byCategory: posts(first: 50, filter: { categories: ["emnews"] }) { ${PAGE} }
      byTag: posts(first: 50, filter: { tags: ["东财滚动新闻"] }) { ${PAGE} }
      byPublisher: posts(first: 50, filter: { publisher: "上海证券报" }) { ${PAGE} }
      byDate: posts(first: 50, filter: { dateFrom: "2022-01-01T00:00:00Z", dateTo: "2022-06-30T23:59:59+08:00" }) { ${PAGE} }
      none: posts(first: 5, filter: { stocks: [] }) { ${PAGE} }
    }`,
  },
  {
    name: 'boolean filters',
    query: `{
      anyOf: posts(first: 50, filter: { or: [{ stocks: ["600050"] }, { tags: ["站长消息"] }] }) { ${PAGE} }
      allOf: posts(first: 50, filter: { stocksAll: ["600160", "300343"] }) { ${PAGE} }
      notOf: posts(first: 50, filter: { not: { or: [{ publisher: "上海证券报" }, { tags: ["东财滚动新闻"] }] } }) { ${PAGE} }
      title: posts(first: 50, filter: { titleContains: "a", and: [{ not: { titleContains: "联通" } }] }) { ${PAGE} }
      scoped: stock(symbol: "600050") { posts(first: 20, filter: { or: [{ dateTo: "2022-01-01T00:00:00Z" }, { tags: ["东财滚动新闻"] }] }) { ${PAGE} } }
    }`,
  },
  {
    // Ordered by date nothing is ranked (scores 0): both databases give the same answer.
    name: 'search by date',
    query: `{
      newest: search(query: "公司", first: 30, orderBy: DATE_DESC) { totalCount edges { cursor score node { id url date } } pageInfo { hasNextPage endCursor } }
      oldest: search(query: "600050", first: 10, orderBy: DATE_ASC, filter: { not: { tags: ["站长消息"] } }) { totalCount edges { score node { url date } } }
      prefixed: search(query: "A股", first: 10, orderBy: DATE_DESC) { totalCount edges { node { url } } }
    }`,
  },
  {
    name: 'facets',
    query: `{
      all: postFacets { total categories { count category { slug } } tags(first: 3) { count tag { name } } stocks(first: 20) { count stock { symbol } } boards { count board { code } } publishers { count publisher { name } } dates(interval: WEEK) { start count } }
      filtered: postFacets(filter: { or: [{ stocks: ["600050"] }, { tags: ["站长消息"] }] }) { total stocks(first: 100) { count stock { symbol } } dates { start count } }
      searched: postFacets(search: "联通", filter: { not: { categories: ["emnews"] } }) { total categories { count category { slug } } publishers { count publisher { name } } dates(interval: DAY) { start count } }
    }`,
  },
  {
    name: 'stocks in both orders, filtered',
    query: `{
      a: stocks(first: 100) { totalCount edges { cursor node { symbol name coverageCount } } }
      b: stocks(first: 100, orderBy: SYMBOL_ASC) { edges { cursor node { symbol } } }
      c: stocks(first: 100, filter: { markets: ["HK", "US"] }) { totalCount edges { node { symbol } } }
      d: stocks(first: 100, filter: { query: "联" }) { totalCount edges { node { symbol name } } }
    }`,
  },
  {
    name: 'stock lookups, timelines, co-mentions',
    query: `{
      a: stock(symbol: "600050") { symbol coverageTimeline(interval: DAY) { start count } coMentioned(first: 20) { count stock { symbol } } }
      b: stock(symbol: "sh600160") { symbol coverageTimeline(interval: WEEK) { start count } posts(last: 2) { ${PAGE} } }
      c: stock(symbol: "NIO") { symbol name exchange organization { name posts(first: 5) { ${PAGE} } } }
      d: stock(symbol: "00762.HK") { symbol coMentioned(first: 3) { count stock { symbol } } }
      e: stock(symbol: "601988") { symbol }
    }`,
  },
  {
    name: 'boards, organizations, taxonomy',
    query: `{
      board(code: "BK0493") { code name postCount posts(first: 10) { ${PAGE} } }
      organization(name: "上海证券报") { name postCount stocks { symbol } posts(first: 10) { ${PAGE} } }
      categories(first: 50) { totalCount edges { cursor node { slug name title postCount } } }
      tags(first: 50) { totalCount edges { cursor node { name slug postCount } } }
      tag(name: "东财滚动新闻") { name posts(first: 3) { ${PAGE} } }
    }`,
  },
  {
    name: 'the change feed',
    query: `{ changes(first: 100) { totalCount edges { node { kind id url post { id url title } } } pageInfo { hasNextPage hasPreviousPage } } }`,
  },
];
