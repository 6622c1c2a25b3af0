import { sampleApi } from '../helpers/api';

// postFacets on the real finews sample: every count is checked against the posts the same filter
// lists with the counted thing added to it, counted by the statement and by the facet columns.

describe.each([
  ['counted by the statement', false],
  ['counted by the facet columns', true],
] as const)('%s', (_name, facetColumns) => {
  let api: Awaited<ReturnType<typeof sampleApi>>;
  beforeAll(async () => {
    api = await sampleApi(undefined, { facetColumns });
  });
  afterAll(() => api.close());

  const FACETS = `query($f: PostFilter, $s: String, $n: Int = 100, $i: Interval = MONTH) { postFacets(filter: $f, search: $s) {
  total
  categories(first: $n) { count category { slug postCount } }
  tags(first: $n) { count tag { name postCount } }
  stocks(first: $n) { count stock { symbol coverageCount } }
  boards(first: $n) { count board { code postCount } }
  publishers(first: $n) { count publisher { id name } }
  dates(interval: $i) { start count }
} }`;

  async function facets(vars: Record<string, unknown>): Promise<any> {
    return (await api.ok(FACETS, vars)).postFacets;
  }

  const postTotal = async (f: unknown) =>
    (await api.ok(`query($f: PostFilter) { posts(filter: $f) { totalCount } }`, { f })).posts.totalCount as number;
  const searchTotal = async (q: string, f: unknown) =>
    (await api.ok(`query($q: String!, $f: PostFilter) { search(query: $q, filter: $f) { totalCount } }`, { q, f }))
      .search.totalCount as number;

  /** Each entry's count is the posts of the set that also have its value; entries sorted most first. */
  async function checkEntries(fx: any, count: (extra: unknown) => Promise<number>) {
    const checks: [string, (e: any) => unknown][] = [
      ['categories', (e) => ({ categories: [e.category.slug] })],
      ['tags', (e) => ({ tags: [e.tag.name] })],
      ['stocks', (e) => ({ stocks: [e.stock.symbol] })],
      ['boards', (e) => ({ boards: [e.board.code] })],
      ['publishers', (e) => ({ organizations: [e.publisher.id], publisher: e.publisher.name })],
    ];
    for (const [field, extra] of checks) {
      const entries = fx[field];
      for (let i = 1; i < entries.length; i++) expect(entries[i - 1].count).toBeGreaterThanOrEqual(entries[i].count);
      for (const e of entries.slice(0, 6)) expect(e.count).toBe(await count(extra(e)));
    }
    expect(fx.dates.reduce((n: number, b: any) => n + b.count, 0)).toBe(fx.total);
  }

  test('with no filter: every post, and the counts the entities carry', async () => {
    const fx = await facets({});
    expect(fx.total).toBe(await postTotal(undefined));
    expect(fx.total).toBeGreaterThan(100);
    for (const e of fx.categories) expect(e.count).toBe(e.category.postCount);
    for (const e of fx.tags) expect(e.count).toBe(e.tag.postCount);
    for (const e of fx.stocks) expect(e.count).toBe(e.stock.coverageCount);
    for (const e of fx.boards) expect(e.count).toBe(e.board.postCount);
    expect(fx.stocks.length).toBeGreaterThan(10);
    expect(fx.publishers.length).toBeGreaterThan(1);
    await checkEntries(fx, (extra) => postTotal(extra));
  });

  test('over a filter: each count is the filter plus that value', async () => {
    const filter = { or: [{ tags: ['东财滚动新闻'] }, { stocks: ['600050'] }] };
    const fx = await facets({ f: filter });
    expect(fx.total).toBe(await postTotal(filter));
    expect(fx.total).toBeGreaterThan(10);
    await checkEntries(fx, (extra) => postTotal({ and: [filter, extra] }));
  });

  test('over a search, narrowed by a filter', async () => {
    const filter = { not: { stocks: ['600050'] } };
    const fx = await facets({ s: '公司', f: filter });
    expect(fx.total).toBe(await searchTotal('公司', filter));
    expect(fx.total).toBeGreaterThan(5);
    await checkEntries(fx, (extra) => searchTotal('公司', { and: [filter, extra] }));
    // A stock symbol finds its linked posts, as search does.
    const byStock = await facets({ s: '600050' });
    expect(byStock.total).toBe(await searchTotal('600050', undefined));
    expect(byStock.stocks[0].stock.symbol).toBe('600050.SH');
  });

  test('the histogram: buckets from the first post to the last, empty ones included', async () => {
    for (const interval of ['DAY', 'WEEK', 'MONTH']) {
      const fx = await facets({ i: interval });
      const starts = fx.dates.map((b: any) => Date.parse(b.start));
      for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThan(starts[i - 1]);
      expect(fx.dates[0].count).toBeGreaterThan(0);
      expect(fx.dates.at(-1).count).toBeGreaterThan(0);
      expect(fx.dates.reduce((n: number, b: any) => n + b.count, 0)).toBe(fx.total);
    }
    const month = await facets({
      i: 'MONTH',
      f: { dateFrom: '2022-06-01T00:00:00Z', dateTo: '2022-06-30T23:59:59.999Z' },
    });
    expect(month.dates).toEqual([{ start: '2022-06-01T00:00:00Z', count: month.total }]);
  });

  test('an empty set, the first bound, a bad search', async () => {
    const none = await facets({ f: { stocks: [] } });
    expect(none).toEqual({ total: 0, categories: [], tags: [], stocks: [], boards: [], publishers: [], dates: [] });
    const two = await facets({ n: 2 });
    expect(two.stocks).toHaveLength(2);
    for (const [vars, message] of [
      [{ n: 0 }, '`first` must be between 1 and 100, got 0'],
      [{ n: 101 }, '`first` must be between 1 and 100, got 101'],
      [{ s: '   ' }, 'postFacets: `search` is empty'],
      [{ f: { stocks: ['not a symbol!'] } }, 'filter.stocks:'],
    ] as const) {
      const r = await api.run(FACETS, vars);
      expect(r.errors?.[0].message).toContain(message);
    }
    // A search with nothing to find (punctuation only) finds nothing.
    expect((await facets({ s: '，。' })).total).toBe(0);
  });

  test('one statement for every facet of a request', async () => {
    const sets = api.facets?.stats().sets;
    const r = await api.run(FACETS, { f: { tags: ['东财滚动新闻'] } });
    expect(r.errors).toBeUndefined();
    // The counts, then the entities of each kind through their loaders; the columns read the set's
    // ids and the change feed instead of the counting statement.
    expect(r.statements).toBeLessThanOrEqual(facetColumns ? 7 : 6);
    if (facetColumns) expect(api.facets!.stats().sets).toBe(sets! + 1);
  });
});
