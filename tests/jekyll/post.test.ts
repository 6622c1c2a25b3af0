import {
  isPublished,
  parseFrontMatter,
  parseSiteConfig,
  postTitle,
  readCategoryPage,
  readJekyllPost,
  readSiteConfig,
} from '../../src/ingest/jekyll';

const SITE = { timezone: 'Asia/Shanghai', permalink: 'date', future: false };
const data = (yaml: string) => parseFrontMatter(`---\n${yaml}\n---\n`, 'x.md').data;

describe('title', () => {
  test('front matter title; missing -> titleized file slug; explicit empty stays empty', () => {
    expect(postTitle(data('title: Hello'), 'x')).toBe('Hello');
    expect(postTitle(data('x: 1'), 'notitle-here')).toBe('Notitle Here');
    expect(postTitle(data('title:'), 'a-b')).toBe('A B');
    expect(postTitle(data('title: ""'), 'a-b')).toBe('');
    expect(postTitle(data('title: 10:30'), 'a')).toBe('37800'); // Psych sexagesimal, as Jekyll shows it
  });

  test('titleize uses the FILE slug even when front matter has slug:', () => {
    const r = readJekyllPost({ path: '_posts/2022-01-24-file-slug.md', text: '---\nslug: other\n---\n', site: SITE });
    expect(r).toMatchObject({ kind: 'post', title: 'File Slug', slug: 'other', url: '/2022/01/24/other.html' });
  });
});

describe('published', () => {
  test.each([
    ['published: false', false],
    ['published: no', false],
    ['published: OFF', false],
    ['published: "false"', true],
    ['published: true', true],
    ['published: 0', true],
    ['published:', true],
    ['x: 1', true],
  ])('%s -> %s', (line, expected) => {
    expect(isPublished(data(line))).toBe(expected);
  });

  test('readJekyllPost: unpublished', () => {
    const r = readJekyllPost({ path: '_posts/2022-01-22-unpub.md', text: '---\npublished: no\n---\nx\n', site: SITE });
    expect(r).toEqual({ kind: 'unpublished', reason: 'published: false in front matter' });
  });
});

describe('readJekyllPost never throws', () => {
  test.each([
    ['', '_posts/2022-01-01-x.md'],
    ['\u0000\u0001binary', '_posts/2022-01-01-x.md'],
    ['---\n: : :\n---', '_posts/2022-01-01-x.md'],
    ['---\ndate: 9999-99-99\n---', '_posts/2022-01-01-x.md'],
    ['---\ntitle: x\n---', ''],
    ['---\ntitle: x\n---', '../../etc/2022-01-01-passwd.md'],
  ])('%j at %j', (text, path) => {
    const r = readJekyllPost({ path, text, site: SITE });
    expect(['post', 'skipped', 'failed', 'unpublished']).toContain(r.kind);
    if (r.kind !== 'post') expect(r.reason.length).toBeGreaterThan(0);
  });

  test('empty file -> skipped: no front matter', () => {
    expect(readJekyllPost({ path: '_posts/2022-01-01-x.md', text: '', site: SITE })).toEqual({
      kind: 'skipped',
      reason: 'no front matter (the file does not start with a "---" line)',
    });
  });

  test('not a post by name -> skipped with a reason', () => {
    const r = readJekyllPost({ path: 'about.md', text: '---\ntitle: x\n---\n', site: SITE });
    expect(r.kind).toBe('skipped');
    const d = readJekyllPost({ path: '_drafts/2022-01-01-x.md', text: '---\ntitle: x\n---\n', site: SITE });
    expect(d).toEqual({ kind: 'skipped', reason: "not read: inside the ignored folder '_drafts'" });
  });

  test('HTML post keeps its extension (identity converter)', () => {
    const r = readJekyllPost({ path: '_posts/2022-01-01-page.html', text: '---\n---\n<p>x</p>', site: SITE });
    expect(r).toMatchObject({ kind: 'post', url: '/2022/01/01/page.html', body: '<p>x</p>' });
  });
});

describe('readCategoryPage', () => {
  const read = (text: string) => readCategoryPage({ path: 'category/x.html', text });
  test('layout: category with category: and title:', () => {
    expect(read('---\nlayout: category\ntitle: 昆明日报新闻\ncategory: xiningwanbao\n---')).toEqual({
      path: 'category/x.html',
      category: 'xiningwanbao',
      title: '昆明日报新闻',
    });
  });
  test('title missing or empty -> null; category kept as written (not split)', () => {
    expect(read('---\nlayout: category\ncategory: one two\n---')).toEqual({
      path: 'category/x.html',
      category: 'one two',
      title: null,
    });
    expect(read('---\nlayout: category\ncategory: a\ntitle: ""\n---')).toMatchObject({ title: null });
    expect(read('---\nlayout: category\ncategory: 36ke\ntitle: 36Ke\n---')).toMatchObject({
      category: '36ke',
      title: '36Ke',
    });
  });
  test('anything else -> null', () => {
    expect(read('---\nlayout: post\ncategory: a\ntitle: t\n---')).toBeNull();
    expect(read('---\nlayout: category\ntitle: t\n---')).toBeNull();
    expect(read('---\nlayout: category\ncategory: [a]\n---')).toBeNull();
    expect(read('no front matter')).toBeNull();
    expect(read('---\nlayout: [\n---')).toBeNull();
    expect(read('---js\n{layout: "category", category: "a"}\n---')).toBeNull();
  });
});

describe('site config', () => {
  test('finews-like config', () => {
    expect(readSiteConfig('theme: x\ntimezone: Asia/Shanghai\nplugins:\n  - jekyll-feed\n')).toEqual({
      timezone: 'Asia/Shanghai',
      permalink: 'date',
      future: false,
    });
  });
  test('defaults', () => {
    expect(readSiteConfig(null)).toEqual({ timezone: null, permalink: 'date', future: false });
    expect(readSiteConfig('')).toEqual({ timezone: null, permalink: 'date', future: false });
    expect(readSiteConfig('- a list\n')).toEqual({ timezone: null, permalink: 'date', future: false });
  });
  test('permalink style or template; collections.posts.permalink wins', () => {
    expect(readSiteConfig('permalink: pretty')).toMatchObject({ permalink: 'pretty' });
    expect(readSiteConfig('permalink: /:year/:title/')).toMatchObject({ permalink: '/:year/:title/' });
    expect(readSiteConfig('permalink: pretty\ncollections:\n  posts:\n    permalink: /p/:title/')).toMatchObject({
      permalink: '/p/:title/',
    });
  });
  test('bad input never throws; warnings say why', () => {
    const bad = parseSiteConfig('timezone: Mars/Olympus\n');
    expect(bad.config.timezone).toBeNull();
    expect(bad.warnings[0]).toMatch(/unknown timezone 'Mars\/Olympus'/);
    const broken = parseSiteConfig('timezone: [\n');
    expect(broken.config).toEqual({ timezone: null, permalink: 'date', future: false });
    expect(broken.warnings[0]).toMatch(/not valid YAML/);
    expect(parseSiteConfig('defaults:\n  - values: {layout: post}\n').warnings[0]).toMatch(/'defaults:'/);
  });
  test('BOM is stripped', () => {
    expect(readSiteConfig('\uFEFFtimezone: America/New_York')).toMatchObject({ timezone: 'America/New_York' });
  });
});
