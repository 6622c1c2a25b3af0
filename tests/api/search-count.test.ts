import { sampleApi } from '../helpers/api';
import { BACKEND } from '../helpers/db';

let api: Awaited<ReturnType<typeof sampleApi>>;
beforeAll(async () => {
  api = await sampleApi();
});
afterAll(() => api.close());

/** Every page of a search, 3 at a time: the distinct posts it returns, and the totalCount it reports. */
async function walk(query: string, filter?: unknown): Promise<{ total: number; seen: string[] }> {
  const seen: string[] = [];
  let after: string | null = null;
  let total = -1;
  for (let page = 0; page < 100; page++) {
    const d: any = await api.ok(
      `query($q: String!, $after: String, $filter: PostFilter) {
      search(query: $q, first: 3, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
      { q: query, after, filter },
    );
    total = d.search.totalCount;
    seen.push(...d.search.edges.map((e: any) => e.node.id));
    if (!d.search.pageInfo.hasNextPage) break;
    after = d.search.pageInfo.endCursor;
  }
  return { total, seen };
}

test('a post that both links a stock and names its code in the text is counted once', async () => {
  // Common in news ("中国联通(600050)"), though not in the sample: give the linked posts' index rows
  // the code as a word, so the text match and the stock link find the same posts.
  const linked = await api.query<{ id: number }>(
    `SELECT x.post_id AS id FROM post_stock x JOIN stock s ON s.id = x.stock_id WHERE s.symbol = '600050.SH'`,
  );
  expect(linked.length).toBeGreaterThan(0);
  for (const { id } of linked) {
    if (BACKEND === 'postgres') {
      await api.exec(`UPDATE post_search SET tsv = CAST('600050:1' AS tsvector) WHERE post_id = ?`, id);
    } else {
      await api.exec('DELETE FROM post_fts WHERE rowid = ?', id);
      await api.exec('INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)', id, '', '600050');
    }
  }
  const { total, seen } = await walk('600050');
  expect(seen.length).toBe(linked.length);
  expect(total).toBe(linked.length);
});

test.each([
  ['text only', '联通', undefined],
  ['a symbol, which matches linked posts and the text', '600050', undefined],
  ['a longer phrase', '中国联通', undefined],
  ['a US ticker', 'NIO', undefined],
  ['a board-linked word', '新能源', undefined],
  ['with a filter', '公司', { categories: ['emnews'] }],
])('totalCount equals the distinct posts over all pages: %s', async (_what, query, filter) => {
  const { total, seen } = await walk(query, filter);
  expect(new Set(seen).size).toBe(seen.length);
  expect(total).toBe(seen.length);
  expect(total).toBeGreaterThan(0);
});
