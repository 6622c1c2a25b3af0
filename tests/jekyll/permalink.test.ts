import {
  buildPermalink,
  expandTemplate,
  urlPlaceholders,
  escapePath,
  PermalinkError,
  permalinkTemplate,
  readJekyllPost,
  sanitizeUrl,
  slugify,
  type PermalinkInput,
} from '../../src/ingest/jekyll';

const SH = 'Asia/Shanghai';

function input(over: Partial<PermalinkInput> = {}): PermalinkInput {
  return {
    relPath: '_posts/2022-01-09-h.md',
    slug: 'h',
    categories: [],
    dateMs: Date.parse('2022-01-08T16:00:00Z'), // 2022-01-09 00:00 in Shanghai
    timezone: SH,
    ext: '.md',
    sitePermalink: 'date',
    ...over,
  };
}

describe('examples from the contract', () => {
  test('/xiningwanbao/2022/06/16/NW202206162414061171.html', () => {
    expect(
      buildPermalink(
        input({
          relPath: 'old_post/2022-06-16-NW202206162414061171.md',
          slug: 'NW202206162414061171',
          categories: ['xiningwanbao'],
          dateMs: Date.parse('2022-06-15T16:02:13Z'), // 2022-06-16 00:02:13 +0800
        }),
      ),
    ).toBe('/xiningwanbao/2022/06/16/NW202206162414061171.html');
  });

  test('singular category with a space: /one%20two/2022/01/09/h.html', () => {
    const r = readJekyllPost({
      path: '_posts/2022-01-09-h.md',
      text: '---\ncategory: one two\n---\nx\n',
      site: { timezone: SH, permalink: 'date', future: false },
    });
    expect(r).toMatchObject({ kind: 'post', url: '/one%20two/2022/01/09/h.html', categories: ['one two'] });
  });

  test('Chinese category', () => {
    expect(buildPermalink(input({ categories: ['财经'] }))).toBe('/%E8%B4%A2%E7%BB%8F/2022/01/09/h.html');
  });

  test('date parts come from the date in the SITE zone, not the written offset', () => {
    // 2021-12-08 20:00:00 UTC is 2021-12-09 04:00 in Shanghai.
    expect(buildPermalink(input({ slug: 'late', dateMs: Date.parse('2021-12-08T20:00:00Z') }))).toBe(
      '/2021/12/09/late.html',
    );
    expect(buildPermalink(input({ slug: 'late', dateMs: Date.parse('2021-12-08T20:00:00Z'), timezone: null }))).toBe(
      '/2021/12/08/late.html',
    );
  });
});

describe('site permalink styles (outputs compared with jekyll build)', () => {
  const base = input({
    categories: ['Emnews', 'emnews', '财经'],
    slug: 'a b',
    dateMs: Date.parse('2021-12-08T10:46:18Z'),
  });
  test.each([
    ['date', '/emnews/%E8%B4%A2%E7%BB%8F/2021/12/08/a-b.html'],
    [undefined, '/emnews/%E8%B4%A2%E7%BB%8F/2021/12/08/a-b.html'],
    ['pretty', '/emnews/%E8%B4%A2%E7%BB%8F/2021/12/08/a-b/'],
    ['ordinal', '/emnews/%E8%B4%A2%E7%BB%8F/2021/342/a-b.html'],
    ['weekdate', '/emnews/%E8%B4%A2%E7%BB%8F/2021/W49/Wed/a-b.html'],
    ['none', '/emnews/%E8%B4%A2%E7%BB%8F/a-b.html'],
    ['/:year/:title', '/2021/a-b'],
    ['/blog/:categories/:title.html', '/blog/emnews/%E8%B4%A2%E7%BB%8F/a-b.html'],
    [
      '/:year/:i_month/:i_day/:short_month-:long_month/:short_year/:w_year-:week-:w_day-:long_day/:hour:minute:second/:y_day/:title_:output_ext',
      '/2021/12/8/Dec-December/21/2021-49-3-Wednesday/184618/342/a-b_.html',
    ],
    [
      '/:path/:name/:slug/:collection/:slugified_categories/',
      '/2022-01-09-h/2022-01-09-h/a-b/posts/emnews/财经/'.replace('财经', '%E8%B4%A2%E7%BB%8F'),
    ],
  ])('%s', (style, expected) => {
    expect(buildPermalink({ ...base, sitePermalink: style })).toBe(expected);
  });

  test('permalinkTemplate', () => {
    expect(permalinkTemplate('date')).toBe('/:categories/:year/:month/:day/:title:output_ext');
    expect(permalinkTemplate(null)).toBe('/:categories/:year/:month/:day/:title:output_ext');
    expect(permalinkTemplate('/x/:title')).toBe('/x/:title');
  });

  test('ISO week at year boundaries', () => {
    // 2021-01-01 is a Friday in ISO week 53 of 2020.
    const r = buildPermalink(
      input({ dateMs: Date.parse('2021-01-01T04:00:00Z'), sitePermalink: '/:w_year/W:week/:w_day/:y_day' }),
    );
    expect(r).toBe('/2020/W53/5/001');
  });
});

describe('front matter permalink', () => {
  const site = { timezone: SH, permalink: 'date', future: false };
  const read = (fm: string, path = '_posts/2022-01-18-perm.md') =>
    readJekyllPost({ path, text: `---\n${fm}\n---\nx\n`, site });

  test('without placeholders', () => {
    expect(read('permalink: /about/fixed.html')).toMatchObject({ url: '/about/fixed.html' });
    expect(read('permalink: fixed.html')).toMatchObject({ url: '/fixed.html' });
  });

  test('with placeholders', () => {
    expect(read('permalink: /custom/:title/:year/\ncategories: x')).toMatchObject({ url: '/custom/perm/2022/' });
    expect(read('permalink: /:categories/:title.html\ncategories: [A B]')).toMatchObject({ url: '/a%20b/perm.html' });
  });

  test('wins over the site style', () => {
    const r = readJekyllPost({
      path: '_posts/2022-01-18-perm.md',
      text: '---\npermalink: /p/\n---\n',
      site: { timezone: null, permalink: 'pretty', future: false },
    });
    expect(r).toMatchObject({ url: '/p/' });
  });

  test('sanitized like URL#sanitize_url', () => {
    expect(read('permalink: /a/../b/./c//d')).toMatchObject({ url: '/a/b/c/d' });
  });

  test('an unknown placeholder fails (Jekyll raises)', () => {
    const r = read('permalink: /:nope/:title');
    expect(r.kind).toBe('failed');
    expect(r.kind === 'failed' && r.reason).toMatch(/unknown placeholder :nope/);
    expect(() => buildPermalink(input({ permalink: '/:bogus_' }))).toThrow(PermalinkError);
  });

  test('front matter slug feeds :title (pretty slugify, case kept)', () => {
    expect(read('slug: "My Slug! (x)"', '_posts/2022-01-24-slug.md')).toMatchObject({
      url: '/2022/01/24/My-Slug!-(x).html',
      slug: 'My Slug! (x)',
      title: 'Slug',
    });
  });

  test('$ and & in values are literal', () => {
    expect(read('categories: "a$&b $1"\nslug: "x$&y"', '_posts/2022-01-07-dollar.md')).toMatchObject({
      url: '/a$&b/$1/2022/01/07/x$&y.html',
    });
  });
});

describe('slugify / escapePath / sanitizeUrl (checked with Ruby)', () => {
  test.each([
    ['NW202206162414061171', 'NW202206162414061171', 'nw202206162414061171'],
    ['a b c', 'a-b-c', 'a-b-c'],
    ['--hello--world--', 'hello-world', 'hello-world'],
    ['财经 新闻!', '财经-新闻!', '财经-新闻'],
    ['a.b.', 'a.b.', 'a-b'],
    ['Ünïcödé', 'Ünïcödé', 'ünïcödé'],
    ["it's (ok)", "it's-(ok)", 'it-s-ok'],
    ['a/b', 'a-b', 'a-b'],
    ['a_b~c', 'a_b~c', 'a-b-c'],
  ])('slugify %s', (s, pretty, def) => {
    expect(slugify(s, 'pretty', true)).toBe(pretty);
    expect(slugify(s)).toBe(def);
  });

  test.each([
    ['a b', 'a%20b'],
    ['财经', '%E8%B4%A2%E7%BB%8F'],
    ['a?b', 'a?b'],
    ['a#b#c', 'a%23b%23c'],
    ['a%20b', 'a%2520b'],
    ['100%', '100%25'],
    ['a[b]', 'a%5Bb%5D'],
    ['a"b', 'a%22b'],
    ['a<b>', 'a%3Cb%3E'],
    ['a|b', 'a%7Cb'],
    ['a^b', 'a%5Eb'],
    ['a`b', 'a%60b'],
    ['a{b}', 'a%7Bb%7D'],
    ['a\\b', 'a%5Cb'],
    ['a:b', 'a:b'],
    ['é', '%C3%A9'],
    ["a+b&c=d;e,f!$'()*@~_", "a+b&c=d;e,f!$'()*@~_"],
    ['x y/z', 'x%20y/z'],
    ['a//b', 'a//b'],
    ['e\u0301', 'e%CC%81'],
    ['\uFB01', '%EF%AC%81'],
    ['a\u3000b', 'a%E3%80%80b'],
    ['tab\tx', 'tab%09x'],
    ['', ''],
  ])('escapePath %j', (s, expected) => {
    expect(escapePath(s)).toBe(expected);
  });

  test('sanitizeUrl', () => {
    expect(sanitizeUrl('a//b')).toBe('/a/b');
    expect(sanitizeUrl('/a/../b/./c//d')).toBe('/a/b/c/d');
    expect(sanitizeUrl('')).toBe('/');
    expect(sanitizeUrl('//2022/01/09/h.html')).toBe('/2022/01/09/h.html');
  });
});

describe('a permalink computes only the placeholders its template names', () => {
  const ALL_NAMES =
    '/:year/:month/:day/:hour/:minute/:second/:i_day/:i_month/:short_month/:long_month/:short_year' +
    '/:w_year/:week/:w_day/:short_day/:long_day/:y_day/:collection/:path/:name/:title/:slug' +
    '/:categories/:slugified_categories:output_ext';
  const TEMPLATES = [
    ...['date', 'pretty', 'ordinal', 'weekdate', 'none'].map(permalinkTemplate),
    ALL_NAMES,
    '/:month_:day/:year_/:title',
    '/:slugified_categories/:name/',
    '/fixed/',
    '',
  ];
  const INPUTS: PermalinkInput[] = [
    input(),
    input({ categories: ['A B', 'a b', 'Ünï'], slug: 'Hello World!', relPath: 'x/_posts/2021-12-31-Hé.llo..md' }),
    input({ timezone: 'America/New_York', dateMs: Date.parse('2022-11-06T05:30:00Z'), ext: '.html' }),
    input({ timezone: null, dateMs: Date.parse('1969-12-31T23:59:59Z') }),
  ];

  test.each(TEMPLATES)('%s: the same URL as with every placeholder computed', (template) => {
    for (const i of INPUTS) {
      expect(buildPermalink({ ...i, permalink: template })).toBe(
        sanitizeUrl(expandTemplate(template, urlPlaceholders(i))),
      );
    }
  });

  test('an unknown placeholder is still reported', () => {
    expect(() => buildPermalink(input({ permalink: '/:year/:nope/' }))).toThrow(PermalinkError);
    expect(() => buildPermalink(input({ permalink: '/:nope_/' }))).toThrow(/:nope_ or :nope/);
  });
});
