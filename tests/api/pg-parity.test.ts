import path from 'node:path';
import { graphql } from 'graphql';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { importArchives } from '../../src/db/importer';
import { Store, storeOf } from '../../src/db/store';
import { createContext } from '../../src/graphql/context';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { EXAMPLE_QUERIES } from '../../src/server/example-queries';
import { SEED, tempDir, withPostgres } from '../helpers/db';
import { tempPostgres } from '../helpers/pg';

// The sample imported into SQLite and into PostgreSQL: the acceptance queries must answer alike,
// byte for byte, whichever database serves them (search scores aside: bm25 and ts_rank differ).

const POST_FIELDS = `id url slug title date excerpt sourceUrl html text
  categories { slug name title postCount } tags { name slug postCount } publisher { id name postCount }
  stocks { id symbol code name market exchange secid coverageCount organization { name } }
  stockMentions { count via embedCount linkCount textCount stock { symbol } }
  boards { id code name postCount } organizations { id name postCount stocks { symbol } }
  relatedCoverage(first: 5) { edges { cursor score sharedStocks { symbol name } node { id url title date } } pageInfo { hasNextPage endCursor } }`;

const PAGE = `totalCount edges { cursor node { id url title date } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

const ACCEPTANCE: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  ...EXAMPLE_QUERIES.filter((e) => !e.query.includes('search(')).map((e) => ({
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
];

/** Search: the same hits and counts (order and scores come from each database's ranker). */
const SEARCHES = ['联通', '600050', '中国联通', 'NIO', '新能源', '茅', '储能 回暖'];
const SEARCH = `query($q: String!) { search(query: $q, first: 100) { totalCount edges { snippet node { url } } } }`;

interface Side {
  ds: DataSource;
  store: Store;
  close: () => Promise<void>;
}

const schema = buildNewsgraphSchema();
let sqlite: Side;
let pg: Side;

async function run(side: Side, query: string, variables?: Record<string, unknown>) {
  const res = await graphql({
    schema,
    source: query,
    variableValues: variables,
    contextValue: createContext(side.store.runner()),
  });
  return JSON.parse(JSON.stringify(res));
}

withPostgres('the sample on SQLite and on PostgreSQL', () => {
  beforeAll(async () => {
    const ds = await openDatabase(path.join(tempDir('newsgraph-parity-'), 'parity.db'));
    sqlite = { ds, store: storeOf(ds), close: () => ds.destroy() };
    const p = await tempPostgres();
    pg = { ds: p.ds, store: storeOf(p.ds), close: p.close };
    const [a, b] = await Promise.all([importArchives(sqlite.store, [SEED]), importArchives(pg.store, [SEED])]);
    const { elapsedMs: _a, ...sa } = a;
    const { elapsedMs: _b, ...sb } = b;
    expect(sb).toEqual(sa);
  }, 120_000);

  afterAll(async () => {
    await sqlite?.close();
    await pg?.close();
  });

  test.each(ACCEPTANCE.map((a) => [a.name, a] as const))('%s: identical JSON', async (_name, a) => {
    const [left, right] = await Promise.all([run(sqlite, a.query, a.variables), run(pg, a.query, a.variables)]);
    expect(left.errors).toBeUndefined();
    expect(JSON.stringify(right)).toBe(JSON.stringify(left));
  });

  test.each(SEARCHES)('search %p: the same posts, snippets and totalCount', async (q) => {
    const [left, right] = await Promise.all([run(sqlite, SEARCH, { q }), run(pg, SEARCH, { q })]);
    expect(left.errors).toBeUndefined();
    const hits = (r: any) => r.data.search.edges.map((e: any) => `${e.node.url} ${e.snippet}`).sort();
    expect(right.data.search.totalCount).toBe(left.data.search.totalCount);
    expect(hits(right)).toEqual(hits(left));
  });

  test('the acceptance queries see real data, not two empty answers', async () => {
    const r = await run(
      pg,
      `{ posts(first: 1) { totalCount } search(query: "联通") { totalCount } stock(symbol: "600050") { coverageCount } }`,
    );
    expect(r.data).toEqual({
      posts: { totalCount: 104 },
      search: { totalCount: expect.any(Number) },
      stock: { coverageCount: expect.any(Number) },
    });
    expect(r.data.search.totalCount).toBeGreaterThan(0);
    expect(r.data.stock.coverageCount).toBeGreaterThan(0);
  });
});
