import * as fs from 'fs';
import * as path from 'path';
import { generateArchive } from '../../bench/gen/main';
import { cleanup, field, linkedSecids, listFiles, splitFrontMatter, tempDir } from './util';

const POSTS = 400;

describe('generated archive looks like finews', () => {
  let dir: string;
  let postFiles: string[];
  const posts: { rel: string; lines: string[]; body: string }[] = [];

  beforeAll(async () => {
    dir = tempDir('shape');
    await generateArchive({ posts: POSTS, out: dir, seed: 2024 });
    postFiles = listFiles(dir).filter((f) => f.startsWith('_posts/'));
    for (const rel of postFiles) {
      const { lines, body } = splitFrontMatter(fs.readFileSync(path.join(dir, rel), 'utf8'));
      posts.push({ rel, lines, body });
    }
  });
  afterAll(() => cleanup(dir));

  test('_config.yml sets the Shanghai time zone', () => {
    const config = fs.readFileSync(path.join(dir, '_config.yml'), 'utf8');
    expect(config).toMatch(/^timezone: Asia\/Shanghai$/m);
  });

  test('a few category pages with layout, category and title', () => {
    const pages = listFiles(dir).filter((f) => f.startsWith('category/'));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages).toContain('category/xiningwanbao.html');
    for (const rel of pages) {
      const { lines } = splitFrontMatter(fs.readFileSync(path.join(dir, rel), 'utf8'));
      expect(field(lines, 'layout')).toBe('category');
      expect(field(lines, 'category')).toBe(path.basename(rel, '.html'));
      expect(field(lines, 'title')).toBeTruthy();
    }
  });

  test('posts live in _posts/<year>/<month>/YYYY-MM-DD-<id>.md with unique ids', () => {
    expect(postFiles).toHaveLength(POSTS);
    const ids = new Set<string>();
    for (const rel of postFiles) {
      const m = /^_posts\/(\d{4})\/(\d{2})\/(\d{4})-(\d{2})-(\d{2})-((?:NW)?\d{18})\.md$/.exec(rel);
      expect(m).not.toBeNull();
      const [, y, mo, fy, fmo, fd, id] = m as RegExpExecArray;
      expect([fy, fmo]).toEqual([y, mo]);
      expect(id.replace(/^NW/, '').slice(0, 8)).toBe(`${fy}${fmo}${fd}`);
      ids.add(id);
    }
    expect(ids.size).toBe(POSTS);
  });

  test('front matter: layout, quoted title, date, one category, tags', () => {
    const dateForms = { offset: 0, unquoted: 0, quoted: 0 };
    const categories = new Set<string>();
    for (const { rel, lines } of posts) {
      expect(lines[0]).toBe('layout: post');
      expect(field(lines, 'title')).toMatch(/^"[^"\\]+"$/);
      const date = field(lines, 'date') as string;
      const m = /^("?)(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}:\d{2}( \+0800)?\1$/.exec(date);
      expect(m).not.toBeNull();
      const [, quote, ymd, offset] = m as RegExpExecArray;
      if (offset) dateForms.offset++;
      else if (quote) dateForms.quoted++;
      else dateForms.unquoted++;
      expect(path.basename(rel).slice(0, 10)).toBe(ymd);
      expect(ymd >= '2021-06-01' && ymd <= '2024-05-31').toBe(true);
      const cat = field(lines, 'categories') as string;
      expect(cat).toMatch(/^[A-Za-z0-9]+$/);
      categories.add(cat);
      const tags = field(lines, 'tags') as string;
      expect(tags).toMatch(/^\S+新闻$/);
      if (cat === 'emnews') expect(tags).toBe('东财滚动新闻');
    }
    expect(dateForms.offset).toBeGreaterThan(POSTS * 0.75);
    expect(dateForms.unquoted).toBeGreaterThan(0);
    expect(categories.size).toBeGreaterThanOrEqual(15);
    expect(categories.has('emnews')).toBe(true);
  });

  test('dates cover about three years', () => {
    const days = posts.map((p) => path.basename(p.rel).slice(0, 10)).sort();
    expect(days[0] < '2021-07-01').toBe(true);
    expect(days[days.length - 1] > '2024-05-01').toBe(true);
  });

  test('default permalinks are unique', () => {
    const urls = new Set(
      posts.map(({ rel, lines }) => {
        const name = path.basename(rel, '.md');
        const [y, m, d] = name.slice(0, 10).split('-');
        return `/${(field(lines, 'categories') as string).toLowerCase()}/${y}/${m}/${d}/${name.slice(11)}.html`;
      }),
    );
    expect(urls.size).toBe(POSTS);
  });

  test('body sizes range from about 200 B to about 20 KB', () => {
    const sizes = posts.map((p) => Buffer.byteLength(p.body, 'utf8'));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(120);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(26000);
    expect(sizes.filter((s) => s < 1000).length).toBeGreaterThan(POSTS * 0.15);
    expect(sizes.filter((s) => s > 10000).length).toBeGreaterThan(POSTS * 0.05);
  });

  test('bodies use the Eastmoney markup of the real posts', () => {
    const all = posts.map((p) => p.body).join('\n');
    for (const needle of [
      '<!-- EM_StockImg_Start -->',
      'class="EmImageRemark"',
      'class="keytip" data-code="1,',
      'class="em_stock_key_common" data-code="0,',
      'data-code="116,',
      'data-code="90,BK0',
      '<span id="bk_90.BK0',
      '<p class="em_media">（文章来源：',
      '股份有限公司',
      '<http://finance.eastmoney.com/news/',
      '[返回首页](//finews.withounder.com/)',
    ]) {
      expect(all).toContain(needle);
    }
    expect(all).toMatch(/^> .+（[^）]+）$/m);
    expect(all).toMatch(/[\u4e00-\u9fff](?:\(\d{6}\)|（\d{6}(?:\.(?:SH|SZ|BJ))?）)/);
    expect(all).toMatch(/data-code="10[567],[A-Z]+"/);
  });

  test('each body links at most 6 stocks and a few boards, and ends with its source link when present', () => {
    for (const { body } of posts) {
      const ids = [...linkedSecids(body)];
      expect(ids.filter((s) => !s.startsWith('90.')).length).toBeLessThanOrEqual(6);
      expect(ids.filter((s) => s.startsWith('90.')).length).toBeLessThanOrEqual(3);
      const source = /^<(http[^>]+)>$/m.exec(body);
      if (source)
        expect(source[1]).toMatch(
          /^http:\/\/(finance\.eastmoney\.com\/news\/\d+,\d{18}\.html|finews\.zning\.xyz\/html_News\/NewsShare\.html\?infoCode=NW\d{18})$/,
        );
    }
  });
});
