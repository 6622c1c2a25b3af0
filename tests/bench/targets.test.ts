// The bench's verdicts: #12's page targets judged with the response cache off, each page's growth
// ratio, and the statement check that lets a post page's related posts past the stored lists
// compute live (as #12 allows) but still holds them to one count.
import type { LoadResult } from '../../bench/load';
import { BenchResult, GrowthPoint, growthRatios, QueryResult, targets } from '../../bench/table';
import { benchResult, loadResult } from '../helpers/bench-results';

const load = (reqPerSec: number, p50Ms: number, p99Ms: number, serialP50 = 2): LoadResult =>
  loadResult(reqPerSec, p50Ms, p99Ms, { serialP50 });
const sizes = (pairs: [number, number][]) => pairs.map(([pageSize, statements]) => ({ pageSize, statements }));
const query = (
  name: string,
  label: string,
  shipped: LoadResult,
  off: LoadResult,
  extra: Partial<QueryResult> = {},
) => ({
  name,
  label,
  detail: '',
  statements: 7,
  load: shipped,
  uncached: off,
  ...extra,
});
const point = (posts: number, front: number, post: number): GrowthPoint => ({
  posts,
  dbBytes: posts * 1000,
  dbBytesPerPost: 1000,
  load: load(100, front, front * 2),
  pages: [
    { name: 'front', label: 'front page', load: load(100, front, front * 2) },
    { name: 'post', label: 'post page', load: load(100, post, post * 2) },
  ],
});
const result = (queries: QueryResult[], growth: GrowthPoint[] = []): BenchResult => benchResult(queries, { growth });
const verdict = (r: BenchResult, what: RegExp) => targets(r).find((t) => what.test(t.what))?.met;

test('page targets are #12 figures with the response cache off, whatever the server as shipped did', () => {
  const r = result([
    query('front', 'front page', load(900, 10, 20), load(499, 30, 60)),
    query('stock', 'stock page', load(100, 10, 200), load(600, 20, 79)),
    query('search', 'search', load(100, 10, 200), load(300, 20, 101)),
    query('post', 'post page', load(100, 10, 500), load(800, 20, 500)),
  ]);
  expect(verdict(r, /^front page \(/)).toBe(false);
  expect(verdict(r, /^stock page \(/)).toBe(true);
  expect(verdict(r, /^search \(/)).toBe(false);
  expect(verdict(r, /^post page \(/)).toBe(true);
});

test('statement counts: equal sizes pass, a live continuation must be constant among its own sizes', () => {
  const same = sizes([
    [5, 11],
    [20, 11],
    [21, 11],
  ]);
  const ok = result([
    query('post', 'post page', load(1, 1, 1), load(1, 1, 1), {
      statementsByPageSize: same,
      statementsLive: sizes([
        [25, 15],
        [50, 15],
        [100, 15],
      ]),
    }),
  ]);
  expect(verdict(ok, /statements/)).toBe(true);
  const growingLive = result([
    query('post', 'post page', load(1, 1, 1), load(1, 1, 1), {
      statementsByPageSize: same,
      statementsLive: sizes([
        [25, 15],
        [100, 16],
      ]),
    }),
  ]);
  expect(verdict(growingLive, /statements/)).toBe(false);
  const growing = result([
    query('front', 'front page', load(1, 1, 1), load(1, 1, 1), {
      statementsByPageSize: sizes([
        [5, 7],
        [50, 9],
      ]),
    }),
  ]);
  expect(verdict(growing, /statements/)).toBe(false);
});

test('growth: each page gets its p50 ratio, judged only when the run spans 10k to 1M', () => {
  const g = [point(10_000, 10, 4), point(100_000, 12, 5), point(1_000_000, 14, 7)];
  expect(growthRatios(g).map((x) => [x.page, x.ratio])).toEqual([
    ['front page', 1.4],
    ['post page', 1.75],
  ]);
  const r = result([], g);
  expect(verdict(r, /^front page p50 1M \/ 10k/)).toBe(true);
  expect(verdict(r, /^post page p50 1M \/ 10k/)).toBe(false);
  expect(verdict(result([], g.slice(0, 2)), /^front page p50 100k \/ 10k/)).toBeNull();
  // Results from before every page was measured carry the front page only.
  const old = g.map(({ pages: _pages, ...rest }) => rest);
  expect(growthRatios(old).map((x) => x.page)).toEqual(['front page']);
});
