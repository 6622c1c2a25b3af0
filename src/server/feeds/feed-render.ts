import { Feed } from 'feed';
import type { FeedItemRow } from '../../db/queries/feed-items';

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export interface FeedMeta {
  /** What the feed lists, for its title: "stock 600050.SH 中国联通". */
  title: string;
  description: string;
  /** Absolute base of the site the posts' permalinks belong to (no trailing slash). */
  site: string;
  /** This feed's path without its extension: `/feeds/stock/600050.SH`. */
  path: string;
  /** The feed's own query string, with its `?`, or ''. */
  query: string;
  /** When the feed last changed (the newest item without a better time). */
  updated: Date;
}

/** Characters XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/F): a post may hold them, a feed may not. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- the controls are what it removes
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const xmlText = (s: string) => s.replace(NOT_XML, '');

const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/**
 * A URL with every character RFC 3986 does not allow in one percent-encoded (UTF-8), `%` kept: no
 * quote, `<`, `>`, space or control can reach an attribute, whatever the caller passed.
 */
const uriSafe = (url: string) =>
  xmlText(url).replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (c) => encodeURIComponent(c));

const SELF_LINK = /<link rel="self" href="[^"]*"\/>/;

/** The feed in one of the three formats, absolute links throughout (the `feed` library writes each format). */
export function renderFeed(meta: FeedMeta, items: FeedItemRow[], format: FeedFormat): string {
  const self = (f: FeedFormat) => uriSafe(`${meta.site}${meta.path}.${f}${meta.query}`);
  const feed = new Feed({
    title: xmlText(meta.title),
    description: xmlText(meta.description),
    id: self('atom'),
    link: `${meta.site}/`,
    language: 'zh-CN',
    updated: meta.updated,
    generator: 'newsgraph',
    copyright: '',
    feedLinks: { rss: self('rss'), atom: self('atom'), json: self('json') },
    // Atom asks for an author of the feed when an entry has none.
    author: { name: 'newsgraph' },
  });
  for (const item of items) {
    const link = `${meta.site}${item.url}`;
    feed.addItem({
      title: xmlText(item.title),
      id: link,
      link,
      description: xmlText(item.excerpt),
      content: xmlText(item.html),
      date: new Date(Number(item.dateMs)),
      published: new Date(Number(item.dateMs)),
      author: item.publisher ? [{ name: xmlText(item.publisher) }] : undefined,
      category: [...item.categories, ...item.tags].map((name) => ({ name: xmlText(name) })),
    });
  }
  if (format === 'rss') return feed.rss2();
  if (format === 'json') return feed.json1();
  // `feed` escapes `&` in the Atom self link twice (`&amp;amp;`: a link to `?a=1&amp;b=2`), so the
  // link is written here, escaped once.
  const atom = feed.atom1();
  if (!SELF_LINK.test(atom)) throw new Error('the Atom feed has no self link to write');
  return atom.replace(SELF_LINK, () => `<link rel="self" href="${escapeXml(self('atom'))}"/>`);
}

/**
 * A sitemap (sitemaps.org 0.9) of posts, or the index of several: four elements, written here (the
 * protocol's whole vocabulary for this).
 */
export function sitemapXml(site: string, posts: { url: string; dateMs: number }[]): string {
  const urls = posts.map(
    (p) => `<url><loc>${escapeXml(site + p.url)}</loc><lastmod>${new Date(p.dateMs).toISOString()}</lastmod></url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

export function sitemapIndexXml(site: string, paths: string[]): string {
  const maps = paths.map((p) => `<sitemap><loc>${escapeXml(site + p)}</loc></sitemap>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${maps.join('\n')}\n</sitemapindex>\n`;
}
