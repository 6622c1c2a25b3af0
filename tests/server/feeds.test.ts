import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { importArchives } from '../../src/db/importer';
import { sampleServer } from '../helpers/server';

// RSS 2.0, Atom 1.0 and JSON Feed over the real sample: each format parsed and checked for its
// specification's required elements, the items against the GraphQL answers, caching validators,
// errors, and a hostile post.

type Server = Awaited<ReturnType<typeof sampleServer>>;
let s: Server;
const SITE = 'https://news.example.com/base';
beforeAll(async () => {
  s = await sampleServer({ feeds: { siteUrl: SITE }, cacheMaxAge: 30 });
});
afterAll(() => s.close());

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function get(p: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.url}${p}`, { headers });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/**
 * A GET sent byte for byte as written: fetch() percent-encodes `"`, `<` and `>` in a query and sets
 * its own Host, which is what a hostile client does not do.
 */
function rawGet(base: string, p: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    http
      .get({ hostname, port, path: p, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

/** The feed's links to itself, as a reader sees them: Atom's self link and id, RSS's atom:link, JSON's feed_url. */
function selfLinks(format: 'rss' | 'atom' | 'json', body: string): string[] {
  if (format === 'json') return [JSON.parse(body).feed_url];
  expect(XMLValidator.validate(body)).toBe(true);
  const parsed = xml.parse(body);
  if (format === 'rss') return [list<any>(parsed.rss.channel['atom:link'])[0]['@href']];
  const self = list<any>(parsed.feed.link).filter((l) => l['@rel'] === 'self');
  expect(self).toHaveLength(1);
  return [self[0]['@href'], parsed.feed.id];
}

/** The permalinks a GraphQL query lists, newest first, as the feed should link them. */
async function expectedLinks(query: string, pick: (data: any) => any[]): Promise<string[]> {
  const r = await s.gql(query);
  expect(r.body.errors).toBeUndefined();
  return pick(r.body.data).map((e: any) => `${SITE}${e.node.url}`);
}

describe('the three formats', () => {
  test('RSS 2.0: channel title, link, description; items with title, link, guid, pubDate; newest first', async () => {
    const r = await get('/feeds/posts.rss');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(XMLValidator.validate(r.body)).toBe(true);
    const rss = xml.parse(r.body).rss;
    expect(rss['@version']).toBe('2.0');
    const ch = rss.channel;
    for (const k of ['title', 'link', 'description']) expect(String(ch[k]).length).toBeGreaterThan(0);
    expect(ch.link).toBe(`${SITE}/`);
    const items = list<any>(ch.item);
    expect(items).toHaveLength(20);
    for (const it of items) {
      expect(String(it.title).length).toBeGreaterThan(0);
      expect(it.link).toBe(it.guid['#text'] ?? it.guid);
      expect(Number.isNaN(Date.parse(it.pubDate))).toBe(false);
      expect(String(it['content:encoded']).length).toBeGreaterThan(0);
    }
    const dates = items.map((it) => Date.parse(it.pubDate));
    for (let i = 1; i < dates.length; i++) expect(dates[i - 1]).toBeGreaterThanOrEqual(dates[i]);
    expect(items.map((it) => it.link)).toEqual(
      await expectedLinks('{ posts(first: 20) { edges { node { url } } } }', (d) => d.posts.edges),
    );
  });

  test('Atom 1.0: feed id, title, updated, author; entries with id, title, updated, link', async () => {
    const r = await get('/feeds/stock/600050.SH.atom');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(r.body)).toBe(true);
    const feed = xml.parse(r.body).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    for (const k of ['id', 'title', 'updated']) expect(String(feed[k]).length).toBeGreaterThan(0);
    expect(feed.author.name).toBeTruthy();
    const self = list<any>(feed.link).find((l) => l['@rel'] === 'self');
    expect(self['@href']).toBe(`${SITE}/feeds/stock/600050.SH.atom`);
    const entries = list<any>(feed.entry);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      for (const k of ['id', 'title', 'updated']) expect(String(e[k] ?? '').length).toBeGreaterThan(0);
      expect(list<any>(e.link)[0]['@href']).toBe(e.id);
    }
    expect(entries.map((e) => e.id)).toEqual(
      await expectedLinks(
        '{ stock(symbol: "600050.SH") { posts(first: 20) { edges { node { url } } } } }',
        (d) => d.stock.posts.edges,
      ),
    );
  });

  test('JSON Feed: version, title, items with id and content; feed_url absolute', async () => {
    const r = await get('/feeds/tag/%E4%B8%9C%E8%B4%A2%E6%BB%9A%E5%8A%A8%E6%96%B0%E9%97%BB.json?limit=5');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const f = JSON.parse(r.body);
    expect(f.version).toMatch(/^https:\/\/jsonfeed\.org\/version\/1/);
    expect(f.title).toContain('东财滚动新闻');
    expect(f.feed_url).toBe(`${SITE}/feeds/tag/%E4%B8%9C%E8%B4%A2%E6%BB%9A%E5%8A%A8%E6%96%B0%E9%97%BB.json?limit=5`);
    expect(f.items).toHaveLength(5);
    for (const it of f.items) {
      expect(typeof it.id).toBe('string');
      expect(typeof (it.content_html ?? it.content_text)).toBe('string');
      expect(it.url).toBe(it.id);
    }
    expect(f.items.map((it: any) => it.url)).toEqual(
      await expectedLinks(
        '{ tag(name: "东财滚动新闻") { posts(first: 5) { edges { node { url } } } } }',
        (d) => d.tag.posts.edges,
      ),
    );
  });
});

test.each([
  [
    '/feeds/stock/600050.rss',
    '{ stock(symbol: "600050") { posts(first: 20) { edges { node { url } } } } }',
    (d: any) => d.stock.posts.edges,
  ],
  [
    '/feeds/stock/sh600160.rss',
    '{ stock(symbol: "600160.SH") { posts(first: 20) { edges { node { url } } } } }',
    (d: any) => d.stock.posts.edges,
  ],
  [
    '/feeds/category/XiningWanbao.rss',
    '{ category(slug: "xiningwanbao") { posts(first: 20) { edges { node { url } } } } }',
    (d: any) => d.category.posts.edges,
  ],
  [
    '/feeds/board/90.BK0493.rss',
    '{ board(code: "BK0493") { posts(first: 20) { edges { node { url } } } } }',
    (d: any) => d.board.posts.edges,
  ],
  [
    '/feeds/publisher/%E8%A5%BF%E5%AE%81%E6%99%9A%E6%8A%A5.rss',
    '{ posts(first: 20, filter: { publisher: "西宁晚报" }) { edges { node { url } } } }',
    (d: any) => d.posts.edges,
  ],
  [
    '/feeds/search.rss?q=%E5%85%AC%E5%8F%B8',
    '{ search(query: "公司", first: 20, orderBy: DATE_DESC) { edges { node { url } } } }',
    (d: any) => d.search.edges,
  ],
])('%s lists what GraphQL lists', async (p, query, pick) => {
  const r = await get(p);
  expect(r.status).toBe(200);
  const links = list<any>(xml.parse(r.body).rss.channel.item).map((it) => it.link);
  const expected = await expectedLinks(query, pick);
  expect(expected.length).toBeGreaterThan(0);
  expect(links).toEqual(expected);
});

describe('links to the feed itself', () => {
  test.each(['rss', 'atom', 'json'] as const)(
    '%s: a URL with two parameters links to itself unchanged once parsed',
    async (format) => {
      const p = `/feeds/search.${format}?q=%E8%81%94&limit=2`;
      const r = await get(p);
      expect(r.status).toBe(200);
      for (const link of selfLinks(format, r.body)) expect(link).toBe(`${SITE}${p}`);
    },
  );

  test.each(['rss', 'atom', 'json'] as const)(
    '%s: a hostile query gives a well-formed feed whose self link holds only the parameters it uses, encoded',
    async (format) => {
      for (const [p, expected] of [
        [`/feeds/posts.${format}?limit=1&x="><a>&z=<`, `/feeds/posts.${format}?limit=1`],
        [`/feeds/posts.${format}?x='"<&limit=1&q=<a>`, `/feeds/posts.${format}?limit=1`],
        [
          `/feeds/search.${format}?z=<&limit=2&q=%E5%85%AC%E5%8F%B8"><a>'`,
          `/feeds/search.${format}?q=%E5%85%AC%E5%8F%B8%22%3E%3Ca%3E%27&limit=2`,
        ],
      ]) {
        const r = await rawGet(s.url, p);
        expect(r.status).toBe(200);
        for (const link of selfLinks(format, r.body)) expect(link).toBe(`${SITE}${expected}`);
        // The search words reach the title, as text: escaped in XML, a string in JSON.
        if (format !== 'json') expect(r.body).not.toContain('<a>');
      }
    },
  );

  test('a configured site URL wins over any Host header, hostile or not', async () => {
    for (const format of ['rss', 'atom', 'json'] as const) {
      const r = await rawGet(s.url, `/feeds/posts.${format}?limit=1`, { host: 'evil.example"><x' });
      expect(r.status).toBe(200);
      for (const link of selfLinks(format, r.body)) expect(link).toBe(`${SITE}/feeds/posts.${format}?limit=1`);
    }
  });

  describe('without a configured site URL', () => {
    let bare: Server;
    beforeAll(async () => {
      bare = await sampleServer({ cacheMaxAge: 30 });
    });
    afterAll(() => bare.close());

    test.each([
      'evil.example"><x',
      'evil.example<x>',
      "a'b.example",
      'a&b.example',
      'user@evil.example',
      'evil.example/x',
      'evil.example:80:80',
      'evil.example:99999',
      'evil.example:',
      '-evil.example',
      'evil..example',
      '999.1.1.1',
      '[::1"]:80',
      '[evil]',
      'evil.example x',
    ])('a Host header of %j is a 400 for every feed and the sitemap, not a link', async (host) => {
      for (const p of ['/feeds/posts.rss', '/feeds/posts.atom?limit=1', '/feeds/posts.json', '/sitemap.xml']) {
        const r = await rawGet(bare.url, p, { host });
        expect(r.status).toBe(400);
        expect(r.body).toContain('Host header');
        expect(r.headers['cache-control']).toBe('no-store');
      }
    });

    test.each([
      ['feeds.example.org:8443', 'http://feeds.example.org:8443'],
      ['Feeds.Example.ORG', 'http://feeds.example.org'],
      ['localhost', 'http://localhost'],
      ['10.0.0.7:3000', 'http://10.0.0.7:3000'],
      ['[::1]:8080', 'http://[::1]:8080'],
      ['[2001:db8::7]', 'http://[2001:db8::7]'],
    ])('a Host header of %j gives links under %s', async (host, site) => {
      for (const format of ['rss', 'atom', 'json'] as const) {
        const r = await rawGet(bare.url, `/feeds/posts.${format}?limit=1&x=<`, { host });
        expect(r.status).toBe(200);
        for (const link of selfLinks(format, r.body)) expect(link).toBe(`${site}/feeds/posts.${format}?limit=1`);
      }
      const map = await rawGet(bare.url, '/sitemap.xml', { host });
      expect(map.status).toBe(200);
      expect(list<any>(xml.parse(map.body).urlset.url)[0].loc.startsWith(`${site}/`)).toBe(true);
    });
  });
});

describe('caching', () => {
  test('ETag and Last-Modified answer 304; Cache-Control follows the server setting', async () => {
    const first = await get('/feeds/posts.atom');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^W\/"/);
    expect(Number.isNaN(Date.parse(lastModified))).toBe(false);
    expect(first.headers.get('cache-control')).toBe('public, max-age=30');
    expect((await get('/feeds/posts.atom', { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/feeds/posts.atom', { 'if-modified-since': lastModified })).status).toBe(304);
    expect((await get('/feeds/posts.atom', { 'if-none-match': 'W/"other"' })).status).toBe(200);
    const older = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await get('/feeds/posts.atom', { 'if-modified-since': older })).status).toBe(200);
    // Each URL has its own tag.
    expect((await get('/feeds/posts.rss')).headers.get('etag')).not.toBe(etag);
  });
});

describe('errors', () => {
  test.each([
    ['/feeds/posts.xml', 404, 'no such feed: posts.xml'],
    ['/feeds/other.rss', 404, 'no such feed: other.rss'],
    ['/feeds/nope/a.rss', 404, 'no such feed kind: nope'],
    ['/feeds/tag/%E6%97%A0.rss', 404, 'no such tag: 无'],
    ['/feeds/category/none.json', 404, 'no such category: none'],
    ['/feeds/stock/688999.SH.rss', 404, 'no such stock: 688999.SH'],
    ['/feeds/stock/not!a!symbol.rss', 400, 'stock:'],
    ['/feeds/board/600050.rss', 400, 'board: expected a board code'],
    ['/feeds/posts.rss?limit=0', 400, 'limit must be 1..100'],
    ['/feeds/posts.rss?limit=101', 400, 'limit must be 1..100'],
    ['/feeds/search.rss', 400, 'search feed: `q` is empty'],
    ['/feeds/posts.rss?limit=5&limit=6', 400, 'limit is given more than once'],
    ['/feeds/search.atom?q=%E8%81%94&q=x', 400, 'q is given more than once'],
    ['/sitemaps/posts-9.xml', 404, 'no such sitemap: posts-9.xml'],
  ])('%s: %d', async (p, status, message) => {
    const r = await get(p);
    expect(r.status).toBe(status);
    expect(r.body).toContain(message);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});

test('the sitemap lists every post once, with absolute links and dates', async () => {
  const r = await get('/sitemap.xml');
  expect(r.status).toBe(200);
  expect(XMLValidator.validate(r.body)).toBe(true);
  const set = xml.parse(r.body).urlset;
  expect(set['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
  const urls = list<any>(set.url);
  const [{ n }] = await s.query<{ n: number }>('SELECT count(*) AS n FROM post');
  expect(urls).toHaveLength(Number(n));
  expect(new Set(urls.map((u) => u.loc)).size).toBe(urls.length);
  for (const u of urls) {
    expect(u.loc.startsWith(`${SITE}/`)).toBe(true);
    expect(u.lastmod).toMatch(/^\d{4}-\d\d-\d\dT/);
  }
});

test('past the sitemap size, an index of sitemaps that together list every post once', async () => {
  const small = await sampleServer({ feeds: { sitemapUrls: 40 } });
  try {
    const index = await (await fetch(`${small.url}/sitemap.xml`)).text();
    const maps = list<any>(xml.parse(index).sitemapindex.sitemap).map((m) => m.loc);
    expect(maps).toEqual([1, 2, 3].map((i) => `${small.url}/sitemaps/posts-${i}.xml`));
    const locs: string[] = [];
    for (const m of maps)
      locs.push(...list<any>(xml.parse(await (await fetch(m)).text()).urlset.url).map((u) => u.loc));
    const [{ n }] = await small.query<{ n: number }>('SELECT count(*) AS n FROM post');
    expect(locs).toHaveLength(Number(n));
    expect(new Set(locs).size).toBe(locs.length);
    // Without a configured site, links use the request's own host.
    expect(locs[0].startsWith(`${small.url}/`)).toBe(true);
  } finally {
    await small.close();
  }
});

test('a hostile post: CDATA ends, controls, markup in the title; a new import moves the ETag', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-hostile-'));
  fs.mkdirSync(path.join(root, '_posts'));
  const title = 'A ]]> B <b>&amp;</b> "q" \u0007 \uD800 end';
  fs.writeFileSync(
    path.join(root, '_posts', '2024-01-01-hostile.md'),
    `---\ntitle: ${JSON.stringify(title)}\ntags: [x]\n---\nbody ]]> with <script>alert(1)</script> and \u0001 control\n`,
  );
  try {
    const before = await get('/feeds/posts.rss');
    await importArchives(s.writeStore, [root]);
    const after = await get('/feeds/posts.rss');
    const stored: string = (await s.gql('{ posts(first: 1) { edges { node { title } } } }')).body.data.posts.edges[0]
      .node.title;
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect((await get('/feeds/posts.rss', { 'if-none-match': before.headers.get('etag')! })).status).toBe(200);
    for (const format of ['rss', 'atom'] as const) {
      const r = await get(`/feeds/posts.${format}`);
      expect(XMLValidator.validate(r.body)).toBe(true);
      const parsed = xml.parse(r.body);
      const first = format === 'rss' ? list<any>(parsed.rss.channel.item)[0] : list<any>(parsed.feed.entry)[0];
      const shown = String(first.title['#text'] ?? first.title);
      // The title as stored, less what XML cannot carry (the BEL control).
      expect(stored).toContain('\u0007');
      expect(shown).toBe(stored.replace('\u0007', ''));
      expect(shown.startsWith('A ]]> B <b>&amp;</b> "q" ')).toBe(true);
      expect(r.body).not.toContain('<script>');
    }
    const json = JSON.parse((await get('/feeds/posts.json')).body);
    expect(json.items[0].title).toContain('A ]]> B');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
