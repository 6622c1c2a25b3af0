import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import express, { type Request, type Response } from 'express';
import { archiveState, feedItems, sitemapPage, type FeedSelection } from '../../db/queries/feed-items';
import {
  boardsByCodes,
  categoriesBySlugs,
  organizationsByNames,
  stocksBySymbols,
  tagsByNames,
} from '../../db/queries/lookups';
import { writeStamp } from '../../db/queries/written-posts';
import type { SqlRunner } from '../../db/sql-runner';
import type { ReadStore } from '../../db/store';
import { boardCode, symbolCandidates } from '../../graphql/resolvers/filter-spec';
import { searchSpecOf, searchText } from '../../graphql/resolvers/search-connection';
import { logger } from '../logger';
import { FEED_TYPES, renderFeed, sitemapIndexXml, sitemapXml, type FeedFormat } from './feed-render';

export interface FeedOptions {
  /** URLs in one sitemap file; default the protocol's 50,000 (tests make it small). */
  sitemapUrls?: number;
  /** Absolute base of the posts' permalinks; default: the request's own scheme and host. */
  siteUrl?: string;
  /** Feed titles start with it; default "newsgraph". */
  siteTitle?: string;
  /** `max-age` of the answers, in seconds. */
  maxAge: number;
}

/** Items a feed lists by default, and at most (`?limit=`). */
export const FEED_ITEMS = 20;
export const MAX_FEED_ITEMS = 100;
/** URLs in one sitemap file (the protocol's limit). */
export const SITEMAP_URLS = 50000;

/** A request the feed cannot answer, with its status. */
class FeedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const FILE = /^(.+)\.(rss|atom|json)$/;

function splitFile(file: string): { key: string; format: FeedFormat } {
  const m = FILE.exec(file);
  if (!m) throw new FeedError(404, `no such feed: ${file} (feeds end in .rss, .atom or .json)`);
  return { key: m[1], format: m[2] as FeedFormat };
}

/** A query parameter given at most once, as text; given twice it is a 400 naming it, not a wrong answer. */
function param(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined || typeof raw === 'string') return raw;
  throw new FeedError(400, `${name} is given more than once: give it once`);
}

function limitOf(req: Request): number {
  const raw = param(req, 'limit');
  if (raw === undefined) return FEED_ITEMS;
  const n = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_FEED_ITEMS)) throw new FeedError(400, `limit must be 1..${MAX_FEED_ITEMS}`);
  return n;
}

/**
 * The request's Host header when it is a syntactically valid `host[:port]` (hostname labels, an IPv4
 * address or a bracketed IPv6 address; a port of 1..65535), lower-cased; else null. The header is the
 * client's to write, and the feeds put it into XML attributes and JSON links that caches keep.
 */
function validHost(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::([0-9]{1,5}))?$/.exec(raw);
  if (!m) return null;
  const [, host, port] = m;
  if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) return null;
  if (host.startsWith('[')) return isIPv6(host.slice(1, -1)) ? raw.toLowerCase() : null;
  if (host.length > 253) return null;
  const labels = host.replace(/\.$/, '').split('.');
  // A name whose last label is a number is an IPv4 address to a URL parser: four decimal octets.
  if (/^\d+$/.test(labels[labels.length - 1]))
    return labels.length === 4 && labels.every((l) => /^(?:0|[1-9]\d{0,2})$/.test(l) && Number(l) <= 255)
      ? raw.toLowerCase()
      : null;
  const label = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
  return labels.every((l) => label.test(l)) ? raw.toLowerCase() : null;
}

/**
 * A feed path with each segment decoded and percent-encoded again: what the request wrote there
 * (quotes, `<`, `&`) cannot reach the XML or the link's meaning.
 */
function canonicalPath(raw: string): string {
  return raw
    .split('/')
    .map((seg) => {
      try {
        return encodeURIComponent(decodeURIComponent(seg));
      } catch {
        throw new FeedError(400, `malformed percent-encoding in the path: ${seg}`);
      }
    })
    .join('/');
}

/**
 * The feed's own query string (with its `?`, or ''): only the parameters the feed reads, as it read
 * them, percent-encoded in a fixed order (`q`, then `limit`); anything else in the request is not
 * part of the feed and stays out of its links.
 */
function feedQuery(req: Request, kind: string, limit: number): string {
  const params = new URLSearchParams();
  const q = kind === 'search' ? param(req, 'q') : undefined;
  if (q !== undefined) params.set('q', q);
  if (param(req, 'limit') !== undefined) params.set('limit', String(limit));
  const query = params.toString();
  return query ? `?${query}` : '';
}

interface Resolved {
  selection: FeedSelection;
  /** What the feed lists: "stock 600050.SH 中国联通"; null for all posts. */
  title: string | null;
}

/** What a feed path names, looked up; an unknown thing is a 404, a malformed one a 400. */
async function resolve(run: SqlRunner, kind: string, key: string, req: Request): Promise<Resolved> {
  // The API's own checks, their messages answered as a 400.
  const orBad = <T>(check: () => T): T => {
    try {
      return check();
    } catch (err) {
      throw new FeedError(400, (err as Error).message);
    }
  };
  const none = (what: string): never => {
    throw new FeedError(404, `no such ${what}: ${key}`);
  };
  switch (kind) {
    case 'posts':
      return { selection: { scope: null }, title: null };
    case 'search': {
      const q = param(req, 'q') ?? '';
      const spec = orBad(() => searchSpecOf(searchText('search feed', 'q', q), undefined));
      return { selection: { search: spec }, title: `search ${q.trim()}` };
    }
    case 'category': {
      const [c] = await categoriesBySlugs(run, [key.toLowerCase()]);
      if (!c) return none('category');
      return { selection: { scope: { kind: 'category', id: c.id } }, title: `category ${c.title ?? c.name}` };
    }
    case 'tag': {
      const [t] = await tagsByNames(run, [key]);
      if (!t) return none('tag');
      return { selection: { scope: { kind: 'tag', id: t.id } }, title: `tag ${t.name}` };
    }
    case 'board': {
      const [b] = await boardsByCodes(run, [orBad(() => boardCode(key, 'board'))]);
      if (!b) return none('board');
      return {
        selection: { scope: { kind: 'board', id: b.id } },
        title: `board ${b.code}${b.name ? ` ${b.name}` : ''}`,
      };
    }
    case 'stock': {
      const stocks = await stocksBySymbols(
        run,
        orBad(() => symbolCandidates(key, 'stock')),
      );
      if (stocks.length === 0) return none('stock');
      const s = stocks[0];
      // A bare code naming several stocks lists them all, as `filter: { stocks: [...] }` does.
      return stocks.length === 1
        ? { selection: { scope: { kind: 'stock', id: s.id } }, title: `stock ${s.symbol}${s.name ? ` ${s.name}` : ''}` }
        : { selection: { scope: null, filter: { stockSymbols: stocks.map((x) => x.symbol) } }, title: `stocks ${key}` };
    }
    case 'publisher': {
      const [o] = await organizationsByNames(run, [key]);
      if (!o) return none('publisher');
      return { selection: { scope: null, filter: { publisher: o.name } }, title: `publisher ${o.name}` };
    }
    default:
      throw new FeedError(404, `no such feed kind: ${kind} (category, tag, stock, board, publisher)`);
  }
}

/**
 * Sets ETag and Last-Modified and tells whether the client's copy is current: the ETag moves with
 * every import that writes (the import write stamp) and names the URL and the site base; the time is
 * the latest change the change feed recorded.
 */
async function validators(req: Request, res: Response, run: SqlRunner, site: string): Promise<boolean> {
  const [stamp, state] = await Promise.all([writeStamp(run), archiveState(run)]);
  const tag = `W/"${createHash('sha256').update(`${stamp}\n${site}\n${req.originalUrl}`).digest('base64url').slice(0, 27)}"`;
  res.set('ETag', tag);
  const modified = state.lastChangeMs === null ? null : new Date(state.lastChangeMs).toUTCString();
  if (modified) res.set('Last-Modified', modified);
  return notModified(req.get('if-none-match'), req.get('if-modified-since'), tag, modified);
}

/**
 * RFC 9110's conditional GET: If-None-Match (weak comparison) decides when given, else
 * If-Modified-Since. Express's `req.fresh` also answers 200 to a request saying `Cache-Control:
 * no-cache`, which fetch() adds to every conditional request: that directive is for caches on the
 * way, and an origin's 304 is the revalidation it asks for.
 */
export function notModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  etag: string,
  lastModified: string | null,
): boolean {
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  if (ifNoneMatch !== undefined)
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => opaque(t) === opaque(etag));
  if (ifModifiedSince === undefined || lastModified === null) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}

export function feedsRouter(store: ReadStore, opts: FeedOptions): express.Router {
  const router = express.Router();
  // The configured site when there is one; else the request's own scheme and Host, which must be a
  // valid host[:port] (a 400 otherwise: the links would carry whatever the client wrote).
  const siteOf = (req: Request) => {
    if (opts.siteUrl !== undefined) return opts.siteUrl.replace(/\/+$/, '');
    const host = validHost(req.get('host'));
    if (host === null)
      throw new FeedError(
        400,
        `the Host header must be a valid host[:port] for the feeds' links (got ${JSON.stringify(req.get('host') ?? null)}); a server behind a proxy can set --site-url`,
      );
    return `${req.protocol === 'https' ? 'https' : 'http'}://${host}`;
  };
  const siteTitle = opts.siteTitle ?? 'newsgraph';
  const perSitemap = opts.sitemapUrls ?? SITEMAP_URLS;

  const answer = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      res.set('Cache-Control', `public, max-age=${opts.maxAge}`);
      await handler(req, res);
    } catch (err) {
      const status = err instanceof FeedError ? err.status : 500;
      if (status >= 500) logger.error({ err }, 'feed failed');
      res.set('Cache-Control', 'no-store');
      res
        .status(status)
        .type('text/plain')
        .send(`${status >= 500 ? 'internal error' : (err as Error).message}\n`);
    }
  };

  const feed = (kindOf: (req: Request) => string) =>
    answer(async (req, res) => {
      const { key, format } = splitFile(String(req.params.file));
      const kind = kindOf(req);
      if (kind === 'root' && key !== 'posts' && key !== 'search')
        throw new FeedError(404, `no such feed: ${String(req.params.file)} (posts or search at the top)`);
      const limit = limitOf(req);
      const run = store.runner();
      const site = siteOf(req);
      const what = await resolve(run, kind === 'root' ? key : kind, key, req);
      const path = canonicalPath(`${req.baseUrl}${req.path}`).replace(FILE, '$1');
      const query = feedQuery(req, kind === 'root' ? key : kind, limit);
      if (await validators(req, res, run, site)) {
        res.status(304).end();
        return;
      }
      const items = await feedItems(run, what.selection, limit);
      const body = renderFeed(
        {
          title: what.title ? `${siteTitle}: ${what.title}` : siteTitle,
          description: what.title
            ? `The newest posts of ${what.title}, from ${siteTitle}.`
            : `The newest posts of ${siteTitle}.`,
          site,
          path,
          query,
          updated: new Date(items.length ? Number(items[0].dateMs) : 0),
        },
        items,
        format,
      );
      res.type(FEED_TYPES[format]).send(body);
    });

  router.get(
    '/feeds/:file',
    feed(() => 'root'),
  );
  router.get(
    '/feeds/:kind/:file',
    feed((req) => String(req.params.kind)),
  );

  router.get(
    '/sitemap.xml',
    answer(async (req, res) => {
      const run = store.runner();
      const site = siteOf(req);
      if (await validators(req, res, run, site)) {
        res.status(304).end();
        return;
      }
      const { posts } = await archiveState(run);
      let body: string;
      if (posts <= perSitemap) body = sitemapXml(site, await sitemapPage(run, 0, perSitemap));
      else {
        const files = Math.ceil(posts / perSitemap);
        body = sitemapIndexXml(
          site,
          Array.from({ length: files }, (_, i) => `/sitemaps/posts-${i + 1}.xml`),
        );
      }
      res.type('application/xml; charset=utf-8').send(body);
    }),
  );

  router.get(
    '/sitemaps/:file',
    answer(async (req, res) => {
      const m = /^posts-([1-9]\d{0,5})\.xml$/.exec(String(req.params.file));
      if (!m) throw new FeedError(404, `no such sitemap: ${String(req.params.file)}`);
      const run = store.runner();
      const site = siteOf(req);
      if (await validators(req, res, run, site)) {
        res.status(304).end();
        return;
      }
      // Page n: the posts after the (n-1) * 50,000 first by id.
      const n = Number(m[1]);
      const skip = (n - 1) * perSitemap;
      const start =
        skip === 0
          ? 0
          : Number(
              (await run.get<{ id: number | string }>('SELECT id FROM post ORDER BY id LIMIT 1 OFFSET ?', [skip - 1]))
                ?.id ?? NaN,
            );
      if (Number.isNaN(start)) throw new FeedError(404, `no such sitemap: ${String(req.params.file)}`);
      const page = await sitemapPage(run, start, perSitemap);
      if (page.length === 0) throw new FeedError(404, `no such sitemap: ${String(req.params.file)}`);
      res.type('application/xml; charset=utf-8').send(sitemapXml(site, page));
    }),
  );
  return router;
}
