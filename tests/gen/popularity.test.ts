import * as fs from 'fs';
import * as path from 'path';
import { generateArchive } from '../../bench/gen/main';
import { buildUniverse } from '../../bench/gen/universe';
import { cleanup, linkedSecids, listFiles, tempDir } from './util';

describe('universe', () => {
  const u = buildUniverse(1);

  test('about 5,000 stocks across SH, SZ, BJ, HK and US with unique secids', () => {
    expect(u.stocks.length).toBeGreaterThanOrEqual(4500);
    expect(u.stocks.length).toBeLessThanOrEqual(5500);
    const secids = new Set(u.stocks.map((s) => `${s.market}.${s.code}`));
    expect(secids.size).toBe(u.stocks.length);
    const by = (pred: (s: (typeof u.stocks)[number]) => boolean) => u.stocks.filter(pred).length;
    expect(by((s) => s.market === 1 && /^6\d{5}$/.test(s.code))).toBeGreaterThan(1000);
    expect(by((s) => s.market === 0 && /^(000|001|002|003|300|301)\d{3}$/.test(s.code))).toBeGreaterThan(1500);
    expect(by((s) => s.exchange === 'BJ' && s.market === 0 && /^(8|4|92)\d+$/.test(s.code))).toBeGreaterThan(100);
    expect(by((s) => s.market === 116 && /^\d{5}$/.test(s.code))).toBeGreaterThan(400);
    for (const m of [105, 106, 107]) expect(by((s) => s.market === m && /^[A-Z]+$/.test(s.code))).toBeGreaterThan(5);
    for (const s of u.stocks) expect(s.name).toMatch(/^[\u4e00-\u9fffA-Z*-]+$/u);
  });

  test('about 300 boards and 500 publishers, all distinct', () => {
    expect(u.boards.length).toBe(300);
    expect(new Set(u.boards.map((b) => b.code)).size).toBe(300);
    for (const b of u.boards) expect(b.code).toMatch(/^BK0\d{3}$/);
    expect(u.publishers.length).toBe(500);
    expect(new Set(u.publishers).size).toBe(500);
    expect(u.categories.length).toBeGreaterThanOrEqual(35);
  });

  test('the universe is fixed by the seed', () => {
    expect(buildUniverse(1).stocks).toEqual(u.stocks);
    expect(buildUniverse(2).stocks.slice(40, 60)).not.toEqual(u.stocks.slice(40, 60));
  });
});

describe('stock popularity is Zipf-like', () => {
  let dir: string;
  const postsPerStock = new Map<string, number>();
  const POSTS = 1500;

  beforeAll(async () => {
    dir = tempDir('zipf');
    await generateArchive({ posts: POSTS, out: dir, seed: 77 });
    for (const rel of listFiles(dir).filter((f) => f.startsWith('_posts/'))) {
      const body = fs.readFileSync(path.join(dir, rel), 'utf8');
      for (const id of linkedSecids(body)) {
        if (!id.startsWith('90.')) postsPerStock.set(id, (postsPerStock.get(id) ?? 0) + 1);
      }
    }
  });
  afterAll(() => cleanup(dir));

  test('the top stock appears in far more posts than the median one', () => {
    const u = buildUniverse(77);
    const counts = u.stocks.map((s) => postsPerStock.get(`${s.market}.${s.code}`) ?? 0);
    const top = Math.max(...counts);
    const sorted = [...counts].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    expect(top).toBeGreaterThanOrEqual(POSTS * 0.05);
    expect(top).toBeGreaterThan(20 * Math.max(1, median));
    // The most popular stock is the universe's rank 1.
    expect(counts[0]).toBe(top);
    // Head vs tail: ranks 1-10 together far outnumber ranks 2001-2010.
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect(sum(counts.slice(0, 10))).toBeGreaterThan(20 * Math.max(1, sum(counts.slice(2000, 2010))));
    // A long tail is still touched: many distinct stocks appear.
    expect(postsPerStock.size).toBeGreaterThan(300);
  });
});
