/**
 * The floor: the front page's JSON (the same `data` FRONT_PAGE returns through GraphQL) built by
 * hand-written SQL on better-sqlite3 and served by bare node:http. No GraphQL, no Express, no
 * DataLoader: seven set-based statements per request (page, categories, tags, publishers, stocks,
 * the stored related lists and their posts, for the whole page), rows grouped per post
 * with the loaders' `manyEach`.
 */
import http from 'node:http';
import type { Database } from 'better-sqlite3';
import { relatedCoverage } from '../src/db/queries/related';
import { sqliteRunnerFactory } from '../src/db/sql-runner';
import { manyEach } from '../src/graphql/loaders/order';

const PAGE = 20;
const RELATED = 3;
interface PostRow {
  id: number;
  url: string;
  title: string;
  date_ms: number;
  date_offset: number;
  excerpt?: string;
  publisher_id?: number | null;
}

function formatDate(ms: number, offset: number): string {
  const local = new Date(ms + offset * 60000).toISOString();
  const base = local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23);
  if (offset === 0) return `${base}Z`;
  const a = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${base}${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');

export function frontPageBuilder(db: Database): (after?: string) => Promise<unknown> {
  const page = db.prepare(
    `SELECT id, url, title, date_ms, date_offset, excerpt, publisher_id FROM post ORDER BY date_ms DESC, id DESC LIMIT ${PAGE + 1}`,
  );
  const pageAfter = db.prepare(
    `SELECT id, url, title, date_ms, date_offset, excerpt, publisher_id FROM post
      WHERE (date_ms, id) < (?, ?) ORDER BY date_ms DESC, id DESC LIMIT ${PAGE + 1}`,
  );
  const inIds = 'SELECT value FROM json_each(?)';
  const cats =
    db.prepare(`SELECT x.post_id AS p, c.slug, c.name FROM post_category x JOIN category c ON c.id = x.category_id
    WHERE x.post_id IN (${inIds}) ORDER BY x.post_id, x.position`);
  const tags = db.prepare(`SELECT x.post_id AS p, t.name FROM post_tag x JOIN tag t ON t.id = x.tag_id
    WHERE x.post_id IN (${inIds}) ORDER BY x.post_id, x.position`);
  const pubs = db.prepare(`SELECT id, name FROM organization WHERE id IN (${inIds})`);
  const stocks = db.prepare(`SELECT x.post_id AS p, s.symbol, s.name FROM post_stock x JOIN stock s ON s.id = x.stock_id
    WHERE x.post_id IN (${inIds}) ORDER BY x.post_id, x.count DESC, x.stock_id`);
  // Related coverage: the product's stored lists (the same function), then their posts by id.
  const run = sqliteRunnerFactory(db);
  const relatedPosts = db.prepare(`SELECT id, url, title, date_ms, date_offset FROM post WHERE id IN (${inIds})`);

  /** The page after `after` (a post cursor: base64url JSON `["post", [dateMs, id]]`), else the first. */
  return async (after?: string) => {
    const at = after
      ? (JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [string, [number, number]])[1]
      : null;
    const rows = (at ? pageAfter.all(at[0], at[1]) : page.all()) as PostRow[];
    const posts = rows.slice(0, PAGE);
    const json = JSON.stringify(posts.map((p) => p.id));
    const ids = posts.map((p) => p.id);
    const catsBy = manyEach(ids, cats.all(json) as { p: number; slug: string; name: string }[], (r) => r.p);
    const tagsBy = manyEach(ids, tags.all(json) as { p: number; name: string }[], (r) => r.p);
    const stocksBy = manyEach(
      ids,
      stocks.all(json) as { p: number; symbol: string; name: string | null }[],
      (r) => r.p,
    );
    const pubIds = [...new Set(posts.map((p) => p.publisher_id).filter((v): v is number => v != null))];
    const pubBy = new Map((pubs.all(JSON.stringify(pubIds)) as { id: number; name: string }[]).map((o) => [o.id, o]));
    const pairs = (await relatedCoverage(run(), ids, 0, RELATED)).filter((r) => r.rank <= RELATED);
    const relRows = new Map(
      (relatedPosts.all(JSON.stringify(pairs.map((r) => r.id))) as PostRow[]).map((r) => [r.id, r]),
    );
    const relBy = manyEach(
      ids,
      pairs.flatMap((r) => {
        const row = relRows.get(r.id);
        return row ? [{ ...r, row }] : [];
      }),
      (r) => r.src,
    );
    const last = posts[posts.length - 1];
    return {
      data: {
        posts: {
          edges: posts.map((p, i) => {
            const pub = p.publisher_id == null ? undefined : pubBy.get(p.publisher_id);
            return {
              node: {
                id: gid('Post', p.id),
                url: p.url,
                title: p.title,
                date: formatDate(p.date_ms, p.date_offset),
                excerpt: p.excerpt,
                categories: catsBy[i].map((c) => ({ slug: c.slug, name: c.name })),
                tags: tagsBy[i].map((t) => ({ name: t.name })),
                publisher: pub ? { id: gid('Organization', pub.id), name: pub.name } : null,
                stocks: stocksBy[i].map((s) => ({ symbol: s.symbol, name: s.name })),
                relatedCoverage: {
                  edges: relBy[i].map((r) => ({
                    score: Math.round(r.score * 1000) / 1000,
                    node: {
                      id: gid('Post', r.id),
                      url: r.row.url,
                      title: r.row.title,
                      date: formatDate(r.row.date_ms, r.row.date_offset),
                    },
                  })),
                },
              },
            };
          }),
          pageInfo: {
            hasNextPage: rows.length > PAGE,
            endCursor: last
              ? Buffer.from(JSON.stringify(['post', [last.date_ms, last.id]])).toString('base64url')
              : null,
          },
        },
      },
    };
  };
}

/** Answers every POST with the front page after the body's `variables.after` (the rest of the body is ignored). */
export function createFloorServer(db: Database): http.Server {
  const build = frontPageBuilder(db);
  // Never rejects: a failure is answered with a 500.
  const respond = async (res: http.ServerResponse, body: string) => {
    try {
      const after = body ? (JSON.parse(body) as { variables?: { after?: string } }).variables?.after : undefined;
      const out = JSON.stringify(await build(after));
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(out),
      });
      res.end(out);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end((err as Error).message);
    }
  };
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void respond(res, Buffer.concat(chunks).toString('utf8')));
  });
}
