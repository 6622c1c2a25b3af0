import fs from 'node:fs';
import path from 'node:path';
import { importArchives } from '../../src/db/importer';
import { copyTree, SEED, tempDatabase, TempDatabase, tempDir } from '../helpers/db';

let t: TempDatabase;
const q = (sql: string, ...args: unknown[]) => t.query(sql, ...args);
const one = async (sql: string, ...args: unknown[]) => (await t.query(sql, ...args))[0];

function postStocks(url: string) {
  return q(
    `SELECT s.symbol, s.name, s.exchange, s.market, ps.count, ps.embed_count AS embed, ps.link_count AS link, ps.text_count AS text
                FROM post p JOIN post_stock ps ON ps.post_id = p.id JOIN stock s ON s.id = ps.stock_id WHERE p.url = ? ORDER BY s.symbol`,
    url,
  );
}

describe('importing the finews sample', () => {
  let archive: string;
  let first: Awaited<ReturnType<typeof importArchives>>;

  beforeAll(async () => {
    t = await tempDatabase();
    archive = copyTree(SEED, path.join(tempDir(), 'finews'));
    first = await importArchives(t.writeStore, [archive]);
  });
  afterAll(() => t.close());

  test('imports all 104 dated posts and reports the misnamed file as skipped', async () => {
    expect((await one('SELECT count(*) AS n FROM post')).n).toBe(104);
    expect(first.new).toBe(104);
    expect(first.failed).toEqual([]);
    expect(first.skipped).toEqual([{ path: '_posts/-202205262391921712.md', reason: expect.stringMatching(/date/) }]);
  });

  test('the China Unicom post: url, date with offset, stocks, publisher', async () => {
    const p = await one(`SELECT p.*, o.name AS publisher FROM post p LEFT JOIN organization o ON o.id = p.publisher_id
                         WHERE p.path = 'old_post/2022-06-16-NW202206162414061171.md'`);
    expect(p.url).toBe('/xiningwanbao/2022/06/16/NW202206162414061171.html');
    expect(new Date(p.date_ms).toISOString()).toBe('2022-06-15T16:02:13.000Z');
    expect(p.date_offset).toBe(480);
    expect(p.publisher).toBe('西宁晚报');
    expect(p.source_url).toBe('http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202206162414061171');
    expect(p.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await postStocks(p.url)).map((s) => s.symbol)).toEqual(['00762.HK', '600050.SH']);
    const cat = await one(`SELECT c.slug, c.title, c.post_count FROM category c WHERE c.slug = 'xiningwanbao'`);
    expect(cat).toEqual({ slug: 'xiningwanbao', title: '昆明日报新闻', post_count: 1 });
  });

  test('the NIO post: stocks with names and exchanges, boards apart, publisher from the markup-split source line', async () => {
    const url = '/emnews/2022/05/26/202205262391921712.html';
    const stocks = await postStocks(url);
    expect(stocks.map((s) => [s.symbol, s.name])).toEqual([
      ['300343.SZ', '联创股份'],
      ['600160.SH', '巨化股份'],
      ['600636.SH', '国新文化'],
      ['NIO.US', '蔚来'],
    ]);
    expect(stocks.find((s) => s.symbol === 'NIO.US')).toMatchObject({ exchange: 'NYSE', market: 'US', embed: 1 });
    expect(stocks.every((s) => s.count === s.embed + s.link + s.text && s.count > 0)).toBe(true);
    const boards = await q(
      `SELECT b.code, b.name FROM post p JOIN post_board pb ON pb.post_id = p.id JOIN board b ON b.id = pb.board_id
                            WHERE p.url = ? ORDER BY b.code`,
      url,
    );
    expect(boards).toEqual([
      { code: 'BK0493', name: '新能源' },
      { code: 'BK0839', name: '知识产权' },
    ]);
    const post = await one(
      `SELECT o.name AS publisher, p.path FROM post p JOIN organization o ON o.id = p.publisher_id WHERE p.url = ?`,
      url,
    );
    expect(post).toEqual({ publisher: '上海证券报', path: '_posts/2022-05-26-202205262391921712.md' });
    // Issuers link to the stocks they issue.
    expect(
      (
        await one(
          `SELECT o.name FROM stock s JOIN organization o ON o.id = s.organization_id WHERE s.symbol = '600160.SH'`,
        )
      ).name,
    ).toBe('巨化股份');
  });

  test('a date without offset is UTC, and the _posts file wins over its old_post twin', async () => {
    const p = await one(`SELECT * FROM post WHERE url = '/emnews/2021/12/08/202112082206672930.html'`);
    expect(new Date(p.date_ms).toISOString()).toBe('2021-12-08T10:46:18.000Z');
    expect(p.date_offset).toBe(0);
    expect(p.path).toBe('_posts/2021-12-08-202112082206672930.md');
    expect(first.duplicates).toEqual([
      {
        path: 'old_post/2021-12-08-202112082206672930.md',
        reason: expect.stringContaining('_posts/2021-12-08-202112082206672930.md'),
      },
    ]);
  });

  test('counts match the link tables', async () => {
    expect((await one(`SELECT post_count FROM tag WHERE name = '东财滚动新闻'`)).post_count).toBe(
      (await one(`SELECT count(*) AS n FROM post_tag pt JOIN tag t ON t.id = pt.tag_id WHERE t.name = '东财滚动新闻'`))
        .n,
    );
    const bad = await q(
      `SELECT symbol FROM stock s WHERE coverage_count <> (SELECT count(*) FROM post_stock WHERE stock_id = s.id)`,
    );
    expect(bad).toEqual([]);
  });

  test('re-importing the unchanged archive writes nothing', async () => {
    const before = await t.writeStamp();
    const again = await importArchives(t.writeStore, [archive]);
    expect(await t.writeStamp()).toBe(before);
    expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 104 });
    expect(again.skipped).toHaveLength(1);
    expect(again.duplicates).toHaveLength(1);
  });

  test('changing one title re-parses that file only', async () => {
    const file = path.join(archive, 'old_post/2021-12-08-202112082206703990.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('title: "FF：', 'title: "改 FF：'));
    const again = await importArchives(t.writeStore, [archive]);
    expect(again).toMatchObject({ new: 0, updated: 1, unchanged: 103 });
    expect(
      (await one(`SELECT title FROM post WHERE path = 'old_post/2021-12-08-202112082206703990.md'`)).title,
    ).toMatch(/^改 FF：/);
  });

  test('the old_post twin takes over when the _posts file is deleted and pruned', async () => {
    fs.unlinkSync(path.join(archive, '_posts/2021-12-08-202112082206672930.md'));
    const again = await importArchives(t.writeStore, [archive], { prune: true });
    expect(again.pruned).toBe(1);
    const p = await one(`SELECT path, date_ms FROM post WHERE url = '/emnews/2021/12/08/202112082206672930.html'`);
    expect(p.path).toBe('old_post/2021-12-08-202112082206672930.md');
    expect(new Date(p.date_ms).toISOString()).toBe('2021-12-08T02:46:18.000Z');
    expect(again.duplicates).toEqual([]);
    expect((await one('SELECT count(*) AS n FROM post')).n).toBe(104);
  });
});
