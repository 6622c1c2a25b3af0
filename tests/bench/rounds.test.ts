// Alternated rounds of our front page and the in-memory ceiling (bench/rounds.ts): the medians the
// front page's targets read, each round's ratio taken within the round, and the bodies each round
// goes on through.
import type { LoadResult } from '../../bench/load';
import { median, roundBodies, roundLoad, summarizeRounds, type FrontRound } from '../../bench/rounds';
import { CeilingResult, QueryResult, targets } from '../../bench/table';
import { benchResult, loadResult } from '../helpers/bench-results';

const round = (ours: number, oursCpu: number | null, ceiling: number, ceilingCpu: number | null): FrontRound => ({
  ours: { reqPerSec: ours, p99Ms: 1000 / ours, serverCpuMsPerReq: oursCpu },
  ceiling: { reqPerSec: ceiling, p99Ms: 1000 / ceiling, serverCpuMsPerReq: ceilingCpu },
});

test('median: the middle one, the mean of the middle two, NaN for none; the input is left as it was', () => {
  const xs = [5, 1, 3];
  expect(median(xs)).toBe(3);
  expect(xs).toEqual([5, 1, 3]);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([7])).toBe(7);
  expect(median([])).toBeNaN();
});

test('each round takes its ratio on its own: the median of ratios, not the ratio of medians', () => {
  // The host slowed both servers in round 2: within the round the ratio is the same as in round 1.
  const s = summarizeRounds([round(500, 2, 1000, 1), round(300, 3.3, 600, 1.65), round(400, 2.5, 1200, 0.8)]);
  expect(s.rounds).toBe(3);
  expect(s.ratios).toEqual([0.5, 0.5, 400 / 1200]);
  expect(s.ratio).toBe(0.5);
  expect(s.cpuRatio).toBeCloseTo(0.5);
  expect(s.ours.reqPerSec).toBe(400);
  expect(s.ceiling.reqPerSec).toBe(1000);
  expect(s.ours.serverCpuMsPerReq).toBe(2.5);
  // The ratio of the medians would say 0.4.
  expect(s.ours.reqPerSec / s.ceiling.reqPerSec).toBe(0.4);
});

test('a round without CPU figures leaves the CPU medians out', () => {
  const s = summarizeRounds([round(500, 2, 1000, 1), round(500, null, 1000, 1)]);
  expect(s.cpuRatio).toBeNull();
  expect(s.ours.serverCpuMsPerReq).toBeNull();
  expect(s.ceiling.serverCpuMsPerReq).toBe(1);
  expect(() => summarizeRounds([])).toThrow('no rounds');
});

test('round k of n starts k/n of the way along the list and still holds every body once', () => {
  const list = Array.from({ length: 10 }, (_, i) => i);
  expect(roundBodies(list, 0, 3)).toEqual(list);
  expect(roundBodies(list, 1, 3)).toEqual([3, 4, 5, 6, 7, 8, 9, 0, 1, 2]);
  expect(roundBodies(list, 2, 3)).toEqual([6, 7, 8, 9, 0, 1, 2, 3, 4, 5]);
  expect([...roundBodies(list, 2, 3)].sort((a, b) => a - b)).toEqual(list);
});

const load = (reqPerSec: number, p99Ms: number): LoadResult =>
  loadResult(reqPerSec, p99Ms / 2, p99Ms, { serialP50: 1, serverCpuMsPerReq: 1000 / reqPerSec });

test("the pages' targets read the rounds' medians where there were several, the ceiling's the rounds' ratios", () => {
  const rounds = [round(460, 2.17, 1560, 0.64), round(560, 1.79, 1000, 1), round(520, 1.92, 1100, 0.91)];
  const front: QueryResult = {
    name: 'front',
    label: 'front page',
    detail: '',
    statements: 4,
    load: load(600, 50),
    uncached: load(460, 70),
    uncachedRounds: rounds.map((x) => x.ours),
  };
  const post: QueryResult = {
    name: 'post',
    label: 'post page',
    detail: '',
    statements: 6,
    load: load(900, 40),
    uncached: load(700, 40),
    uncachedRounds: [700, 1000, 900].map((n) => roundLoad(load(n, 40))),
  };
  const ceiling: CeilingResult = {
    identical: true,
    checked: 8,
    preload: { pages: 1, posts: 1, ms: 1 },
    load: load(1560, 26),
    ratio: 460 / 1560,
    cachedRatio: 600 / 1560,
    cpuRatio: 0.3,
    rounds,
    summary: summarizeRounds(rounds),
  };
  const r = benchResult([front, post], { ceiling });
  const t = targets(r);
  const page = t.find((x) => x.what.startsWith('front page ('))!;
  // The single first row (460) misses 500; the median of the three rounds (520) meets it.
  expect(page.met).toBe(true);
  expect(page.actual).toContain('median of 3 rounds 520 req/s');
  expect(page.actual).toContain('rounds: 460, 560, 520');
  const ratio = t.find((x) => x.what.includes('in-memory'))!;
  // Round ratios 0.29, 0.56, 0.47: the median meets 0.45 where the first round alone did not.
  expect(ratio.met).toBe(true);
  expect(ratio.actual).toContain('median of 3 rounds 0.47');
  // The post page's first round (700) misses 800; its median (900) meets it.
  expect(t.find((x) => x.what.startsWith('post page ('))!).toMatchObject({ met: true });
  expect(t.find((x) => x.what.startsWith('post page ('))!.actual).toContain('median of 3 rounds 900 req/s');
  // One round only: the first rows decide, as before.
  const single = targets({
    ...r,
    queries: [front, post].map((q) => ({ ...q, uncachedRounds: undefined })),
    ceiling: { ...ceiling, rounds: rounds.slice(0, 1), summary: undefined },
  });
  expect(single.find((x) => x.what.startsWith('post page ('))!.met).toBe(false);
  expect(single.find((x) => x.what.startsWith('front page ('))!.met).toBe(false);
  expect(single.find((x) => x.what.includes('in-memory'))!.met).toBe(false);
  expect(roundLoad(load(100, 9))).toEqual({ reqPerSec: 100, p99Ms: 9, serverCpuMsPerReq: 10 });
});
