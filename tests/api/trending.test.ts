import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rankTrends } from '../../src/graphql/resolvers/trending-resolver';
import { sampleApi } from '../helpers/api';

// trendingStocks on an archive with known answers: 600519 covered once a day for four weeks, then
// five times on the last day (a burst); 000858 three times every day (busy, not trending); 600036
// once, on the last day only (new).

let root: string;
let api: Awaited<ReturnType<typeof sampleApi>>;

const day = (d: number) => new Date(Date.UTC(2024, 2, d)).toISOString().slice(0, 10); // March 2024
function post(file: string, date: string, secid: string, name: string) {
  const [market, code] = secid.split('.');
  fs.writeFileSync(
    path.join(root, '_posts', file),
    `---\ntitle: ${name} ${file}\ndate: ${date} 08:00:00 +0000\ntags: [t]\n---\n<p>今日 <span class="em_stock_key_common" data-code="${market},${code}">${name}</span> 消息</p>\n`,
  );
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trending-'));
  fs.mkdirSync(path.join(root, '_posts'));
  for (let d = 1; d <= 28; d++) {
    post(`${day(d)}-maotai-${d}.md`, day(d), '1.600519', '贵州茅台');
    for (let i = 0; i < 3; i++) post(`${day(d)}-wly-${d}-${i}.md`, day(d), '0.000858', '五粮液');
  }
  for (let i = 0; i < 5; i++) post(`${day(29)}-maotai-burst-${i}.md`, day(29), '1.600519', '贵州茅台');
  for (let i = 0; i < 3; i++) post(`${day(29)}-wly-29-${i}.md`, day(29), '0.000858', '五粮液');
  post(`${day(29)}-cmb.md`, day(29), '1.600036', '招商银行');
  api = await sampleApi(root);
});
afterAll(async () => {
  await api.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const Q = `query($w: TrendWindow, $at: DateTime, $n: Int) { trendingStocks(window: $w, at: $at, first: $n) {
  stock { symbol } count baseline score posts(first: 2) { title date } } }`;

test('DAY: the burst first, the new stock next, the busy one last', async () => {
  const d = await api.ok(Q, { w: 'DAY', at: '2024-03-29T12:00:00Z' });
  expect(d.trendingStocks.map((t: any) => [t.stock.symbol, t.count, t.baseline, t.score])).toEqual([
    ['600519.SH', 5, 1, 2.828],
    ['600036.SH', 1, 0, 1],
    ['000858.SZ', 3, 3, 0],
  ]);
  const burst = d.trendingStocks[0].posts;
  expect(burst).toHaveLength(2);
  for (const p of burst) expect(p.date).toBe('2024-03-29T08:00:00Z');
});

test('WEEK: the last seven days against the eight weeks before', async () => {
  const d = await api.ok(Q, { w: 'WEEK', at: '2024-03-29T12:00:00Z' });
  // 600519: 6 daily posts + 5 = 11 against 22 / 8; 000858: 21 against 66 / 8; 600036: 1 against 0.
  expect(d.trendingStocks.map((t: any) => [t.stock.symbol, t.count, t.baseline, t.score])).toEqual([
    ['600519.SH', 11, 2.75, 4.26],
    ['000858.SZ', 21, 8.25, 4.192],
    ['600036.SH', 1, 0, 1],
  ]);
});

test('without `at`, the window ends just after the newest post; first bounds the list', async () => {
  const d = await api.ok(Q, { n: 1 });
  expect(d.trendingStocks.map((t: any) => t.stock.symbol)).toEqual(['600519.SH']);
  // A window with nothing in it lists nothing.
  expect((await api.ok(Q, { at: '2024-06-01T00:00:00Z' })).trendingStocks).toEqual([]);
});

test('bad arguments are errors naming them', async () => {
  for (const [vars, message] of [
    [{ n: 0 }, '`first` must be between 1 and 100, got 0'],
    [{ at: 'yesterday' }, 'yesterday'],
  ] as const) {
    const r = await api.run(Q, vars);
    expect(r.errors?.[0].message).toContain(message);
  }
  const r = await api.run(`{ trendingStocks { posts(first: 21) { title } } }`);
  expect(r.errors?.[0].message).toBe('`first` must be between 1 and 20, got 21');
});

test('rankTrends: ties go to more posts, then the lower stock id', () => {
  expect(
    rankTrends(
      [
        { stockId: 3, count: 2, before: 0 },
        { stockId: 1, count: 2, before: 0 },
        { stockId: 2, count: 5, before: 28 * 3 },
      ],
      28,
    ).map((r) => r.stockId),
  ).toEqual([1, 3, 2]);
});

test('on the real sample: its last day has trending stocks, each with its posts', async () => {
  const sample = await sampleApi();
  try {
    const d = await sample.ok(`{ trendingStocks(window: WEEK) { stock { symbol } count score posts { url } } }`);
    expect(d.trendingStocks.length).toBeGreaterThan(0);
    for (const t of d.trendingStocks) {
      expect(t.posts.length).toBe(Math.min(5, t.count));
      expect(t.score).toBeGreaterThan(0);
    }
  } finally {
    await sample.close();
  }
});
