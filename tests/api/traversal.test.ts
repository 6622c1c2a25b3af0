import { sampleApi } from '../helpers/api';

let api: Awaited<ReturnType<typeof sampleApi>>;
beforeAll(async () => {
  api = await sampleApi();
});
afterAll(() => api.close());

const UNICOM = '/xiningwanbao/2022/06/16/NW202206162414061171.html';
const NIO_POST = '/emnews/2022/05/26/202205262391921712.html';

test('a post by url: date as written, stocks, publisher, category title', async () => {
  const d = await api.ok(`{ post(url: "${UNICOM}") {
    title date url path sourceUrl excerpt
    publisher { name }
    categories { slug title postCount }
    tags { name }
    stocks { symbol market exchange secid }
    stockMentions { count via stock { symbol } }
  } }`);
  expect(d.post).toMatchObject({
    date: '2022-06-16T00:02:13+08:00',
    url: UNICOM,
    path: 'old_post/2022-06-16-NW202206162414061171.md',
    publisher: { name: '西宁晚报' },
    categories: [{ slug: 'xiningwanbao', title: '昆明日报新闻', postCount: 1 }],
    tags: [{ name: '西宁晚报新闻' }],
  });
  expect(d.post.stocks.map((s: any) => s.symbol).sort()).toEqual(['00762.HK', '600050.SH']);
  expect(d.post.stocks.find((s: any) => s.symbol === '00762.HK')).toEqual({
    symbol: '00762.HK',
    market: 'HK',
    exchange: 'HKEX',
    secid: '116.00762',
  });
  expect(d.post.stockMentions.every((m: any) => m.via.includes('EMBED'))).toBe(true);
});

test('an unquoted date without offset prints as UTC', async () => {
  const d = await api.ok(`{ post(url: "/emnews/2021/12/08/202112082206672930.html") { date path } }`);
  expect(d.post).toEqual({ date: '2021-12-08T10:46:18Z', path: '_posts/2021-12-08-202112082206672930.md' });
});

test('post -> stocks -> posts -> relatedCoverage traversal', async () => {
  const d = await api.ok(`{ post(url: "${NIO_POST}") {
    stocks { symbol name posts(first: 5) { totalCount edges { node { url relatedCoverage(first: 3) { edges { score node { url } sharedStocks { symbol } } } } } } }
    boards { code name }
    relatedCoverage(first: 5) { edges { score node { url } } pageInfo { hasNextPage } }
  } }`);
  const nio = d.post.stocks.find((s: any) => s.symbol === 'NIO.US');
  expect(nio.name).toBe('蔚来');
  expect(nio.posts.totalCount).toBe(1);
  expect(nio.posts.edges[0].node.url).toBe(NIO_POST);
  expect(d.post.boards.map((b: any) => b.code).sort()).toEqual(['BK0493', 'BK0839']);
  const related = d.post.relatedCoverage.edges;
  expect(related.length).toBeGreaterThan(0);
  expect(related.map((e: any) => e.node.url)).not.toContain(NIO_POST);
  const scores = related.map((e: any) => e.score);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
});

test('related coverage ranks a shared stock above shared tags', async () => {
  // Two posts that share a rare stock must outrank posts that only share the common tag.
  const d = await api.ok(
    `{ posts(first: 100) { edges { node { url stocks { symbol } relatedCoverage(first: 1) { edges { score sharedStocks { symbol } node { url stocks { symbol } } } } } } } }`,
  );
  for (const { node } of d.posts.edges) {
    const top = node.relatedCoverage.edges[0];
    if (!top) continue;
    const mine = new Set(node.stocks.map((s: any) => s.symbol));
    const anyShares = d.posts.edges.some(
      (e: any) => e.node.url !== node.url && e.node.stocks.some((s: any) => mine.has(s.symbol)),
    );
    if (anyShares) expect(top.sharedStocks.length).toBeGreaterThan(0);
  }
});

test('connections page forward and backward with cursors', async () => {
  const all = await api.ok(`{ posts(first: 100) { totalCount edges { cursor node { url date } } } }`);
  expect(all.posts.totalCount).toBe(104);
  const urls = all.posts.edges.map((e: any) => e.node.url);
  const p1 = await api.ok(
    `{ posts(first: 10) { edges { cursor node { url } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
  );
  expect(p1.posts.edges.map((e: any) => e.node.url)).toEqual(urls.slice(0, 10));
  expect(p1.posts.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  const p2 = await api.ok(
    `query($c: String) { posts(first: 10, after: $c) { edges { node { url } } pageInfo { hasPreviousPage } } }`,
    { c: p1.posts.pageInfo.endCursor },
  );
  expect(p2.posts.edges.map((e: any) => e.node.url)).toEqual(urls.slice(10, 20));
  expect(p2.posts.pageInfo.hasPreviousPage).toBe(true);
  const back = await api.ok(
    `query($c: String) { posts(last: 5, before: $c) { edges { node { url } } pageInfo { hasPreviousPage hasNextPage } } }`,
    { c: all.posts.edges[10].cursor },
  );
  expect(back.posts.edges.map((e: any) => e.node.url)).toEqual(urls.slice(5, 10));
  expect(back.posts.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  const asc = await api.ok(`{ posts(first: 3, orderBy: DATE_ASC) { edges { node { url } } } }`);
  const oldest = await api.ok(`{ posts(last: 3) { edges { node { url } } pageInfo { hasNextPage hasPreviousPage } } }`);
  expect(asc.posts.edges.map((e: any) => e.node.url)).toEqual(oldest.posts.edges.map((e: any) => e.node.url).reverse());
  expect(oldest.posts.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
});

test('filters: category, tag, stock in any form, board, publisher, date range', async () => {
  const count = async (filter: string) =>
    (await api.ok(`{ posts(filter: ${filter}) { totalCount } }`)).posts.totalCount;
  expect(await count('{ categories: ["XiningWanbao"] }')).toBe(1);
  expect(await count('{ tags: ["站长消息"] }')).toBe(1);
  expect(await count('{ stocks: ["sh600050"] }')).toBe(1);
  expect(await count('{ stocks: ["1.600160", "NIO"] }')).toBe(1);
  expect(await count('{ boards: ["90.BK0493"] }')).toBe(1);
  expect(await count('{ publisher: "上海证券报" }')).toBe(1);
  expect(await count('{ dateFrom: "2022-01-01", dateTo: "2022-12-31T23:59:59Z" }')).toBe(2);
  expect(await count('{ categories: ["emnews"], dateFrom: "2022-01-01" }')).toBe(1);
  expect(await count('{ tags: ["no such tag"] }')).toBe(0);
});

test('stock(symbol:) accepts every listed form', async () => {
  for (const form of ['600050', '600050.SH', 'SH600050', 'sh600050', '1.600050']) {
    const d = await api.ok(`query($s: String!) { stock(symbol: $s) { symbol } }`, { s: form });
    expect(d.stock).toEqual({ symbol: '600050.SH' });
  }
  for (const [form, symbol] of [
    ['00762.HK', '00762.HK'],
    ['NIO', 'NIO.US'],
    ['106.NIO', 'NIO.US'],
    ['nio.us', 'NIO.US'],
  ]) {
    const d = await api.ok(`query($s: String!) { stock(symbol: $s) { symbol } }`, { s: form });
    expect(d.stock).toEqual({ symbol });
  }
  expect((await api.ok(`{ stock(symbol: "601988") { symbol } }`)).stock).toBeNull();
});

test('an ambiguous bare code is an error listing the candidates', async () => {
  await api.exec(`INSERT INTO stock (symbol, code, market, market_id, exchange, secid, name) VALUES
    ('000001.SZ', '000001', 'SZ', 0, 'SZSE', '0.000001', '平安银行'), ('000001.SH', '000001', 'SH', 1, 'SSE', '1.000001', '上证指数')`);
  const r = await api.run(`{ stock(symbol: "000001") { symbol } }`);
  expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(r.errors?.[0].message).toMatch(/000001\.SH.*000001\.SZ|000001\.SZ.*000001\.SH/);
  expect((await api.ok(`{ stock(symbol: "000001.SZ") { name } }`)).stock).toEqual({ name: '平安银行' });
  await api.exec(`DELETE FROM stock WHERE code = '000001'`);
});

test('stock page: posts, coMentioned, coverage timeline with empty buckets, organization', async () => {
  const d = await api.ok(`{ stock(symbol: "600160.SH") {
    name coverageCount organization { name stocks { symbol } }
    coMentioned(first: 10) { count stock { symbol } }
    coverageTimeline(interval: MONTH, from: "2022-03-01", to: "2022-06-30") { start count }
    posts(first: 20, filter: { dateFrom: "2022-05-01", dateTo: "2022-05-31" }) { totalCount }
  } }`);
  const s = d.stock;
  expect(s.name).toBe('巨化股份');
  expect(s.organization).toEqual({ name: '巨化股份', stocks: [{ symbol: '600160.SH' }] });
  expect(s.coMentioned.map((c: any) => c.stock.symbol).sort()).toEqual(['300343.SZ', '600636.SH', 'NIO.US']);
  expect(s.coverageTimeline).toEqual([
    { start: '2022-03-01T00:00:00Z', count: 0 },
    { start: '2022-04-01T00:00:00Z', count: 0 },
    { start: '2022-05-01T00:00:00Z', count: 1 },
    { start: '2022-06-01T00:00:00Z', count: 0 },
  ]);
  expect(s.posts.totalCount).toBe(1);
});

test('boards, organizations, categories and tags with counts', async () => {
  const d = await api.ok(`{
    board(code: "BK0493") { name posts { totalCount } }
    organization(name: "西宁晚报") { name postCount posts { totalCount } }
    category(slug: "emnews") { postCount posts(first: 1) { totalCount } }
    categories(first: 100) { totalCount edges { node { slug title postCount } } }
    tag(name: "东财滚动新闻") { postCount }
    tags { totalCount }
  }`);
  expect(d.board).toEqual({ name: '新能源', posts: { totalCount: 1 } });
  expect(d.organization).toEqual({ name: '西宁晚报', postCount: 1, posts: { totalCount: 1 } });
  expect(d.category.postCount).toBe(d.category.posts.totalCount);
  const titles = Object.fromEntries(d.categories.edges.map((e: any) => [e.node.slug, e.node.title]));
  expect(titles).toMatchObject({ xiningwanbao: '昆明日报新闻', wind: '证监会网站新闻', '36ke': '36Ke' });
  expect(d.tag.postCount).toBeGreaterThan(90);
});

test('node(id:) round-trips every type', async () => {
  const d = await api.ok(
    `{ post(url: "${NIO_POST}") { id stocks { id } boards { id } publisher { id } categories { id } tags { id } } }`,
  );
  const ids = [
    d.post.id,
    d.post.stocks[0].id,
    d.post.boards[0].id,
    d.post.publisher.id,
    d.post.categories[0].id,
    d.post.tags[0].id,
  ];
  for (const id of ids) {
    const n = await api.ok(`query($id: ID!) { node(id: $id) { id __typename } }`, { id });
    expect(n.node.id).toBe(id);
  }
  expect((await api.ok(`{ node(id: "bm9wZTox") { id } }`)).node).toBeNull();
});

test('search finds Chinese two-character words and stock symbols, with highlighted snippets', async () => {
  const d = await api.ok(`{ search(query: "联通") { totalCount edges { score snippet node { url } } } }`);
  expect(d.search.edges.map((e: any) => e.node.url)).toContain(UNICOM);
  expect(d.search.edges[0].snippet).toContain('<mark>联通</mark>');
  const s = await api.ok(`{ search(query: "600050") { edges { node { url } } } }`);
  expect(s.search.edges.map((e: any) => e.node.url)).toContain(UNICOM);
  const none = await api.ok(`{ search(query: "不存在的词语组合") { totalCount edges { node { url } } } }`);
  expect(none.search).toEqual({ totalCount: 0, edges: [] });
});

test('missing things are null', async () => {
  const d = await api.ok(`{ post(slug: "nope") { id } stock(symbol: "999999.SH") { id } board(code: "BK9999") { id }
    organization(name: "nobody") { id } category(slug: "nope") { id } tag(name: "nope") { id } }`);
  expect(d).toEqual({ post: null, stock: null, board: null, organization: null, category: null, tag: null });
});
