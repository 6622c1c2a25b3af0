// Search counts hits exactly up to a bound and says when the count is only a lower bound, so a
// query that matches most of the archive does not count every hit on every request.
import { EXACT_COUNT_LIMIT, searchCount, withNamedStocks } from '../../src/db/queries/search';
import { searchSpecOf } from '../../src/graphql/resolvers/search-connection';
import { queryTerms } from '../../src/ingest/search';
import { sampleApi } from '../helpers/api';

let api: Awaited<ReturnType<typeof sampleApi>>;
beforeAll(async () => {
  api = await sampleApi();
});
afterAll(() => api.close());

test('the API says the count is exact, and equals the hits over all pages', async () => {
  const r = await api.run(
    '{ search(query: "中国", first: 100) { totalCount totalCountExact edges { node { url } } } }',
  );
  expect(r.errors).toBeUndefined();
  const s = r.data!.search as { totalCount: number; totalCountExact: boolean; edges: unknown[] };
  expect(s.totalCountExact).toBe(true);
  expect(s.totalCount).toBe(s.edges.length);
  expect(s.totalCount).toBeGreaterThan(5);
  expect(EXACT_COUNT_LIMIT).toBe(10000);
});

test('past the bound the count is the bound and not exact; at it, exact', async () => {
  const spec = { terms: queryTerms('中国'), symbols: [], names: [] };
  const { count } = await searchCount(api.store.runner(), spec);
  expect(await searchCount(api.store.runner(), spec, count)).toEqual({ count, exact: true });
  expect(await searchCount(api.store.runner(), spec, count - 1)).toEqual({ count: count - 1, exact: false });
  expect(await searchCount(api.store.runner(), spec, 1)).toEqual({ count: 1, exact: false });
  // With a filter too (the count then joins the posts).
  const filtered = { ...spec, filter: { categories: ['emnews'] } };
  const all = await searchCount(api.store.runner(), filtered);
  expect(all.exact).toBe(true);
  expect(all.count).toBeGreaterThan(1);
  expect(await searchCount(api.store.runner(), filtered, all.count - 1)).toEqual({
    count: all.count - 1,
    exact: false,
  });
});

test('totalCount and totalCountExact together run one count statement', async () => {
  const one = await api.run('{ search(query: "中国", first: 1) { totalCount } }');
  const both = await api.run('{ search(query: "中国", first: 1) { totalCount totalCountExact } }');
  expect(both.statements).toBe(one.statements);
});

test('a named stock linked to more posts than the bound decides the count without reading a hit', async () => {
  const [top] = await api.query<{ name: string; posts: number | string }>(
    'SELECT name, coverage_count AS posts FROM stock WHERE name IS NOT NULL ORDER BY coverage_count DESC, id LIMIT 1',
  );
  const posts = Number(top.posts);
  expect(posts).toBeGreaterThan(1);
  const run = api.store.runner();
  const spec = await withNamedStocks(run, searchSpecOf(top.name, undefined));
  expect(spec.stocks.length).toBeGreaterThan(0);
  // What counting says: every linked post is a hit, so past a bound below them it stops.
  const counted = await searchCount(run, spec);
  expect(counted.count).toBeGreaterThanOrEqual(posts);
  const before = run.statements;
  expect(await searchCount(run, spec, posts - 1)).toEqual({ count: posts - 1, exact: false });
  expect(run.statements).toBe(before);
  // A filter may leave fewer: then the hits are counted.
  const filtered = { ...spec, filter: { categories: ['no-such-category'] } };
  expect(await searchCount(run, filtered, posts - 1)).toEqual({ count: 0, exact: true });
  expect(run.statements).toBe(before + 1);
});
