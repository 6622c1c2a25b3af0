// The real archive (seeds/finews, read-only): what Jekyll 4 makes of its files.
import * as fs from 'fs';
import * as path from 'path';
import { classifyPath, readCategoryPage, readJekyllPost, readSiteConfig } from '../../src/ingest/jekyll';
import type { SiteConfig } from '../../src/ingest/types';

const ROOT = path.join(__dirname, '..', '..', 'seeds', 'finews');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

let site: SiteConfig;
beforeAll(() => {
  site = readSiteConfig(read('_config.yml'));
});

function post(rel: string) {
  const r = readJekyllPost({ path: rel, text: read(rel), site });
  if (r.kind !== 'post') throw new Error(`${rel}: expected a post, got ${r.kind}: ${r.reason}`);
  return r;
}

describe('seeds/finews', () => {
  test('site config: Asia/Shanghai, default permalink style', () => {
    expect(site).toEqual({ timezone: 'Asia/Shanghai', permalink: 'date', future: false });
  });

  test('_posts/2021-12-08-202112082206672930.md: unquoted zoneless date is UTC', () => {
    const p = post('_posts/2021-12-08-202112082206672930.md');
    expect(new Date(p.dateMs).toISOString()).toBe('2021-12-08T10:46:18.000Z');
    expect(p.dateOffset).toBe(0);
    expect(p.url).toBe('/emnews/2021/12/08/202112082206672930.html');
    expect(p.slug).toBe('202112082206672930');
    expect(p.title).toBe('离岸人民币兑美元升至2018年以来最高水平');
    expect(p.categories).toEqual(['emnews']);
    expect(p.tags).toEqual(['东财滚动新闻']);
    // Jekyll's closing `---\s*$\n?` also swallows the blank line after the front matter.
    expect(p.body.startsWith('离岸人民币兑美元升至6.3512')).toBe(true);
    expect(p.frontMatter).toEqual({
      layout: 'post',
      title: '离岸人民币兑美元升至2018年以来最高水平',
      date: '2021-12-08 10:46:18',
      categories: 'emnews',
      tags: '东财滚动新闻',
    });
  });

  test('old_post/ twin with +0800: same URL, instant 02:46:18Z, offset +480', () => {
    const p = post('old_post/2021-12-08-202112082206672930.md');
    expect(new Date(p.dateMs).toISOString()).toBe('2021-12-08T02:46:18.000Z');
    expect(p.dateOffset).toBe(480);
    expect(p.url).toBe('/emnews/2021/12/08/202112082206672930.html');
    expect(classifyPath('old_post/2021-12-08-202112082206672930.md')).toMatchObject({
      kind: 'post',
      inPosts: false,
      dirCategories: [],
    });
  });

  test('old_post/2022-06-16-NW202206162414061171.md', () => {
    const p = post('old_post/2022-06-16-NW202206162414061171.md');
    expect(p.url).toBe('/xiningwanbao/2022/06/16/NW202206162414061171.html');
    expect(new Date(p.dateMs).toISOString()).toBe('2022-06-15T16:02:13.000Z');
    expect(p.dateOffset).toBe(480);
    expect(p.categories).toEqual(['xiningwanbao']);
    expect(p.tags).toEqual(['西宁晚报新闻']);
  });

  test('_posts/-202205262391921712.md is skipped: no date in its name', () => {
    const r = readJekyllPost({
      path: '_posts/-202205262391921712.md',
      text: read('_posts/-202205262391921712.md'),
      site,
    });
    expect(r.kind).toBe('skipped');
    expect(r.kind === 'skipped' && r.reason).toMatch(/does not start with a date \(YYYY-MM-DD-title\.ext\)/);
  });

  test('_posts/2021-12-01-init.md', () => {
    const p = post('_posts/2021-12-01-init.md');
    expect(p.url).toBe('/sitenews/2021/12/01/init.html');
    expect(new Date(p.dateMs).toISOString()).toBe('2021-12-01T13:33:50.000Z');
    expect(p.dateOffset).toBe(0);
    expect(p.title).toBe('开站大吉');
    expect(p.categories).toEqual(['sitenews']);
    expect(p.tags).toEqual(['站长消息']);
  });

  test('category pages: titles kept exactly as the files say', () => {
    expect(readCategoryPage({ path: 'category/xiningwanbao.html', text: read('category/xiningwanbao.html') })).toEqual({
      path: 'category/xiningwanbao.html',
      category: 'xiningwanbao',
      title: '昆明日报新闻',
    });
    expect(readCategoryPage({ path: 'category/Wind.html', text: read('category/Wind.html') })).toEqual({
      path: 'category/Wind.html',
      category: 'Wind',
      title: '证监会网站新闻',
    });
    expect(readCategoryPage({ path: '_posts/2021-12-01-init.md', text: read('_posts/2021-12-01-init.md') })).toBeNull();
    expect(readCategoryPage({ path: '_layouts/post.html', text: read('_layouts/post.html') })).toBeNull();
  });

  test('every dated file in the archive reads as a post; only the malformed copy is skipped', () => {
    const files = ['_posts', 'old_post'].flatMap((d) => fs.readdirSync(path.join(ROOT, d)).map((f) => `${d}/${f}`));
    const kinds: Record<string, number> = {};
    const urls = new Map<string, string[]>();
    for (const rel of files) {
      const r = readJekyllPost({ path: rel, text: read(rel), site });
      kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
      if (r.kind === 'post') {
        expect(r.url).toMatch(/^\/[a-z0-9]+\/\d{4}\/\d{2}\/\d{2}\/[A-Za-z0-9]+\.html$/);
        urls.set(r.url, [...(urls.get(r.url) ?? []), rel]);
      }
    }
    expect(kinds).toEqual({ post: 105, skipped: 1 });
    // The _posts/old_post twin shares one permalink (the import pipeline reports the duplicate).
    const dup = [...urls.values()].filter((v) => v.length > 1);
    expect(dup).toEqual([['_posts/2021-12-08-202112082206672930.md', 'old_post/2021-12-08-202112082206672930.md']]);
  });

  test('non-post files of the archive', () => {
    expect(classifyPath('_config.yml')).toEqual({ kind: 'other' });
    expect(classifyPath('category/xiningwanbao.html')).toEqual({ kind: 'other' });
    expect(classifyPath('_layouts/post.html')).toEqual({ kind: 'other' });
    expect(classifyPath('SOURCE.md')).toEqual({ kind: 'other' });
  });
});
